import { Migration } from '@mikro-orm/migrations';

/**
 * Verification links for two purposes and the review reason:
 * - `enrollment_verification_token.purpose`: `enrollment` (the primary contact verifies at
 *   enrollment) or `primary_contact` (a changed primary contact email is verified again), `email`
 *   (the address the link was sent to; existing rows get their partner's primary contact) and
 *   `email_message_id` (the outbox id of the email that carried it, so a superseded link's email
 *   can be cancelled);
 * - `tenant.pending_primary_contact_email`: a new primary contact email waiting for verification
 *   (the current one stays until then);
 * - `enrollment.rejection_reason` becomes `review_reason`: the operator's reason for either
 *   decision (required to reject, optional to approve);
 * - `user_account.account_notice_sent_at`: when the address was last told that someone tried to
 *   create an account with it (at most one such notice an hour).
 */
export class Migration20261124000002 extends Migration {
  override up(): void {
    this.addSql(`alter table "enrollment_verification_token"
      add column "purpose" text not null default 'enrollment' check ("purpose" in ('enrollment', 'primary_contact')),
      add column "email" text null,
      add column "email_message_id" uuid null`);
    this
      .addSql(`update "enrollment_verification_token" v set "email" = t."primary_contact"->>'email'
      from "enrollment" e join "tenant" t on t."id" = e."tenant_id" where e."id" = v."enrollment_id"`);
    this.addSql(
      `create index "enrollment_verification_token_enrollment_idx" on "enrollment_verification_token" ("enrollment_id", "purpose", "created_at")`,
    );
    this.addSql(`alter table "tenant" add column "pending_primary_contact_email" text null`);
    this.addSql(
      `create index "tenant_pending_enrollment_contact_idx" on "tenant" ((("primary_contact"->>'email'))) where "partner_status" = 'pending_verification'`,
    );
    this.addSql(
      `create index "tenant_pending_primary_contact_idx" on "tenant" ("pending_primary_contact_email") where "pending_primary_contact_email" is not null`,
    );
    this.addSql(`alter table "enrollment" rename column "rejection_reason" to "review_reason"`);
    this.addSql(`alter table "user_account" add column "account_notice_sent_at" timestamptz null`);
  }

  override down(): void {
    this.addSql(`alter table "user_account" drop column "account_notice_sent_at"`);
    this.addSql(`alter table "enrollment" rename column "review_reason" to "rejection_reason"`);
    this.addSql(`drop index if exists "tenant_pending_primary_contact_idx"`);
    this.addSql(`drop index if exists "tenant_pending_enrollment_contact_idx"`);
    this.addSql(`alter table "tenant" drop column "pending_primary_contact_email"`);
    this.addSql(`drop index if exists "enrollment_verification_token_enrollment_idx"`);
    this.addSql(`alter table "enrollment_verification_token"
      drop column "email_message_id", drop column "email", drop column "purpose"`);
  }
}
