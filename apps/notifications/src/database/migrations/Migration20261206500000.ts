import { Migration } from '@mikro-orm/migrations';
import {
  OUTBOX_CONFIRMATION_DOWN_SQL,
  OUTBOX_CONFIRMATION_SQL,
  OUTBOX_RETENTION_DOWN_SQL,
  OUTBOX_RETENTION_SQL,
  OUTBOX_TABLE_SQL,
} from '@app/outbox';

/**
 * The outbox of notifications (issue 14 "One audit trail"): an operator's replay of a delivery is
 * a state change whose audit event leaves in the replay's transaction, like every other service's
 * (`OUTBOX_TABLE_SQL`, its confirmation and retention steps).
 */
export class Migration20261206500000 extends Migration {
  override up(): void {
    for (const sql of [...OUTBOX_TABLE_SQL, ...OUTBOX_CONFIRMATION_SQL, ...OUTBOX_RETENTION_SQL]) {
      this.addSql(sql);
    }
  }

  override down(): void {
    for (const sql of [...OUTBOX_RETENTION_DOWN_SQL, ...OUTBOX_CONFIRMATION_DOWN_SQL]) {
      this.addSql(sql);
    }
    this.addSql(`drop table if exists "outbox_message";`);
  }
}
