import { Migration } from '@mikro-orm/migrations';

/**
 * `user_account.sessions_revoked_at`: sessions (refresh token families) issued before this moment
 * are no longer honoured. Set when a user's password is reset or changed, or the user is disabled.
 */
export class Migration20261124000000 extends Migration {
  override up(): void {
    this.addSql(`alter table "user_account" add column "sessions_revoked_at" timestamptz null`);
  }

  override down(): void {
    this.addSql(`alter table "user_account" drop column "sessions_revoked_at"`);
  }
}
