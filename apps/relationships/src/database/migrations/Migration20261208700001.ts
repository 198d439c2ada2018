import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 13 goal 1: the invitation email caps in one function, so that the statement that writes
 * an invitation also counts its email (one round trip instead of two). `invitation_email_take`
 * takes the caps' transaction-scoped advisory locks (the partner's, then the recipient's), then
 * reads, with a snapshot taken after the locks (each statement of a volatile PL/pgSQL function
 * takes its own), the send time of the `limit`-th newest send inside each cap's window; when both
 * caps leave room it deletes the sends of this partner and recipient older than the longest
 * window and writes this one, otherwise it raises SQLSTATE `PC429` with `detail` =
 * `{"partner": <time or null>, "recipient": <time or null>}`, which rolls the statement (and the
 * caller's transaction) back.
 */
export class Migration20261208700001 extends Migration {
  override up(): void {
    this.addSql(`create function "invitation_email_take"(
      "partner_lock" text, "recipient_lock" text,
      "partner" uuid, "partner_since" timestamptz, "partner_offset" int,
      "recipient" text, "recipient_since" timestamptz, "recipient_offset" int,
      "kept_since" timestamptz, "send_id" uuid, "invitation" uuid, "at" timestamptz)
    returns void language plpgsql volatile as $fn$
    declare
      "partner_full" timestamptz;
      "recipient_full" timestamptz;
    begin
      perform pg_advisory_xact_lock(hashtextextended("partner_lock", 0));
      perform pg_advisory_xact_lock(hashtextextended("recipient_lock", 0));
      select s."sent_at" into "partner_full" from "invitation_email_send" s
        where s."partner_tenant_id" = "partner" and s."sent_at" > "partner_since"
        order by s."sent_at" desc, s."id" desc offset "partner_offset" limit 1;
      select s."sent_at" into "recipient_full" from "invitation_email_send" s
        where s."recipient" = "invitation_email_take"."recipient" and s."sent_at" > "recipient_since"
        order by s."sent_at" desc, s."id" desc offset "recipient_offset" limit 1;
      if "partner_full" is not null or "recipient_full" is not null then
        raise exception 'invitation email limit reached' using errcode = 'PC429',
          detail = json_build_object('partner', "partner_full", 'recipient', "recipient_full")::text;
      end if;
      delete from "invitation_email_send" s
        where (s."partner_tenant_id" = "partner" or s."recipient" = "invitation_email_take"."recipient")
          and s."sent_at" <= "kept_since";
      insert into "invitation_email_send" ("id", "partner_tenant_id", "recipient", "invitation_id", "sent_at")
        values ("send_id", "partner", "invitation_email_take"."recipient", "invitation", "at");
    end
    $fn$`);
  }

  override down(): void {
    this.addSql(
      `drop function if exists "invitation_email_take"(text, text, uuid, timestamptz, int, text, timestamptz, int, timestamptz, uuid, uuid, timestamptz)`,
    );
  }
}
