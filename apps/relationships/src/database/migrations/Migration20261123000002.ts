import { Migration } from '@mikro-orm/migrations';

/**
 * Customers, reseller relationships (with delegated admin privileges) and subscriptions.
 *
 * Index design for 100,000 customers under one partner: the customer list is a keyset scan by
 * (company name, customer id) over active relationships, optionally filtered by indirect
 * reseller; each variant has a partial index whose leading columns are the equality filters and
 * whose trailing columns are the sort key, so a page reads `size + 1` index entries.
 */
export class Migration20261123000002 extends Migration {
  override up(): void {
    this.addSql(
      `create table "customer" ("id" uuid not null primary key, "company_name" text not null, "domain" text not null, "country" text not null, "cloud" text not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "customer_cloud_check" check ("cloud" in ('public', 'us-gov', 'germany')));`,
    );
    this.addSql(
      `create table "reseller_relationship" ("id" uuid not null primary key, "partner_tenant_id" uuid not null, "partner_type" text not null, "customer_id" uuid not null references "customer" ("id"), "customer_name" text not null, "indirect_reseller_id" uuid null, "status" text not null, "established_at" timestamptz not null, "removed_at" timestamptz null, "delegated_admin_status" text not null default 'none', "delegated_admin_granted_at" timestamptz null, "delegated_admin_revoked_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "reseller_relationship_status_check" check ("status" in ('active', 'removed')), constraint "reseller_relationship_dap_check" check ("delegated_admin_status" in ('none', 'active', 'revoked')));`,
    );
    this.addSql(
      `alter table "reseller_relationship" add constraint "reseller_relationship_partner_customer_uq" unique ("partner_tenant_id", "customer_id");`,
    );
    this.addSql(
      `create index "reseller_relationship_partner_list_idx" on "reseller_relationship" ("partner_tenant_id", "customer_name", "customer_id") where "status" = 'active';`,
    );
    this.addSql(
      `create index "reseller_relationship_partner_reseller_list_idx" on "reseller_relationship" ("partner_tenant_id", "indirect_reseller_id", "customer_name", "customer_id") where "status" = 'active' and "indirect_reseller_id" is not null;`,
    );
    this.addSql(
      `create index "reseller_relationship_customer_idx" on "reseller_relationship" ("customer_id", "created_at", "id");`,
    );
    this.addSql(
      `create table "subscription" ("id" uuid not null primary key, "customer_id" uuid not null references "customer" ("id"), "partner_tenant_id" uuid not null, "offer_id" text not null, "quantity" integer not null, "status" text not null, "associated_reseller_mpn_id" text null, "associated_reseller_tenant_id" uuid null, "designated_support_contact_id" uuid null, "designated_support_contact_name" text null, "designated_support_contact_mpn_id" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "subscription_status_check" check ("status" in ('active', 'suspended')), constraint "subscription_quantity_check" check ("quantity" > 0));`,
    );
    this.addSql(
      `create index "subscription_customer_idx" on "subscription" ("customer_id", "created_at", "id");`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "subscription";`);
    this.addSql(`drop table if exists "reseller_relationship";`);
    this.addSql(`drop table if exists "customer";`);
  }
}
