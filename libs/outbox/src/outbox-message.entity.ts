import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/**
 * How a relayed outbox row ended (`settled_at` set):
 * - `sent`, `skipped`, `failed`: the email's delivery as the notifications worker recorded it
 *   (`failed` only when nothing more will happen without an operator);
 * - `completed`: any other job completed (for `email.cancel`: the email it cancels is settled);
 * - `skipped` is also written by the producer for an email whose row was never relayed when its
 *   invitation was revoked or resent (no job was ever added).
 */
export const OUTBOX_SETTLEMENTS = ['sent', 'failed', 'skipped', 'completed'] as const;
export type OutboxSettlement = (typeof OUTBOX_SETTLEMENTS)[number];

/**
 * A message that must not be lost, written in the same transaction as the state change that
 * causes it and relayed to its BullMQ queue with `jobId` = `id` (DESIGN.md "Communication").
 *
 * Life of a row: written (`relayed_at` null) → relayed (`relayed_at`, `last_relayed_at`,
 * `relay_count` 1) → checked by the relay every `OUTBOX_CONFIRM_AFTER_MS` (`checked_at`) and
 * relayed again while its job is missing from Redis (`relay_count` + 1) → settled (`settled_at`,
 * `settlement`; an email's sealed link is removed from `payload` then).
 */
@Entity({ tableName: 'outbox_message' })
@Index({ name: 'outbox_message_pending_idx', properties: ['createdAt'] })
export class OutboxMessage {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  queue!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'json' })
  payload!: Record<string, unknown>;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  /** When the row was first added to BullMQ. */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  relayedAt: Date | null = null;

  /** How many times the row was added to BullMQ (again after its job was lost). */
  @Property({ type: 'integer' })
  relayCount: number = 0;

  /** When the row was last added to BullMQ. */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  lastRelayedAt: Date | null = null;

  /** When the relay last relayed the row or asked its consumer about it. */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  checkedAt: Date | null = null;

  /** When the consumer settled the row (nothing more will happen to it). */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  settledAt: Date | null = null;

  @Property({ type: 'text', nullable: true })
  settlement: OutboxSettlement | null = null;
}

/** DDL of the outbox table, included by the first migration of every service that produces. */
export const OUTBOX_TABLE_SQL = [
  `create table "outbox_message" ("id" uuid not null primary key, "queue" text not null, "name" text not null, "payload" jsonb not null, "created_at" timestamptz not null default now(), "relayed_at" timestamptz null);`,
  `create index "outbox_message_pending_idx" on "outbox_message" ("created_at") where "relayed_at" is null;`,
];

/** The channel the outbox insert trigger notifies (`LISTEN outbox_message` wakes the relay). */
export const OUTBOX_NOTIFY_CHANNEL = 'outbox_message';

/**
 * The second step of the outbox table's history (delivery confirmation), included by a migration
 * of every service that produces, after `OUTBOX_TABLE_SQL`:
 * - `relay_count`, `last_relayed_at`, `checked_at`, `settled_at`, `settlement` (see
 *   `OutboxMessage`); rows relayed before it count as relayed once, unchecked;
 * - the pending index leaves settled rows out (an email skipped before it was relayed), and a
 *   partial index serves the relay's confirmation rounds over relayed, unsettled rows;
 * - a statement-level trigger `pg_notify('outbox_message', '')` after every insert: PostgreSQL
 *   delivers it at commit (one per transaction), and the relay listening on the channel relays at
 *   once, whichever process wrote the rows.
 */
export const OUTBOX_CONFIRMATION_SQL = [
  `alter table "outbox_message" add column "relay_count" integer not null default 0, add column "last_relayed_at" timestamptz null, add column "checked_at" timestamptz null, add column "settled_at" timestamptz null, add column "settlement" text null, add constraint "outbox_message_settlement_check" check ("settlement" in ('sent', 'failed', 'skipped', 'completed')), add constraint "outbox_message_settled_check" check (("settled_at" is null) = ("settlement" is null));`,
  `update "outbox_message" set "relay_count" = 1, "last_relayed_at" = "relayed_at", "checked_at" = "relayed_at" where "relayed_at" is not null;`,
  `drop index "outbox_message_pending_idx";`,
  `create index "outbox_message_pending_idx" on "outbox_message" ("created_at") where "relayed_at" is null and "settled_at" is null;`,
  `create index "outbox_message_unsettled_idx" on "outbox_message" ("checked_at") where "relayed_at" is not null and "settled_at" is null;`,
  `create function "outbox_message_notify"() returns trigger language plpgsql as $$ begin perform pg_notify('${OUTBOX_NOTIFY_CHANNEL}', ''); return null; end $$;`,
  `create trigger "outbox_message_notify" after insert on "outbox_message" for each statement execute function "outbox_message_notify"();`,
];

/** Undoes `OUTBOX_CONFIRMATION_SQL`. */
export const OUTBOX_CONFIRMATION_DOWN_SQL = [
  `drop trigger if exists "outbox_message_notify" on "outbox_message";`,
  `drop function if exists "outbox_message_notify"();`,
  `drop index if exists "outbox_message_unsettled_idx";`,
  `drop index if exists "outbox_message_pending_idx";`,
  `create index "outbox_message_pending_idx" on "outbox_message" ("created_at") where "relayed_at" is null;`,
  `alter table "outbox_message" drop constraint "outbox_message_settled_check", drop constraint "outbox_message_settlement_check", drop column "settlement", drop column "settled_at", drop column "checked_at", drop column "last_relayed_at", drop column "relay_count";`,
];

/**
 * The third step (issue 13 goal 6 "Bounded growth"): an index over settled rows by settlement
 * time, for the relay's retention purge (`OUTBOX_RETENTION_HOURS`).
 */
export const OUTBOX_RETENTION_SQL = [
  `create index "outbox_message_settled_idx" on "outbox_message" ("settled_at") where "settled_at" is not null;`,
];

/** Undoes `OUTBOX_RETENTION_SQL`. */
export const OUTBOX_RETENTION_DOWN_SQL = [`drop index if exists "outbox_message_settled_idx";`];
