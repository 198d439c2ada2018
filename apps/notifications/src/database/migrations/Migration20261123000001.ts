import { Migration } from '@mikro-orm/migrations';

/** The delivery records: one row per idempotency key (the consumer's idempotency). */
export class Migration20261123000001 extends Migration {
  override up(): void {
    this.addSql(
      `create table "delivery" (
        "idempotency_key" text not null primary key,
        "template" text not null,
        "recipient" text not null,
        "locale" text not null,
        "subject" text null,
        "message_id" text not null,
        "status" text not null check ("status" in ('sent', 'failed')),
        "permanent" boolean not null default false,
        "smtp_response" text null,
        "attempts" integer not null default 0,
        "sent_at" timestamptz null,
        "created_at" timestamptz not null default now(),
        "updated_at" timestamptz not null default now()
      );`,
    );
    this.addSql(`create index "delivery_status_idx" on "delivery" ("status", "updated_at");`);
  }

  override down(): void {
    this.addSql(`drop table if exists "delivery";`);
  }
}
