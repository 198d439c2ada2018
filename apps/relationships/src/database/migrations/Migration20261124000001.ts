import { Migration } from '@mikro-orm/migrations';
import { OUTBOX_CONFIRMATION_DOWN_SQL, OUTBOX_CONFIRMATION_SQL } from '@app/outbox';

/**
 * - Outbox delivery confirmation (`OUTBOX_CONFIRMATION_SQL`): relay count and times, settlement,
 *   the index of relayed unsettled rows, and the insert trigger that notifies `outbox_message` so
 *   that the relay wakes at once.
 * - `invitation.last_email_key`: the outbox row id (the delivery's idempotency key) of the
 *   invitation's latest email, cancelled when the invitation is revoked or resent.
 */
export class Migration20261124000001 extends Migration {
  override up(): void {
    for (const sql of OUTBOX_CONFIRMATION_SQL) this.addSql(sql);
    this.addSql(`alter table "invitation" add column "last_email_key" uuid null;`);
  }

  override down(): void {
    this.addSql(`alter table "invitation" drop column "last_email_key";`);
    for (const sql of OUTBOX_CONFIRMATION_DOWN_SQL) this.addSql(sql);
  }
}
