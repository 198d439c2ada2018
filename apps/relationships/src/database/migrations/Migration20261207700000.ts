import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 10 part 2 (GDAP): access assignments of delegated admin relationships (one live assignment
 * per security group and relationship) and the relationships' operations (an assignment's change).
 */
export class Migration20261207700000 extends Migration {
  override up(): void {
    this.addSql(`create table "delegated_admin_access_assignment" (
      "id" uuid not null primary key,
      "relationship_id" uuid not null references "delegated_admin_relationship" ("id") on delete cascade,
      "partner_tenant_id" uuid not null,
      "group_id" uuid not null,
      "roles" jsonb not null,
      "status" text not null check ("status" in ('pending', 'active', 'deleting', 'deleted')),
      "version" integer not null default 1,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now()
    )`);
    this.addSql(
      `create index "delegated_admin_access_assignment_relationship_idx" on "delegated_admin_access_assignment" ("relationship_id")`,
    );
    this.addSql(
      `create unique index "delegated_admin_access_assignment_group_uq" on "delegated_admin_access_assignment" ("relationship_id", "group_id") where "status" <> 'deleted'`,
    );
    this.addSql(
      `create index "delegated_admin_access_assignment_group_idx" on "delegated_admin_access_assignment" ("group_id") where "status" = 'active'`,
    );
    this.addSql(`create table "delegated_admin_relationship_operation" (
      "id" uuid not null primary key,
      "relationship_id" uuid not null references "delegated_admin_relationship" ("id") on delete cascade,
      "operation_type" text not null,
      "data" text not null,
      "status" text not null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now()
    )`);
    this.addSql(
      `create index "delegated_admin_relationship_operation_relationship_idx" on "delegated_admin_relationship_operation" ("relationship_id")`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "delegated_admin_relationship_operation"`);
    this.addSql(`drop table if exists "delegated_admin_access_assignment"`);
  }
}
