import { Migration } from '@mikro-orm/migrations';
import { OUTBOX_TABLE_SQL } from '@app/outbox';

/**
 * The outbox, the activity log, invitations (every kind) and partnerships.
 *
 * - `invitation.token_hash` is unique: acceptance looks an invitation up by the SHA-256 of its token.
 * - Partnerships: one row per (provider, reseller) pair; the two list indexes serve the keyset
 *   scans of `GET /v1/relationships` by (other party's name, id) over active rows.
 * - The activity log is listed per tenant through a GIN index on `tenant_ids`.
 */
export class Migration20261123000001 extends Migration {
  override up(): void {
    for (const sql of OUTBOX_TABLE_SQL) this.addSql(sql);
    this.addSql(
      `create table "activity_log_entry" ("id" uuid not null primary key, "occurred_at" timestamptz not null default now(), "actor_user_id" uuid null, "actor_tenant_id" uuid not null, "tenant_ids" uuid[] not null, "action" text not null, "subject_type" text not null, "subject_id" text not null, "before" jsonb null, "after" jsonb null);`,
    );
    this.addSql(
      `create index "activity_log_entry_tenants_idx" on "activity_log_entry" using gin ("tenant_ids");`,
    );
    this.addSql(
      `create index "activity_log_entry_occurred_idx" on "activity_log_entry" ("occurred_at", "id");`,
    );
    this.addSql(
      `create table "invitation" ("id" uuid not null primary key, "kind" text not null, "partner_tenant_id" uuid not null, "cloud" text not null, "email" text not null, "locale" text not null, "token_hash" text not null, "status" text not null default 'pending', "expires_at" timestamptz not null, "inviter_user_id" uuid not null, "inviter_name" text not null, "inviter_email" text not null, "custom_message" text null, "delegated_admin" boolean not null default false, "joint_provider_tenant_id" uuid null, "accepted_at" timestamptz null, "accepted_by_tenant_id" uuid null, "accepted_by_user_id" uuid null, "revoked_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "invitation_kind_check" check ("kind" in ('partnership', 'reseller-relationship')), constraint "invitation_status_check" check ("status" in ('pending', 'accepted', 'revoked', 'expired')), constraint "invitation_cloud_check" check ("cloud" in ('public', 'us-gov', 'germany')));`,
    );
    this.addSql(
      `alter table "invitation" add constraint "invitation_token_hash_unique" unique ("token_hash");`,
    );
    this.addSql(
      `create index "invitation_partner_kind_created_idx" on "invitation" ("partner_tenant_id", "kind", "created_at", "id");`,
    );
    this.addSql(
      `create table "partnership" ("id" uuid not null primary key, "provider_tenant_id" uuid not null, "reseller_tenant_id" uuid not null, "provider_name" text not null, "provider_mpn_id" text not null, "provider_country" text not null, "reseller_name" text not null, "reseller_mpn_id" text not null, "reseller_country" text not null, "status" text not null default 'active', "established_at" timestamptz not null, "authorized_by_user_id" uuid not null, "invitation_id" uuid null, "removed_at" timestamptz null, "removed_by_user_id" uuid null, "removed_by_tenant_id" uuid null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "partnership_status_check" check ("status" in ('active', 'removed')), constraint "partnership_distinct_parties_check" check ("provider_tenant_id" <> "reseller_tenant_id"));`,
    );
    this.addSql(
      `alter table "partnership" add constraint "partnership_pair_unique" unique ("provider_tenant_id", "reseller_tenant_id");`,
    );
    this.addSql(
      `create index "partnership_provider_list_idx" on "partnership" ("provider_tenant_id", "status", "reseller_name", "id");`,
    );
    this.addSql(
      `create index "partnership_reseller_list_idx" on "partnership" ("reseller_tenant_id", "status", "provider_name", "id");`,
    );
    this.addSql(
      `create index "partnership_provider_mpn_idx" on "partnership" ("provider_tenant_id", "reseller_mpn_id") where "status" = 'active';`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "partnership";`);
    this.addSql(`drop table if exists "invitation";`);
    this.addSql(`drop table if exists "activity_log_entry";`);
    this.addSql(`drop table if exists "outbox_message";`);
  }
}
