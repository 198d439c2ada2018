import { Migration } from '@mikro-orm/migrations';
import { OUTBOX_CONFIRMATION_DOWN_SQL, OUTBOX_CONFIRMATION_SQL } from '@app/outbox';

/**
 * Outbox delivery confirmation (`OUTBOX_CONFIRMATION_SQL`): relay count and times, settlement,
 * the index of relayed unsettled rows, and the insert trigger that notifies `outbox_message` so
 * that the relay wakes at once.
 */
export class Migration20261124000003 extends Migration {
  override up(): void {
    for (const sql of OUTBOX_CONFIRMATION_SQL) this.addSql(sql);
  }

  override down(): void {
    for (const sql of OUTBOX_CONFIRMATION_DOWN_SQL) this.addSql(sql);
  }
}
