import { Migration } from '@mikro-orm/migrations';

/**
 * Retention (issue 13 goal 6 "Bounded growth"): an index over settled delivery records by their
 * last change, for the purge that deletes them past `DELIVERY_RECORD_RETENTION_HOURS`.
 */
export class Migration20261206400000 extends Migration {
  override up(): void {
    this.addSql(
      `create index "delivery_settled_idx" on "delivery" ("updated_at") where "settled";`,
    );
  }

  override down(): void {
    this.addSql(`drop index if exists "delivery_settled_idx";`);
  }
}
