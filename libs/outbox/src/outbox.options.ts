import { z } from 'zod';
import type { JobRetention } from './outbox-confirmation';

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
  /** How long finished jobs stay in Redis (default `DEFAULT_JOB_RETENTION`). */
  jobRetention?: JobRetention;
  /**
   * How long a settled row is kept before the relay deletes it, in seconds, and how often it looks
   * for such rows, in milliseconds; without it settled rows are kept.
   */
  rowRetention?: { retentionSeconds: number; purgeIntervalMs: number };
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
  OUTBOX_RETENTION_HOURS: number;
  COMPLETED_JOB_RETENTION_HOURS: number;
  FAILED_JOB_RETENTION_HOURS: number;
  RETENTION_PURGE_INTERVAL_SECONDS: number;
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
    jobRetention: {
      completedSeconds: Math.round(config.COMPLETED_JOB_RETENTION_HOURS * 3600),
      failedSeconds: Math.round(config.FAILED_JOB_RETENTION_HOURS * 3600),
    },
    rowRetention: {
      retentionSeconds: Math.round(config.OUTBOX_RETENTION_HOURS * 3600),
      purgeIntervalMs: config.RETENTION_PURGE_INTERVAL_SECONDS * 1000,
    },
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
  /**
   * How long a settled outbox row (its consumer finished) is kept before it is deleted, in hours
   * (decimals allowed; default 7 days). Nothing reads a settled row except an operator.
   */
  OUTBOX_RETENTION_HOURS: z.coerce.number().min(0.001).max(87600).default(168),
  /**
   * How long a completed job of an event queue stays in Redis, in hours (default 24): long enough
   * for the relay to read its completion (it asks after `OUTBOX_CONFIRM_AFTER_MS`).
   */
  COMPLETED_JOB_RETENTION_HOURS: z.coerce.number().min(0.001).max(8760).default(24),
  /** How long a job failed for good stays in Redis for the operator to replay, in hours (default 14 days). */
  FAILED_JOB_RETENTION_HOURS: z.coerce.number().min(0.001).max(8760).default(336),
  /** How often each instance deletes rows past their retention, in seconds (default 60). */
  RETENTION_PURGE_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(86400).default(60),
});
