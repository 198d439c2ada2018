import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 10 part 1 (GDAP): delegated admin relationships and their requests. The display name is
 * unique per partner, case-insensitively; the lifecycle job scans by status and dates.
 */
export class Migration20261207600001 extends Migration {
  override up(): void {
    this.addSql(`create table "delegated_admin_relationship" (
      "id" uuid not null primary key,
      "partner_tenant_id" uuid not null,
      "partner_name" text not null,
      "customer_tenant_id" uuid null,
      "customer_name" text null,
      "display_name" text not null check (char_length("display_name") between 1 and 50),
      "duration" text not null,
      "roles" jsonb not null,
      "auto_extend_duration" text not null default 'PT0S' check ("auto_extend_duration" in ('PT0S', 'P0D', 'P180D')),
      "status" text not null default 'created',
      "version" integer not null default 1,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now(),
      "activated_at" timestamptz null,
      "end_at" timestamptz null,
      "approval_token_hash" text null,
      "approval_expires_at" timestamptz null,
      "notice7_sent_at" timestamptz null,
      "notice1_sent_at" timestamptz null
    )`);
    this.addSql(
      `create unique index "delegated_admin_relationship_name_uq" on "delegated_admin_relationship" ("partner_tenant_id", lower("display_name"))`,
    );
    this.addSql(
      `create index "delegated_admin_relationship_partner_idx" on "delegated_admin_relationship" ("partner_tenant_id")`,
    );
    this.addSql(
      `create index "delegated_admin_relationship_customer_idx" on "delegated_admin_relationship" ("customer_tenant_id")`,
    );
    this.addSql(
      `create unique index "delegated_admin_relationship_token_uq" on "delegated_admin_relationship" ("approval_token_hash") where "approval_token_hash" is not null`,
    );
    this.addSql(
      `create index "delegated_admin_relationship_due_idx" on "delegated_admin_relationship" ("end_at") where "status" in ('active', 'expiring')`,
    );
    this.addSql(
      `create index "delegated_admin_relationship_pending_idx" on "delegated_admin_relationship" ("approval_expires_at") where "status" = 'approvalPending'`,
    );
    this.addSql(`create table "delegated_admin_relationship_request" (
      "id" uuid not null primary key,
      "relationship_id" uuid not null references "delegated_admin_relationship" ("id") on delete cascade,
      "action" text not null,
      "status" text not null,
      "requested_by_tenant_id" uuid not null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now()
    )`);
    this.addSql(
      `create index "delegated_admin_relationship_request_relationship_idx" on "delegated_admin_relationship_request" ("relationship_id")`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "delegated_admin_relationship_request"`);
    this.addSql(`drop table if exists "delegated_admin_relationship"`);
  }
}
