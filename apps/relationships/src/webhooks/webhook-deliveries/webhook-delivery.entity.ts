import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/** `pending` (being tried), `succeeded` (a 2xx answer), `failed` (given up; can be replayed). */
export type WebhookDeliveryStatus = 'pending' | 'succeeded' | 'failed';

/**
 * One audit event for one endpoint. `id` is the `webhook-id` header, the same on every retry and
 * replay (receivers deduplicate by it). `resourceKey` (`<resource type>:<resource id>`) and the
 * table's `sequence` (a bigserial, in commit order for one resource) order the deliveries of one
 * endpoint and resource: one waits while an earlier one is pending. `run` counts replays (attempts
 * are numbered within a run); `nextAttemptAt`: when the next attempt is due.
 */
@Entity({ tableName: 'webhook_delivery' })
@Index({ name: 'webhook_delivery_endpoint_idx', properties: ['endpointId', 'createdAt', 'id'] })
export class WebhookDelivery {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  endpointId!: string;

  @Property({ type: 'uuid' })
  eventId!: string;

  @Property({ type: 'text' })
  eventType!: string;

  @Property({ type: 'text' })
  resourceKey!: string;

  @Property({ type: 'text' })
  status: WebhookDeliveryStatus = 'pending';

  @Property({ type: 'integer' })
  run: number = 1;

  @Property({ type: 'integer' })
  attemptCount: number = 0;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  nextAttemptAt: Date = new Date();

  @Property({ type: 'text', nullable: true })
  lastError: string | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  settledAt: Date | null = null;
}
