import { Migration } from '@mikro-orm/migrations';

/**
 * The customer's billing profile (Partner Center's CustomerBillingProfile, issue 11 "Customers"):
 * kept on the customer row relationships holds, with a version counter for its etag.
 */
export class Migration20261207300100 extends Migration {
  override up(): void {
    this.addSql(`alter table "customer" add column "billing_profile" jsonb null`);
    this.addSql(
      `alter table "customer" add column "billing_profile_version" int not null default 0`,
    );
  }

  override down(): void {
    this.addSql(`alter table "customer" drop column "billing_profile_version"`);
    this.addSql(`alter table "customer" drop column "billing_profile"`);
  }
}
