import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 11, customer filters as Partner Center sends them (`GET /v1/customers?filter=`): a company
 * name or default domain that starts with a text, ignoring case. `text_pattern_ops` lets
 * `lower(x) like 'prefix%'` use the index whatever the database's collation.
 */
export class Migration20261207400001 extends Migration {
  override up(): void {
    this.addSql(
      `create index "reseller_relationship_partner_name_prefix_idx" on "reseller_relationship" ("partner_tenant_id", lower("customer_name") text_pattern_ops) where "status" = 'active';`,
    );
    this.addSql(
      `create index "customer_domain_prefix_idx" on "customer" (lower("domain") text_pattern_ops);`,
    );
  }

  override down(): void {
    this.addSql(`drop index if exists "customer_domain_prefix_idx";`);
    this.addSql(`drop index if exists "reseller_relationship_partner_name_prefix_idx";`);
  }
}
