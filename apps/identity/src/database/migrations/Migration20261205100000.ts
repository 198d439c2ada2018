import { Migration } from '@mikro-orm/migrations';

/**
 * Delegated access ends when its grant ends (issue 9 points 3 and 4):
 * - `user_account` records the delegation a user was created through (partner, kind, grant);
 * - `admin_access_grant` holds one row per authorization (`authorization_id`, unique; existing rows
 *   take their own id), at most one active per (provider, reseller), `ended` besides `withdrawn`,
 *   `granted_by` null for a removal recorded before its authorization;
 * - `ended_delegation` records each grant that ended (the idempotency of its ending).
 */
export class Migration20261205100000 extends Migration {
  override up(): void {
    this.addSql(`alter table "user_account"
      add column "delegated_by_tenant_id" uuid null,
      add column "delegation_kind" text null
        check ("delegation_kind" in ('admin_access', 'delegated_admin')),
      add column "delegation_grant_id" uuid null;`);
    this.addSql(
      `create index "user_account_delegation_grant_idx" on "user_account" ("delegation_grant_id") where "delegation_grant_id" is not null;`,
    );

    this.addSql(`alter table "admin_access_grant" add column "authorization_id" uuid null;`);
    this.addSql(`update "admin_access_grant" set "authorization_id" = "id";`);
    this.addSql(`alter table "admin_access_grant"
      alter column "authorization_id" set not null,
      alter column "granted_by" drop not null,
      drop constraint if exists "admin_access_grant_provider_tenant_id_reseller_tenant_id_key",
      drop constraint if exists "admin_access_grant_status_check",
      add constraint "admin_access_grant_status_check"
        check ("status" in ('active', 'withdrawn', 'ended')),
      add constraint "admin_access_grant_authorization_uq" unique ("authorization_id");`);
    this.addSql(
      `create unique index "admin_access_grant_active_uq" on "admin_access_grant" ("provider_tenant_id", "reseller_tenant_id") where "status" = 'active';`,
    );

    this.addSql(`create table "ended_delegation" (
      "grant_id" uuid not null primary key,
      "kind" text not null check ("kind" in ('admin_access', 'delegated_admin')),
      "tenant_id" uuid not null,
      "delegated_by_tenant_id" uuid not null,
      "ended_at" timestamptz not null,
      "disabled_users" integer not null default 0
    );`);
  }

  override down(): void {
    this.addSql(`drop table if exists "ended_delegation";`);
    this.addSql(`drop index if exists "admin_access_grant_active_uq";`);
    this.addSql(`delete from "admin_access_grant" a using "admin_access_grant" b
      where a."provider_tenant_id" = b."provider_tenant_id"
        and a."reseller_tenant_id" = b."reseller_tenant_id"
        and (a."granted_at", a."id") < (b."granted_at", b."id");`);
    this.addSql(`update "admin_access_grant" set "status" = 'withdrawn' where "status" = 'ended';`);
    this.addSql(`alter table "admin_access_grant"
      drop constraint "admin_access_grant_authorization_uq",
      drop constraint "admin_access_grant_status_check",
      add constraint "admin_access_grant_status_check" check ("status" in ('active', 'withdrawn')),
      add constraint "admin_access_grant_provider_tenant_id_reseller_tenant_id_key"
        unique ("provider_tenant_id", "reseller_tenant_id"),
      drop column "authorization_id";`);
    this.addSql(`drop index if exists "user_account_delegation_grant_idx";`);
    this.addSql(`alter table "user_account"
      drop column "delegated_by_tenant_id",
      drop column "delegation_kind",
      drop column "delegation_grant_id";`);
  }
}
