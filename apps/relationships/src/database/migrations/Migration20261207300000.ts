import { Migration } from '@mikro-orm/migrations';
import { IDEMPOTENT_REQUEST_DOWN_SQL, IDEMPOTENT_REQUEST_SQL } from '@app/platform';

/**
 * Idempotent creates by `MS-RequestId` (issue 11 "Headers"): the `idempotent_request` table of
 * `IdempotencyModule` (`IDEMPOTENT_REQUEST_SQL`), purged past `IDEMPOTENT_REQUEST_RETENTION_HOURS`.
 */
export class Migration20261207300000 extends Migration {
  override up(): void {
    for (const sql of IDEMPOTENT_REQUEST_SQL) this.addSql(sql);
  }

  override down(): void {
    for (const sql of IDEMPOTENT_REQUEST_DOWN_SQL) this.addSql(sql);
  }
}
