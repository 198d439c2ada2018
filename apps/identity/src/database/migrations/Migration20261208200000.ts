import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 10 (the indirect provider's access to a reseller becomes a delegated admin relationship):
 * the record of the accounts minted under the old administrator access that were retired (disabled,
 * sessions revoked) by the `migrate` step `retireMintedAccounts`. One row per account, written once:
 * the step is idempotent, and an account the reseller's admins enable again afterwards stays
 * enabled. The step itself runs after the migrations (`afterMigrate`), because ending the access
 * tokens writes the revocation list in Redis.
 */
export class Migration20261208200000 extends Migration {
  override up(): void {
    this.addSql(`create table "retired_minted_account" (
      "user_id" uuid not null primary key references "user_account" ("id") on delete cascade,
      "tenant_id" uuid not null,
      "delegated_by_tenant_id" uuid not null,
      "email" text not null,
      "retired_at" timestamptz not null
    );`);
  }

  override down(): void {
    this.addSql(`drop table if exists "retired_minted_account";`);
  }
}
