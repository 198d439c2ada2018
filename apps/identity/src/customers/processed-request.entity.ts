import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A request id already handled by a message handler that writes, with the answer it gave: the Redis
 * transport delivers a request to every instance, and callers retry after a timeout, so a repeat
 * answers the stored response and writes nothing.
 */
@Entity({ tableName: 'processed_request' })
export class ProcessedRequest {
  @PrimaryKey({ type: 'uuid' })
  requestId!: string;

  @Property({ type: 'text' })
  pattern!: string;

  @Property({ type: 'json', nullable: true })
  response: Record<string, unknown> | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();
}
