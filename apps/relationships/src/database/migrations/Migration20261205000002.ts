import { Migration } from '@mikro-orm/migrations';

/**
 * `invitation_email_send`: the invitation emails queued, counted by the caps per inviting partner
 * per hour and per recipient per day (`invitations/invitation-email-caps.ts`).
 */
export class Migration20261205000002 extends Migration {
  override up(): void {
    this.addSql(`create table "invitation_email_send" (
      "id" uuid not null,
      "partner_tenant_id" uuid not null,
      "recipient" text not null,
      "invitation_id" uuid not null,
      "sent_at" timestamptz not null,
      constraint "invitation_email_send_pkey" primary key ("id"));`);
    this.addSql(
      `create index "invitation_email_send_partner_idx" on "invitation_email_send" ("partner_tenant_id", "sent_at");`,
    );
    this.addSql(
      `create index "invitation_email_send_recipient_idx" on "invitation_email_send" ("recipient", "sent_at");`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "invitation_email_send";`);
  }
}
