import { z } from 'zod';

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
  /**
   * The service's own database: the relay's dedicated `LISTEN outbox_message` connection. Without
   * it the relay only polls (and relays after its own process's commits).
   */
  databaseUrl?: string;
  /**
   * Request/response over NATS for the delivery confirmation (`PATTERNS.deliveryStatus`): the
   * server, the subject namespace and the call timeout. Without it, `notifications` rows are never
   * confirmed.
   */
  rpc?: { natsUrl: string; namespace: string; timeoutMs: number };
  /** How often a confirmation round runs, in milliseconds (default 2000). */
  confirmIntervalMs?: number;
  /** Rows relayed or checked at least this long ago are checked, in milliseconds (default 5000). */
  confirmAfterMs?: number;
  /** Rows checked per confirmation round (default and maximum 1000). */
  confirmBatchSize?: number;
}

/** The configuration a producing service validates at boot (see `OutboxEnvSchema`). */
export interface OutboxServiceConfig {
  REDIS_URL: string;
  BULLMQ_PREFIX: string;
  NATS_URL: string;
  MESSAGE_NAMESPACE: string;
  RPC_TIMEOUT_MS: number;
  DATABASE_URL: string;
  LINK_SEALING_KEY: string;
  OUTBOX_POLL_INTERVAL_MS: number;
  OUTBOX_CONFIRM_INTERVAL_MS: number;
  OUTBOX_CONFIRM_AFTER_MS: number;
}

/**
 * The outbox options of a producing service from its validated configuration: relay to BullMQ on
 * `REDIS_URL` under `BULLMQ_PREFIX`, poll every `OUTBOX_POLL_INTERVAL_MS`, listen on
 * `DATABASE_URL`, confirm every `OUTBOX_CONFIRM_INTERVAL_MS` the rows relayed more than
 * `OUTBOX_CONFIRM_AFTER_MS` ago (asking notifications over NATS at `NATS_URL`, under
 * `MESSAGE_NAMESPACE`).
 */
export function outboxOptionsFromConfig(
  config: OutboxServiceConfig,
  batchSize: number,
): OutboxOptions {
  return {
    redisUrl: config.REDIS_URL,
    prefix: config.BULLMQ_PREFIX,
    linkSealingKey: config.LINK_SEALING_KEY,
    pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
    batchSize,
    databaseUrl: config.DATABASE_URL,
    rpc: {
      natsUrl: config.NATS_URL,
      namespace: config.MESSAGE_NAMESPACE,
      timeoutMs: config.RPC_TIMEOUT_MS,
    },
    confirmIntervalMs: config.OUTBOX_CONFIRM_INTERVAL_MS,
    confirmAfterMs: config.OUTBOX_CONFIRM_AFTER_MS,
  };
}

/** Variables of a service that relays an outbox (identity, relationships). */
export const OutboxEnvSchema = z.object({
  /** How often the outbox relay looks for rows committed elsewhere, in milliseconds. */
  OUTBOX_POLL_INTERVAL_MS: z.coerce.number().int().min(50).max(60000).default(1000),
  /** How often the relay checks relayed, unsettled rows against their consumer, in milliseconds. */
  OUTBOX_CONFIRM_INTERVAL_MS: z.coerce.number().int().min(100).max(600000).default(2000),
  /**
   * How long after relaying (or last checking) a row the relay asks whether its consumer has
   * settled it, in milliseconds; a row whose job vanished from Redis is relayed again then.
   */
  OUTBOX_CONFIRM_AFTER_MS: z.coerce.number().int().min(100).max(3600000).default(5000),
});
