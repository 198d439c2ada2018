import { Migration } from '@mikro-orm/migrations';

/**
 * GDAP part 2 (issue 10): partner security groups and their members (the access containers of
 * delegated admin relationships' access assignments), and `gdap` as a way a user was created in a
 * customer (a partner user acting through a delegated admin relationship; the customer owns the
 * user: it is never disabled when the relationship ends).
 */
export class Migration20261207700000 extends Migration {
  override up(): void {
    this.addSql(`create table "security_group" (
      "id" uuid not null primary key,
      "tenant_id" uuid not null references "tenant" ("id") on delete cascade,
      "display_name" text not null,
      "description" text null,
      "created_at" timestamptz not null
    );`);
    this.addSql(
      `create index "security_group_tenant_idx" on "security_group" ("tenant_id", "created_at", "id");`,
    );
    this.addSql(`create table "security_group_member" (
      "group_id" uuid not null references "security_group" ("id") on delete cascade,
      "user_id" uuid not null references "user_account" ("id") on delete cascade,
      "tenant_id" uuid not null,
      "added_at" timestamptz not null,
      primary key ("group_id", "user_id")
    );`);
    this.addSql(
      `create index "security_group_member_user_idx" on "security_group_member" ("user_id");`,
    );
    this.addSql(
      `alter table "user_account" drop constraint if exists "user_account_delegation_kind_check";`,
    );
    this.addSql(`alter table "user_account" add constraint "user_account_delegation_kind_check"
      check ("delegation_kind" in ('admin_access', 'delegated_admin', 'gdap'));`);
  }

  override down(): void {
    this.addSql(
      `alter table "user_account" drop constraint if exists "user_account_delegation_kind_check";`,
    );
    this.addSql(`alter table "user_account" add constraint "user_account_delegation_kind_check"
      check ("delegation_kind" in ('admin_access', 'delegated_admin'));`);
    this.addSql(`drop table if exists "security_group_member";`);
    this.addSql(`drop table if exists "security_group";`);
  }
}
