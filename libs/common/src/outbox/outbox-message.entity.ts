import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/**
 * A message that must not be lost, written in the same transaction as the state change that
 * causes it and relayed to its BullMQ queue with `jobId` = `id` (DESIGN.md "Communication").
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

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  relayedAt: Date | null = null;
}

/** DDL of the outbox table, included by the first migration of every service that produces. */
export const OUTBOX_TABLE_SQL = [
  `create table "outbox_message" ("id" uuid not null primary key, "queue" text not null, "name" text not null, "payload" jsonb not null, "created_at" timestamptz not null default now(), "relayed_at" timestamptz null);`,
  `create index "outbox_message_pending_idx" on "outbox_message" ("created_at") where "relayed_at" is null;`,
];
