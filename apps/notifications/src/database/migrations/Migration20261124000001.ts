import { Migration } from '@mikro-orm/migrations';

/**
 * Deliveries the worker can trust and an operator can act on (issue 4):
 * - `pending` (claimed, no outcome yet) and `skipped` (revoked, superseded or expired before
 *   delivery, `skip_reason`) join `sent` and `failed`; an `email.cancel` may arrive before its send,
 *   so template, recipient and locale may be unknown yet;
 * - `settled`: nothing more will happen without an operator (sent, skipped, failed for good);
 * - the claim: `claimed_by` and `lease_until` (one short statement claims a key; a crashed
 *   claimant's lease expires and the retry takes over);
 * - what a replay needs while the email is not sent: `data`, `sealed_link` (still sealed),
 *   `expires_at`, and `replays` (how many times an operator replayed it);
 * - `id`: a uuid for keyset pagination of the operator's list.
 */
export class Migration20261124000001 extends Migration {
  override up(): void {
    this.addSql(
      `alter table "delivery"
        alter column "template" drop not null,
        alter column "recipient" drop not null,
        alter column "locale" drop not null;`,
    );
    this.addSql(`alter table "delivery" drop constraint if exists "delivery_status_check";`);
    this.addSql(
      `alter table "delivery"
        add column "id" uuid not null default gen_random_uuid(),
        add column "settled" boolean not null default false,
        add column "skip_reason" text null,
        add column "data" jsonb null,
        add column "sealed_link" text null,
        add column "expires_at" timestamptz null,
        add column "claimed_by" text null,
        add column "lease_until" timestamptz null,
        add column "replays" integer not null default 0,
        add constraint "delivery_status_check"
          check ("status" in ('pending', 'sent', 'failed', 'skipped')),
        add constraint "delivery_skip_reason_check"
          check ("skip_reason" in ('revoked', 'superseded', 'expired'));`,
    );
    this.addSql(`update "delivery" set "settled" = ("status" = 'sent' or "permanent");`);
    this.addSql(`alter table "delivery" add constraint "delivery_id_unique" unique ("id");`);
    this.addSql(`drop index if exists "delivery_status_idx";`);
    this.addSql(
      `create index "delivery_list_idx" on "delivery" ("status", "created_at" desc, "id" desc);`,
    );
    this.addSql(
      `create index "delivery_created_idx" on "delivery" ("created_at" desc, "id" desc);`,
    );
  }

  override down(): void {
    this.addSql(`drop index if exists "delivery_created_idx";`);
    this.addSql(`drop index if exists "delivery_list_idx";`);
    this.addSql(`delete from "delivery" where "status" in ('pending', 'skipped');`);
    this.addSql(
      `alter table "delivery"
        drop constraint "delivery_id_unique",
        drop constraint "delivery_skip_reason_check",
        drop constraint "delivery_status_check",
        drop column "id", drop column "settled", drop column "skip_reason", drop column "data",
        drop column "sealed_link", drop column "expires_at", drop column "claimed_by",
        drop column "lease_until", drop column "replays",
        add constraint "delivery_status_check" check ("status" in ('sent', 'failed')),
        alter column "template" set not null,
        alter column "recipient" set not null,
        alter column "locale" set not null;`,
    );
    this.addSql(`create index "delivery_status_idx" on "delivery" ("status", "updated_at");`);
  }
}
