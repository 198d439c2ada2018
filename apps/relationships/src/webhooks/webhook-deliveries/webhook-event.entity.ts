import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * An audit event that matched at least one webhook endpoint, stored once for all its deliveries:
 * `payload` is the body every delivery sends (`{ type, timestamp, data }`, Standard Webhooks), the
 * event itself as `data` (an audit event carries no secret by contract). `id` is the event's id.
 */
@Entity({ tableName: 'webhook_event' })
export class WebhookEvent {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  type!: string;

  @Property({ type: 'json' })
  payload!: Record<string, unknown>;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();
}
