import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A request id already handled by a message handler that writes, with the answer it gave: callers
 * retry after a timeout (the retry may reach another instance of the queue group, or race the
 * first attempt), so a repeat answers the stored response and writes nothing.
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
