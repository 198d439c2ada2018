import { Migration } from '@mikro-orm/migrations';

/**
 * Webhooks (issue 14 "Signed events to the partner's own systems"):
 * - `webhook_endpoint`: an organisation's endpoint (URL, subscribed event types or `*`, sealed
 *   signing secret and the rotated-out one while it still signs, enabled or disabled and why, since
 *   when it fails without a success);
 * - `webhook_event`: an audit event that matched at least one endpoint, stored once for its
 *   deliveries;
 * - `webhook_delivery`: one event for one endpoint (`sequence` orders the deliveries of one
 *   endpoint and resource), its status and retry schedule;
 * - `webhook_attempt`: each attempt's outcome (status code or error, duration), per replay run.
 */
export class Migration20261206300000 extends Migration {
  override up(): void {
    this.addSql(
      `create table "webhook_endpoint" ("id" uuid not null primary key, "tenant_id" uuid not null, "url" text not null, "event_types" text[] not null, "description" text not null default '', "enabled" boolean not null default true, "disabled_reason" text null, "disabled_at" timestamptz null, "disabled_notified_at" timestamptz null, "failing_since" timestamptz null, "last_success_at" timestamptz null, "last_error" text null, "secret_sealed" text not null, "previous_secret_sealed" text null, "previous_secret_expires_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "webhook_endpoint_disabled_reason_check" check ("disabled_reason" in ('manual', 'failing')));`,
    );
    this.addSql(
      `create index "webhook_endpoint_tenant_idx" on "webhook_endpoint" ("tenant_id", "created_at", "id");`,
    );
    this.addSql(
      `create index "webhook_endpoint_fan_out_idx" on "webhook_endpoint" ("tenant_id") where "enabled";`,
    );
    this.addSql(
      `create table "webhook_event" ("id" uuid not null primary key, "type" text not null, "payload" jsonb not null, "created_at" timestamptz not null default now());`,
    );
    this.addSql(
      `create table "webhook_delivery" ("id" uuid not null primary key, "sequence" bigserial not null, "endpoint_id" uuid not null references "webhook_endpoint" ("id") on delete cascade, "event_id" uuid not null references "webhook_event" ("id") on delete cascade, "event_type" text not null, "resource_key" text not null, "status" text not null default 'pending', "run" integer not null default 1, "attempt_count" integer not null default 0, "next_attempt_at" timestamptz not null default now(), "last_error" text null, "created_at" timestamptz not null default now(), "settled_at" timestamptz null, constraint "webhook_delivery_status_check" check ("status" in ('pending', 'succeeded', 'failed')), constraint "webhook_delivery_endpoint_event_unique" unique ("endpoint_id", "event_id"));`,
    );
    this.addSql(
      `create index "webhook_delivery_endpoint_idx" on "webhook_delivery" ("endpoint_id", "created_at", "id");`,
    );
    this.addSql(
      `create index "webhook_delivery_order_idx" on "webhook_delivery" ("endpoint_id", "resource_key", "sequence") where "status" = 'pending';`,
    );
    this.addSql(
      `create index "webhook_delivery_settled_idx" on "webhook_delivery" ("settled_at") where "settled_at" is not null;`,
    );
    this.addSql(`create index "webhook_delivery_event_idx" on "webhook_delivery" ("event_id");`);
    this.addSql(
      `create table "webhook_attempt" ("id" uuid not null primary key, "delivery_id" uuid not null references "webhook_delivery" ("id") on delete cascade, "run" integer not null, "attempt" integer not null, "attempted_at" timestamptz not null, "duration_ms" integer not null, "status_code" integer null, "error" text null, "succeeded" boolean not null);`,
    );
    this.addSql(
      `create index "webhook_attempt_delivery_idx" on "webhook_attempt" ("delivery_id", "attempted_at", "id");`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "webhook_attempt";`);
    this.addSql(`drop table if exists "webhook_delivery";`);
    this.addSql(`drop table if exists "webhook_event";`);
    this.addSql(`drop table if exists "webhook_endpoint";`);
  }
}
