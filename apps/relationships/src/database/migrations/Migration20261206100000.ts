import { Migration } from '@mikro-orm/migrations';

/**
 * The activity log becomes the platform's one audit trail (issue 14): each row stores an
 * `AuditEvent` (`@app/contracts`), and each organisation's entries form a hash chain.
 *
 * - `action` → `type`, `subject_type`/`subject_id` → `resource_type`/`resource_id`; the old
 *   `invitation.created` becomes `partnership.requested` or `reseller_relationship.requested` by
 *   the invitation's kind. The actor gains a kind (`user` when a user was recorded, else `system`)
 *   and `on_behalf_of_tenant_id`; its tenant becomes optional (system work has none). Existing
 *   rows get `source` `relationships` and no request or correlation id (they were not kept).
 * - `customer_id` (derived: the customer the event concerns) and `actor_user_principal_name`
 *   serve the `customerId` filter and the AuditRecord's `userPrincipalName`.
 * - `chained`: false until the chainer has linked the entry into `activity_log_chain`
 *   (one row per organisation and position: `seq` from 1, `hash` = SHA-256 of `prev_hash` and the
 *   event's canonical JSON). Every existing row is chained by the first chainer run.
 */
export class Migration20261206100000 extends Migration {
  override up(): void {
    const t = '"activity_log_entry"';
    this.addSql(`alter table ${t} rename column "action" to "type";`);
    this.addSql(`alter table ${t} rename column "subject_type" to "resource_type";`);
    this.addSql(`alter table ${t} rename column "subject_id" to "resource_id";`);
    this.addSql(`alter table ${t} alter column "actor_tenant_id" drop not null;`);
    this.addSql(
      `alter table ${t} add column "actor_kind" text null, add column "actor_on_behalf_of_tenant_id" uuid null, add column "actor_user_principal_name" text null, add column "customer_id" uuid null, add column "request_id" text null, add column "correlation_id" text null, add column "source" text not null default 'relationships', add column "chained" boolean not null default false;`,
    );
    this.addSql(
      `update ${t} set "actor_kind" = case when "actor_user_id" is null then 'system' else 'user' end;`,
    );
    this.addSql(`alter table ${t} alter column "actor_kind" set not null;`);
    this.addSql(
      `alter table ${t} add constraint "activity_log_entry_actor_kind_check" check ("actor_kind" in ('user', 'operator', 'system', 'anonymous')), add constraint "activity_log_entry_source_check" check ("source" in ('identity', 'relationships', 'notifications'));`,
    );
    this.addSql(`alter table ${t} alter column "source" drop default;`);
    this.addSql(
      `update ${t} e set "type" = case i."kind" when 'partnership' then 'partnership.requested' else 'reseller_relationship.requested' end from "invitation" i where e."type" = 'invitation.created' and i."id"::text = e."resource_id";`,
    );
    const uuid = `'^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'`;
    this.addSql(
      `update ${t} set "customer_id" = (case when "resource_type" = 'customer' and "resource_id" ~ ${uuid} then "resource_id" when "after"->>'customerId' ~ ${uuid} then "after"->>'customerId' when "before"->>'customerId' ~ ${uuid} then "before"->>'customerId' end)::uuid;`,
    );
    this.addSql(
      `create index "activity_log_entry_customer_idx" on ${t} ("customer_id", "occurred_at") where "customer_id" is not null;`,
    );
    this.addSql(`create index "activity_log_entry_request_idx" on ${t} ("request_id");`);
    this.addSql(
      `create index "activity_log_entry_unchained_idx" on ${t} ("occurred_at", "id") where not "chained";`,
    );
    this.addSql(
      `create table "activity_log_chain" ("tenant_id" uuid not null, "seq" bigint not null, "entry_id" uuid not null references ${t} ("id"), "prev_hash" text not null, "hash" text not null, "chained_at" timestamptz not null default now(), constraint "activity_log_chain_pkey" primary key ("tenant_id", "seq"), constraint "activity_log_chain_link_unique" unique ("entry_id", "tenant_id"), constraint "activity_log_chain_seq_check" check ("seq" >= 1));`,
    );
  }

  override down(): void {
    const t = '"activity_log_entry"';
    this.addSql(`drop table if exists "activity_log_chain";`);
    this.addSql(`drop index if exists "activity_log_entry_unchained_idx";`);
    this.addSql(`drop index if exists "activity_log_entry_request_idx";`);
    this.addSql(`drop index if exists "activity_log_entry_customer_idx";`);
    this.addSql(
      `update ${t} set "type" = 'invitation.created' where "type" in ('partnership.requested', 'reseller_relationship.requested');`,
    );
    this.addSql(`delete from ${t} where "actor_tenant_id" is null;`);
    this.addSql(`alter table ${t} alter column "actor_tenant_id" set not null;`);
    this.addSql(
      `alter table ${t} drop constraint "activity_log_entry_actor_kind_check", drop constraint "activity_log_entry_source_check", drop column "actor_kind", drop column "actor_on_behalf_of_tenant_id", drop column "actor_user_principal_name", drop column "customer_id", drop column "request_id", drop column "correlation_id", drop column "source", drop column "chained";`,
    );
    this.addSql(`alter table ${t} rename column "type" to "action";`);
    this.addSql(`alter table ${t} rename column "resource_type" to "subject_type";`);
    this.addSql(`alter table ${t} rename column "resource_id" to "subject_id";`);
  }
}
