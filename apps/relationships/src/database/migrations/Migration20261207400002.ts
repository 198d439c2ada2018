import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 11, the Customer Agreement as Partner Center serves it and the partner-wide reseller
 * relationship request:
 * - `customer_agreement`: every acceptance (a partner's confirmation, or the customer's own on a
 *   relationship request), with the version of the text; the acceptances recorded so far
 *   (`customer.customer_agreement_accepted_at`) become customer acceptances of the first version,
 *   without a contact (it was not kept), so orders for those customers go on passing the 13605
 *   check;
 * - `partner_relationship_link`: the generation of each partner's reusable link (none = 0); a
 *   rotation increments it, which changes the link and refuses the old one.
 */
export class Migration20261207400002 extends Migration {
  override up(): void {
    this.addSql(
      `create table "customer_agreement" ("id" uuid not null primary key, "customer_id" uuid not null references "customer" ("id"), "partner_tenant_id" uuid null, "source" text not null, "type" text not null, "template_id" text not null, "version" text not null, "user_id" uuid null, "primary_contact_first_name" text null, "primary_contact_last_name" text null, "primary_contact_email" text null, "primary_contact_phone_number" text null, "date_agreed" timestamptz not null, "invitation_id" uuid null, "created_at" timestamptz not null default now(), constraint "customer_agreement_source_check" check ("source" in ('partner_confirmation', 'customer_acceptance')), constraint "customer_agreement_partner_check" check (("source" = 'partner_confirmation') = ("partner_tenant_id" is not null)));`,
    );
    this.addSql(
      `create index "customer_agreement_customer_id_partner_tenant_id_created_at_index" on "customer_agreement" ("customer_id", "partner_tenant_id", "created_at");`,
    );
    this.addSql(
      `insert into "customer_agreement" ("id", "customer_id", "partner_tenant_id", "source", "type", "template_id", "version", "date_agreed", "created_at")
       select gen_random_uuid(), "id", null, 'customer_acceptance', 'MicrosoftCustomerAgreement', '6b1b0e1e-2a3c-4d8e-9f10-5c2d7a4b8e01', '2026-12', "customer_agreement_accepted_at", "customer_agreement_accepted_at"
         from "customer" where "customer_agreement_accepted_at" is not null;`,
    );
    this.addSql(
      `create table "partner_relationship_link" ("partner_tenant_id" uuid not null primary key, "generation" int not null default 0, "rotated_at" timestamptz null, "rotated_by" uuid null);`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "partner_relationship_link";`);
    this.addSql(`drop table if exists "customer_agreement";`);
  }
}
