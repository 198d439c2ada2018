import { Migration } from '@mikro-orm/migrations';

/**
 * Sessions and tokens you can trust:
 * - `refresh_token`: opaque refresh tokens, stored as SHA-256 only, in families (one per sign-in)
 *   that rotate on every use; `session_started_at` is the family's sign-in, compared with
 *   `user_account.sessions_revoked_at`.
 * - `signing_key` lifecycle: `status` (`active` signs; `previous` verifies until `retire_after`;
 *   `retired` neither) replaces `active`, with `rotated_at` and `retire_after`; one active key at
 *   most; the private half moves to `private_key_jwe` (encrypted under SIGNING_KEY_ENCRYPTION_KEY;
 *   the service encrypts the existing plaintext `private_jwk` at its next start-up, since the
 *   deployment key is configuration, not schema).
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

    this.addSql(`alter table "signing_key"
      add column "status" text not null default 'active'
        check ("status" in ('active', 'previous', 'retired')),
      add column "rotated_at" timestamptz null,
      add column "retire_after" timestamptz null,
      add column "private_key_jwe" text null,
      alter column "private_jwk" drop not null;`);
    // The old code signed with the newest active key (created_at desc, kid asc) and never with
    // another one: that key stays active, the others retire.
    this.addSql(`update "signing_key" k set "status" = 'retired', "private_jwk" = null
      where not k."active" or exists (
        select 1 from "signing_key" n
         where n."active" and n."kid" <> k."kid"
           and (n."created_at" > k."created_at" or (n."created_at" = k."created_at" and n."kid" < k."kid")));`);
    this.addSql(
      `alter table "signing_key" drop column "active", alter column "status" drop default;`,
    );
    this.addSql(
      `create unique index "signing_key_one_active" on "signing_key" ("status") where "status" = 'active';`,
    );
    this.addSql(`alter table "signing_key" add constraint "signing_key_lifecycle_check" check (
      ("status" <> 'active' or "private_jwk" is not null or "private_key_jwe" is not null)
      and ("status" <> 'previous' or ("rotated_at" is not null and "retire_after" is not null))
      and ("status" <> 'retired' or ("private_jwk" is null and "private_key_jwe" is null)));`);
  }

  override down(): void {
    this.addSql(`drop table if exists "refresh_token" cascade;`);
    // Encrypted keys cannot go back to plaintext here: they are dropped (the next start-up of the
    // older code generates a new one; tokens signed before expire).
    this.addSql(`alter table "signing_key" drop constraint "signing_key_lifecycle_check";`);
    this.addSql(`drop index "signing_key_one_active";`);
    this.addSql(`delete from "signing_key" where "private_jwk" is null;`);
    this.addSql(`alter table "signing_key"
      add column "active" boolean not null default true,
      alter column "private_jwk" set not null;`);
    this.addSql(`update "signing_key" set "active" = ("status" <> 'retired');`);
    this.addSql(`alter table "signing_key"
      drop column "status", drop column "rotated_at", drop column "retire_after",
      drop column "private_key_jwe";`);
  }
}
