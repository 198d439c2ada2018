import { retryDelayMs } from '@app/contracts';
import type { BackoffStrategy } from 'bullmq';

/**
 * The `settings.backoffStrategy` of every worker. BullMQ calls it for a job whose `backoff.type` is
 * not built in, i.e. `JOB_RETRY`'s capped exponential backoff with jitter, and waits the
 * returned milliseconds (see `retryDelayMs`) before retry number `attemptsMade`. A worker without
 * it would fail such jobs at their first retry ("Unknown backoff strategy").
 */
export const jobBackoffStrategy: BackoffStrategy = (attemptsMade: number) =>
  retryDelayMs(attemptsMade);
