import { Migration } from '@mikro-orm/migrations';

/**
 * Subscriptions as Partner Center serves them (issue 11 "Resources to complete: Subscriptions"):
 * the partner's `friendlyName`, the ordering partner's Partner ID (MPN ID) for `partnerId` (the
 * reseller of record), and a version raised by every change for `attributes.etag` / `If-Match`.
 */
export class Migration20261207500001 extends Migration {
  override up(): void {
    this.addSql(`alter table "subscription"
      add column "friendly_name" text null,
      add column "partner_mpn_id" text null,
      add column "version" integer not null default 1;`);
  }

  override down(): void {
    this.addSql(`alter table "subscription"
      drop column "friendly_name",
      drop column "partner_mpn_id",
      drop column "version";`);
  }
}
