import { Migration } from '@mikro-orm/migrations';
import { OUTBOX_RETENTION_DOWN_SQL, OUTBOX_RETENTION_SQL } from '@app/outbox';

/**
 * Retention (issue 13 goal 6 "Bounded growth"): the index over settled outbox rows
 * (`OUTBOX_RETENTION_SQL`) and one over processed-request records by age, for the purges that
 * delete them past `OUTBOX_RETENTION_HOURS` and `PROCESSED_REQUEST_RETENTION_HOURS`.
 */
export class Migration20261206400000 extends Migration {
  override up(): void {
    for (const sql of OUTBOX_RETENTION_SQL) this.addSql(sql);
    this.addSql(
      `create index "processed_request_created_idx" on "processed_request" ("created_at");`,
    );
  }

  override down(): void {
    this.addSql(`drop index if exists "processed_request_created_idx";`);
    for (const sql of OUTBOX_RETENTION_DOWN_SQL) this.addSql(sql);
  }
}
