import { Migration } from '@mikro-orm/migrations';

/**
 * Sessions and tokens you can trust:
 * - `refresh_token`: opaque refresh tokens, stored as SHA-256 only, in families (one per sign-in)
 *   that rotate on every use; `session_started_at` is the family's sign-in, compared with
 *   `user_account.sessions_revoked_at`.
 */
export class Migration20261124000001 extends Migration {
  override up(): void {
    this.addSql(`create table "refresh_token" (
      "id" uuid not null primary key,
      "family_id" uuid not null,
      "user_id" uuid not null references "user_account" ("id") on delete cascade,
      "tenant_id" uuid not null,
      "token_hash" text not null,
      "session_started_at" timestamptz not null,
      "issued_at" timestamptz not null,
      "expires_at" timestamptz not null,
      "used_at" timestamptz null,
      "revoked_at" timestamptz null,
      "replaced_by" uuid null,
      constraint "refresh_token_token_hash_unique" unique ("token_hash"),
      check ("expires_at" > "issued_at")
    );`);
    this.addSql(`create index "refresh_token_family_id_index" on "refresh_token" ("family_id");`);
    this.addSql(`create index "refresh_token_user_id_index" on "refresh_token" ("user_id");`);
    this.addSql(`create index "refresh_token_expires_at_index" on "refresh_token" ("expires_at");`);
  }

  override down(): void {
    this.addSql(`drop table if exists "refresh_token" cascade;`);
  }
}
