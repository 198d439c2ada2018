import { Migration } from '@mikro-orm/migrations';

/**
 * Sign-in names scoped to the organisation (issue 9 point 9, no account enumeration): a user's
 * email is unique within its tenant, no longer across tenants, so that creating a user never tells
 * whether an address has an account in another organisation.
 * - `user_account_email_unique` (global) is replaced by `user_account_tenant_email_unique` on
 *   (`tenant_id`, `email`); the column's check keeps `email` lower case, so this is the
 *   (`tenant_id`, lower(`email`)) uniqueness;
 * - `user_account_email_idx` on (`email`, `created_at`, `id`): sign-in without an organisation
 *   looks up every account of a name, oldest first.
 * `down` restores the global uniqueness and fails while two organisations share an address.
 */
export class Migration20261205000009 extends Migration {
  override up(): void {
    this.addSql(`drop index if exists "user_account_email_unique"`);
    this.addSql(
      `create unique index "user_account_tenant_email_unique" on "user_account" ("tenant_id", "email")`,
    );
    this.addSql(
      `create index "user_account_email_idx" on "user_account" ("email", "created_at", "id")`,
    );
  }

  override down(): void {
    this.addSql(`drop index if exists "user_account_email_idx"`);
    this.addSql(`drop index if exists "user_account_tenant_email_unique"`);
    this.addSql(`create unique index "user_account_email_unique" on "user_account" ("email")`);
  }
}
