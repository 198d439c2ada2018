import { Migration } from '@mikro-orm/migrations';

/**
 * `customer.customer_agreement_accepted_at`: the Customer Agreement acceptance written in the
 * transaction that accepts a reseller relationship (identity records it from the
 * `customer-agreement.accepted` event queued in that same transaction).
 */
export class Migration20261205000001 extends Migration {
  override up(): void {
    this.addSql(
      `alter table "customer" add column "customer_agreement_accepted_at" timestamptz null;`,
    );
  }

  override down(): void {
    this.addSql(`alter table "customer" drop column "customer_agreement_accepted_at";`);
  }
}
