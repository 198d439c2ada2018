import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/**
 * One attempt of a delivery: when, how long it took (`durationMs`), the receiver's HTTP status
 * (`statusCode`, null when no answer came) or why it failed (`error`: timeout, refused address,
 * connection error, non-2xx), and its number (`attempt`) within its `run` (1, then one more per
 * replay).
 */
@Entity({ tableName: 'webhook_attempt' })
@Index({ name: 'webhook_attempt_delivery_idx', properties: ['deliveryId', 'attemptedAt', 'id'] })
export class WebhookAttempt {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  deliveryId!: string;

  @Property({ type: 'integer' })
  run!: number;

  @Property({ type: 'integer' })
  attempt!: number;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  attemptedAt!: Date;

  @Property({ type: 'integer' })
  durationMs!: number;

  @Property({ type: 'integer', nullable: true })
  statusCode: number | null = null;

  @Property({ type: 'text', nullable: true })
  error: string | null = null;

  @Property({ type: 'boolean' })
  succeeded!: boolean;
}
