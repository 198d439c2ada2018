import { Migration } from '@mikro-orm/migrations';

/**
 * Customer users deleted as Partner Center does (issue 11 "Customer users and directory roles"): a
 * soft deletion (`soft_deleted_at`: Partner Center's `softDeletionTime`, state `inactive`),
 * restorable until the retention has passed, then purged by `soft_deleted_at` (the partial index);
 * `disabled_before_deletion` keeps what a restore gives back.
 */
export class Migration20261207500002 extends Migration {
  override up(): void {
    this.addSql(`alter table "user_account"
      add column "soft_deleted_at" timestamptz null,
      add column "disabled_before_deletion" boolean not null default false;`);
    this.addSql(`create index "user_account_soft_deleted_idx" on "user_account" ("soft_deleted_at")
      where "soft_deleted_at" is not null;`);
  }

  override down(): void {
    this.addSql(`drop index "user_account_soft_deleted_idx";`);
    this.addSql(`alter table "user_account"
      drop column "soft_deleted_at",
      drop column "disabled_before_deletion";`);
  }
}
