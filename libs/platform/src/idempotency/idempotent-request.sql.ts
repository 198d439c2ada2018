/**
 * The `idempotent_request` table each service that has {@link Idempotent} routes creates in a
 * migration of its own (one table per service, in the service's database): one row per
 * (caller tenant, route, `MS-RequestId`), holding the sealed answer of the first attempt.
 */
export const IDEMPOTENT_REQUEST_SQL: readonly string[] = [
  `create table "idempotent_request" (
     "tenant_id" uuid not null,
     "route" text not null,
     "request_id" text not null,
     "body_hash" text not null,
     "state" text not null check ("state" in ('pending', 'done', 'failed')),
     "status" int null,
     "response_sealed" text null,
     "checkpoint_sealed" text null,
     "claimed_at" timestamptz not null,
     "created_at" timestamptz not null,
     constraint "idempotent_request_pkey" primary key ("tenant_id", "route", "request_id"))`,
  `create index "idempotent_request_created_at_index" on "idempotent_request" ("created_at")`,
];

export const IDEMPOTENT_REQUEST_DOWN_SQL: readonly string[] = [
  `drop table if exists "idempotent_request"`,
];
