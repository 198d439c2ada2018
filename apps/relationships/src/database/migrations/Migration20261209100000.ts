import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 13 goal 1: the per-partner cap of `invitation_email_take` in constant work. The function
 * found the `limit`-th newest send of the partner inside the hour with `order by sent_at desc, id
 * desc offset limit - 1`, which reads (and sorts) every send of the partner in the window: up to
 * `INVITATION_EMAILS_PER_PARTNER_PER_HOUR` rows per invitation (about 200 per email under the
 * bench's load). Each send now carries `partner_seq`, its rank among the partner's sends (1, 2, …;
 * the newest has the highest), so that the `limit`-th newest is one unique-index lookup: the row of
 * rank `newest - (limit - 1)`. Ranks follow send times: a send is recorded at no earlier time than
 * the partner's newest (`greatest`, under the partner's advisory lock), so the `limit`-th newest
 * by rank has the `limit`-th newest send time, as before. Sends older than the longest window go
 * from the oldest end: the recipient's as before, the partner's at most two per new send (its two
 * oldest, when older than the longest window), instead of an index over its send times. The
 * per-recipient cap reads at most `limit` entries of its index (no sort: the `limit`-th newest
 * time does not depend on how equal times are ordered). Same rules, same refusal (`PC429` with
 * the `limit`-th newest times), same signature.
 */
export class Migration20261209100000 extends Migration {
  override up(): void {
    this.addSql(`alter table "invitation_email_send" add column "partner_seq" bigint;`);
    this.addSql(`update "invitation_email_send" s set "partner_seq" = r."rank"
      from (select "id", row_number() over (partition by "partner_tenant_id" order by "sent_at", "id") as "rank"
            from "invitation_email_send") r
      where r."id" = s."id";`);
    this.addSql(`alter table "invitation_email_send" alter column "partner_seq" set not null;`);
    this.addSql(`drop index if exists "invitation_email_send_partner_idx";`);
    this.addSql(
      `create unique index "invitation_email_send_partner_seq_idx" on "invitation_email_send" ("partner_tenant_id", "partner_seq");`,
    );
    this.addSql(`create or replace function "invitation_email_take"(
      "partner_lock" text, "recipient_lock" text,
      "partner" uuid, "partner_since" timestamptz, "partner_offset" int,
      "recipient" text, "recipient_since" timestamptz, "recipient_offset" int,
      "kept_since" timestamptz, "send_id" uuid, "invitation" uuid, "at" timestamptz)
    returns void language plpgsql volatile as $fn$
    declare
      "newest_seq" bigint;
      "newest_at" timestamptz;
      "partner_full" timestamptz;
      "recipient_full" timestamptz;
    begin
      perform pg_advisory_xact_lock(hashtextextended("partner_lock", 0));
      perform pg_advisory_xact_lock(hashtextextended("recipient_lock", 0));
      select s."partner_seq", s."sent_at" into "newest_seq", "newest_at" from "invitation_email_send" s
        where s."partner_tenant_id" = "partner" order by s."partner_seq" desc limit 1;
      if "newest_seq" is not null then
        select s."sent_at" into "partner_full" from "invitation_email_send" s
          where s."partner_tenant_id" = "partner" and s."partner_seq" = "newest_seq" - "partner_offset"
            and s."sent_at" > "partner_since";
      end if;
      select s."sent_at" into "recipient_full" from "invitation_email_send" s
        where s."recipient" = "invitation_email_take"."recipient" and s."sent_at" > "recipient_since"
        order by s."sent_at" desc offset "recipient_offset" limit 1;
      if "partner_full" is not null or "recipient_full" is not null then
        raise exception 'invitation email limit reached' using errcode = 'PC429',
          detail = json_build_object('partner', "partner_full", 'recipient', "recipient_full")::text;
      end if;
      delete from "invitation_email_send" s
        where s."recipient" = "invitation_email_take"."recipient" and s."sent_at" <= "kept_since";
      if "newest_at" is not null and "newest_at" <= "kept_since" then
        -- Nothing of this partner inside any window: its ranks start again.
        delete from "invitation_email_send" s where s."partner_tenant_id" = "partner";
        "newest_seq" := null;
      elsif "newest_seq" is not null then
        delete from "invitation_email_send" s
          where s."id" in (select o."id" from "invitation_email_send" o
                           where o."partner_tenant_id" = "partner" order by o."partner_seq" limit 2)
            and s."sent_at" <= "kept_since";
      end if;
      insert into "invitation_email_send" ("id", "partner_tenant_id", "partner_seq", "recipient", "invitation_id", "sent_at")
        values ("send_id", "partner", coalesce("newest_seq", 0) + 1, "invitation_email_take"."recipient",
                "invitation", greatest("at", "newest_at"));
    end
    $fn$`);
  }

  override down(): void {
    this.addSql(`create or replace function "invitation_email_take"(
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
    this.addSql(`drop index if exists "invitation_email_send_partner_seq_idx";`);
    this.addSql(
      `create index "invitation_email_send_partner_idx" on "invitation_email_send" ("partner_tenant_id", "sent_at");`,
    );
    this.addSql(`alter table "invitation_email_send" drop column "partner_seq";`);
  }
}
