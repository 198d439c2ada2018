import { JOB_CONTRACTS, JOB_RETRY, JOBS, JobName, QUEUES } from '@app/contracts';
import type { JobsOptions } from 'bullmq';
import type { OutboxSettlement } from './outbox-message.entity';

/**
 * The outbox relay's delivery confirmation, as pure decisions (the relay does the I/O): a relayed
 * row stays unsettled until its consumer has finished with it, and a row whose job is missing
 * from Redis (lost with an `appendfsync everysec` second, or with a Redis that kept nothing) is
 * relayed again under the same `jobId`. The consumers are idempotent, so relaying again never
 * turns into a second email or a second grant.
 */

/** A relayed, unsettled outbox row as a confirmation round reads it. */
export interface UnsettledRow {
  id: string;
  queue: string;
  name: string;
  payload: Record<string, unknown>;
}

/**
 * What the notifications worker recorded for an idempotency key (`PATTERNS.deliveryStatus`):
 * `settled` when nothing more happens without an operator.
 */
export interface DeliveryAnswer {
  status: 'sent' | 'failed' | 'skipped';
  settled: boolean;
}

/**
 * Where a row's job is in BullMQ: in the `completed` or `failed` set (a failed job is in that set
 * only once its attempts are exhausted or it failed for good), `queued` (waiting, active, delayed
 * between retries, paused), or `missing` (never added, removed after completion, or lost).
 */
export type JobPresence = 'completed' | 'failed' | 'queued' | 'missing';

/** What a confirmation round does with a row. */
export type ConfirmDecision =
  { action: 'settle'; settlement: OutboxSettlement } | { action: 'relay' } | { action: 'wait' };

/**
 * Rows of the `notifications` queue are confirmed by the worker's delivery record (their jobs are
 * removed as soon as they complete, taking the sealed link out of Redis); rows of other queues by
 * their job's state (their jobs stay in the `completed` set for a day).
 */
export function confirmedByDeliveryRecord(row: Pick<UnsettledRow, 'queue'>): boolean {
  return row.queue === QUEUES.notifications;
}

/**
 * The idempotency key the worker is asked about for a `notifications` row: an `email.send` row by
 * its own key (the row id), an `email.cancel` row by the key of the email it cancels (it is done
 * once that delivery is settled: skipped, or sent before the cancel arrived).
 */
export function deliveryKeyOf(row: UnsettledRow): string {
  const key = row.payload.idempotencyKey;
  if (typeof key === 'string' && key.length > 0) return key;
  return row.id;
}

/**
 * How long finished jobs stay in Redis, in seconds (issue 13 goal 6 "Bounded growth": nothing stays
 * forever, and Redis must never evict). `completedSeconds`: a completed job of a queue other than
 * `notifications` (the relay reads its completion; default a day). `failedSeconds`: a job failed
 * for good (kept for the operator to read and replay; default 14 days).
 */
export interface JobRetention {
  completedSeconds: number;
  failedSeconds: number;
}

export const DEFAULT_JOB_RETENTION: JobRetention = {
  completedSeconds: 24 * 3600,
  failedSeconds: 14 * 24 * 3600,
};

/**
 * BullMQ's `removeOnComplete` for a row's job: an email's job (with its sealed link) leaves Redis
 * as soon as it completes, the worker's record being the receipt; other jobs stay
 * `retention.completedSeconds` so that the relay can read their completion.
 */
export function removeOnCompleteOf(
  row: Pick<UnsettledRow, 'queue'>,
  retention: JobRetention = DEFAULT_JOB_RETENTION,
): true | { age: number } {
  return confirmedByDeliveryRecord(row) ? true : { age: retention.completedSeconds };
}

/**
 * The BullMQ options of a row's job, the same at its first relay and every relay after it:
 * `jobId` = row id, the retry policy `JOB_RETRY`, `removeOnComplete` as above, failed jobs kept
 * `retention.failedSeconds`, and `lifo` for a job whose contract asks for it (`email.cancel`
 * overtakes the send it cancels).
 */
export function jobOptionsOf(
  row: Pick<UnsettledRow, 'id' | 'queue' | 'name'>,
  retention: JobRetention = DEFAULT_JOB_RETENTION,
): JobsOptions {
  const contract = JOB_CONTRACTS[row.name as JobName] as { lifo?: boolean } | undefined;
  return {
    jobId: row.id,
    attempts: JOB_RETRY.attempts,
    backoff: { ...JOB_RETRY.backoff },
    removeOnComplete: removeOnCompleteOf(row, retention),
    removeOnFail: { age: retention.failedSeconds },
    ...(contract?.lifo ? { lifo: true } : {}),
  };
}

/**
 * The decision for one relayed, unsettled row.
 *
 * `notifications` rows (`delivery`: the worker's answer for `deliveryKeyOf(row)`; `null` when it
 * has no record; `undefined` when it could not be asked this round):
 * - no answer this round → wait;
 * - the delivery is settled → settle: an `email.send` row as the delivery (`sent`, `skipped`,
 *   `failed`), an `email.cancel` row as `completed`;
 * - otherwise by the job: `failed` (for good) → settle `failed`; `completed` → settle `completed`;
 *   `queued` → wait; `missing` → relay again (the job was lost, or it ran and left no settled
 *   record: the worker finds its record and does not send twice).
 *
 * Rows of other queues, by the job alone: `completed` → settle `completed`; `failed` → settle
 * `failed`; `queued` → wait; `missing` → relay again.
 */
export function decideConfirmation(
  row: UnsettledRow,
  job: JobPresence,
  delivery?: DeliveryAnswer | null,
): ConfirmDecision {
  if (confirmedByDeliveryRecord(row)) {
    if (delivery === undefined) return { action: 'wait' };
    if (delivery?.settled) {
      return {
        action: 'settle',
        settlement: row.name === JOBS.cancelEmail ? 'completed' : delivery.status,
      };
    }
  }
  switch (job) {
    case 'completed':
      return { action: 'settle', settlement: 'completed' };
    case 'failed':
      return { action: 'settle', settlement: 'failed' };
    case 'queued':
      return { action: 'wait' };
    case 'missing':
      return { action: 'relay' };
  }
}
