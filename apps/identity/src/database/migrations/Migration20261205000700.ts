import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 9 points 7 and 8: every sign-in name is verified before its first sign-in, and a
 * forgotten password is reset through an emailed link.
 * - `user_account.email_verified_at`: when the user proved its address (null: not yet; sign-in
 *   answers 403 `auth.email_unverified`). Every existing user (the platform operator among them)
 *   counts as verified from its creation: they signed in under the old rule.
 * - `enrollment_verification_token` also carries the links of one user (`user_id`, with
 *   `enrollment_id` null): `sign_in_email` (a new user verifies its sign-in name) and
 *   `password_reset` (a forgotten password). Same hashing, single use and expiry as the enrollment
 *   links.
 * - Indexes for the sweep of unverified enrollments and sign-ups (by creation time, among users
 *   still unverified).
 */
export class Migration20261205000700 extends Migration {
  override up(): void {
    this.addSql(`alter table "user_account" add column "email_verified_at" timestamptz null;`);
    this.addSql(`update "user_account" set "email_verified_at" = "created_at";`);
    this.addSql(
      `create index "user_account_unverified_idx" on "user_account" ("created_at") where "email_verified_at" is null;`,
    );
    this.addSql(`alter table "enrollment_verification_token"
      alter column "enrollment_id" drop not null,
      add column "user_id" uuid null references "user_account" ("id") on delete cascade deferrable initially deferred,
      drop constraint if exists "enrollment_verification_token_purpose_check";`);
    this.addSql(`alter table "enrollment_verification_token"
      add constraint "enrollment_verification_token_purpose_check" check (
        ("purpose" in ('enrollment', 'primary_contact') and "enrollment_id" is not null)
        or ("purpose" in ('sign_in_email', 'password_reset') and "user_id" is not null));`);
    this.addSql(
      `create index "enrollment_verification_token_user_idx" on "enrollment_verification_token" ("user_id", "purpose") where "user_id" is not null;`,
    );
  }

  override down(): void {
    this.addSql(`drop index if exists "enrollment_verification_token_user_idx";`);
    this.addSql(`delete from "enrollment_verification_token" where "user_id" is not null;`);
    this.addSql(`alter table "enrollment_verification_token"
      drop constraint if exists "enrollment_verification_token_purpose_check",
      drop column "user_id",
      alter column "enrollment_id" set not null;`);
    this.addSql(`alter table "enrollment_verification_token"
      add constraint "enrollment_verification_token_purpose_check" check ("purpose" in ('enrollment', 'primary_contact'));`);
    this.addSql(`drop index if exists "user_account_unverified_idx";`);
    this.addSql(`alter table "user_account" drop column "email_verified_at";`);
  }
}
