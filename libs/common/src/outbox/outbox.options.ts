export const OUTBOX_OPTIONS = Symbol('OUTBOX_OPTIONS');

export interface OutboxOptions {
  /** Redis for BullMQ, `redis://host:port/db`. */
  redisUrl: string;
  /** BullMQ key prefix. */
  prefix: string;
  /** Secret that seals invitation links before they rest in the outbox and the queue. */
  linkSealingKey: string;
  /** How often the relay looks for unrelayed rows, in milliseconds. */
  pollIntervalMs: number;
  /** Rows relayed per batch. */
  batchSize: number;
}
