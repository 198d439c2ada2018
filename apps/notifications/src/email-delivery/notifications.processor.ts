import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Inject, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { MetricsRegistry, jobBackoffStrategy } from '@app/platform';
import { Counter } from 'prom-client';
import { CancelEmailJobSchema, JOBS, QUEUES, SendEmailJobSchema } from '@app/contracts';
import { DelayedError, Job, UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import { APP_CONFIG, NotificationsConfig } from '../config/notifications.config';
import {
  DeliveryContendedError,
  DeliveryOutcome,
  EmailDeliveryService,
} from './email-delivery.service';
import { NotificationJobName } from './notification-jobs';

/**
 * Job data validated on receipt: a job whose data fails its contract fails at once, without retry.
 * @throws UnrecoverableError naming the offending fields.
 */
function parseJobData<S extends z.ZodType>(name: string, schema: S, data: unknown): z.infer<S> {
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
    throw new UnrecoverableError(`Invalid ${name} job data (${fields}).`);
  }
  return parsed.data;
}

/**
 * How long a job's lock lasts without renewal (the worker renews it at half that). A worker killed
 * mid-job leaves its jobs locked this long; the stalled check (every `STALLED_INTERVAL_MS`) then
 * gives them to another worker, so an email in flight at a crash is retried within seconds.
 */
export const LOCK_DURATION_MS = 10_000;
export const STALLED_INTERVAL_MS = 5_000;
/** A job may stall (its worker died) this many times before BullMQ fails it; retrying is safe. */
export const MAX_STALLED_COUNT = 10;

/**
 * The one worker of the `notifications` queue (STYLE.md "Queue and email"): an exhaustive switch
 * over the contract job names of that queue, concurrency `WORKER_CONCURRENCY`, the `JOB_RETRY`
 * backoff strategy. It starts consuming once the application has booted and, at shutdown, stops
 * taking jobs and finishes (and records) the ones in flight before the SMTP pool and the database
 * close. Errors rethrow so that BullMQ retries; an `UnrecoverableError` fails the job at once; a
 * key claimed by another live attempt delays the job briefly without counting an attempt.
 */
@Processor(QUEUES.notifications, {
  autorun: false,
  lockDuration: LOCK_DURATION_MS,
  stalledInterval: STALLED_INTERVAL_MS,
  maxStalledCount: MAX_STALLED_COUNT,
  settings: { backoffStrategy: jobBackoffStrategy },
})
export class NotificationsProcessor
  extends WorkerHost
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly logger = new Logger(NotificationsProcessor.name);
  /** `emails_total{outcome}`: sent, already_sent, already_failed, skipped, failed (for good). */
  private readonly emails: Counter<'outcome'>;

  constructor(
    private readonly deliveries: EmailDeliveryService,
    @Inject(APP_CONFIG) private readonly config: Pick<NotificationsConfig, 'WORKER_CONCURRENCY'>,
    metrics: MetricsRegistry,
  ) {
    super();
    this.emails = new Counter({
      name: 'emails_total',
      help: 'Email jobs finished, by outcome: sent, already_sent, already_failed, skipped, failed (for good).',
      labelNames: ['outcome'],
      registers: [metrics.registry],
    });
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.WORKER_CONCURRENCY;
    this.worker.run().catch((error: unknown) => {
      this.logger.error(`notifications worker stopped: ${(error as Error).message}`);
    });
    this.logger.log(`consuming ${QUEUES.notifications} (concurrency ${this.worker.concurrency})`);
  }

  /** SIGTERM: stop taking jobs and wait for the ones in flight (sent and recorded). */
  async beforeApplicationShutdown(): Promise<void> {
    this.logger.log('stopping: finishing the jobs in flight');
    await this.worker.close();
    this.logger.log('worker closed');
  }

  /**
   * Dispatch a job by name. `email.send` (`SendEmailJobSchema`) and `email.cancel`
   * (`CancelEmailJobSchema`) return a `DeliveryOutcome`.
   * @throws UnrecoverableError for an unknown job name or invalid data.
   */
  async process(job: Job, token?: string): Promise<DeliveryOutcome> {
    try {
      const outcome = await this.dispatch(job);
      this.emails.inc({ outcome: outcome.outcome });
      return outcome;
    } catch (error) {
      if (error instanceof DeliveryContendedError && token) {
        await job.moveToDelayed(Date.now() + error.retryInMs, token);
        throw new DelayedError(error.message);
      }
      throw error;
    }
  }

  private dispatch(job: Job): Promise<DeliveryOutcome> {
    const name = job.name as NotificationJobName;
    switch (name) {
      case JOBS.sendEmail:
        return this.deliveries.deliver(parseJobData(name, SendEmailJobSchema, job.data), {
          lastAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
        });
      case JOBS.cancelEmail:
        return this.deliveries.cancel(parseJobData(name, CancelEmailJobSchema, job.data));
      default: {
        const unknown: never = name;
        throw new UnrecoverableError(
          `No handler for job ${String(unknown)} on ${QUEUES.notifications}.`,
        );
      }
    }
  }

  /** Redis trouble (a restart, a lost job key): one log line; the worker reconnects by itself. */
  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.warn(`notifications worker: ${error.message}`);
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, error: Error): void {
    const final =
      error instanceof UnrecoverableError ||
      (job !== undefined && job.attemptsMade >= (job.opts.attempts ?? 1));
    if (final) this.emails.inc({ outcome: 'failed' });
    this.logger.warn(
      `job ${job?.name ?? '?'} ${job?.id ?? '?'} failed (attempt ${job?.attemptsMade ?? '?'}): ${error.message}`,
    );
  }
}
