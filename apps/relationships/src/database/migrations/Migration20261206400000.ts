import { Migration } from '@mikro-orm/migrations';
import { OUTBOX_RETENTION_DOWN_SQL, OUTBOX_RETENTION_SQL } from '@app/outbox';

/**
 * Retention (issue 13 goal 6 "Bounded growth"): the index over settled outbox rows
 * (`OUTBOX_RETENTION_SQL`) for the relay's purge past `OUTBOX_RETENTION_HOURS`.
 */
export class Migration20261206400000 extends Migration {
  override up(): void {
    for (const sql of OUTBOX_RETENTION_SQL) this.addSql(sql);
  }

  override down(): void {
    for (const sql of OUTBOX_RETENTION_DOWN_SQL) this.addSql(sql);
  }
}
