import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Inject, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { JOBS, QUEUES, SendEmailJobSchema } from '@app/contracts';
import { Job, UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import { APP_CONFIG, NotificationsConfig } from '../config/notifications.config';
import { DeliveryOutcome, EmailDeliveryService } from './email-delivery.service';
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
 * The one worker of the `notifications` queue (STYLE.md "Queue and email"): an exhaustive switch
 * over the contract job names of that queue, concurrency `WORKER_CONCURRENCY`. It starts consuming
 * once the application has booted and, at shutdown, finishes its active jobs before the SMTP pool
 * and the database close. Errors rethrow so that BullMQ retries with the producer's backoff
 * (`JOB_RETRY`); an `UnrecoverableError` fails the job at once.
 */
@Processor(QUEUES.notifications, { autorun: false })
export class NotificationsProcessor
  extends WorkerHost
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly logger = new Logger(NotificationsProcessor.name);

  constructor(
    private readonly deliveries: EmailDeliveryService,
    @Inject(APP_CONFIG) private readonly config: Pick<NotificationsConfig, 'WORKER_CONCURRENCY'>,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.WORKER_CONCURRENCY;
    this.worker.run().catch((error: unknown) => {
      this.logger.error(`notifications worker stopped: ${(error as Error).message}`);
    });
    this.logger.log(`consuming ${QUEUES.notifications} (concurrency ${this.worker.concurrency})`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.close();
  }

  /**
   * Dispatch a job by name. `email.send`: `SendEmailJobSchema` data, returns `DeliveryOutcome`.
   * @throws UnrecoverableError for an unknown job name or invalid data.
   */
  async process(job: Job): Promise<DeliveryOutcome> {
    const name = job.name as NotificationJobName;
    switch (name) {
      case JOBS.sendEmail:
        return this.deliveries.deliver(parseJobData(name, SendEmailJobSchema, job.data));
      case JOBS.cancelEmail:
        // Replaced by the worker's cancellation handling in the same change set (issue 4).
        throw new UnrecoverableError(`No handler for job ${name} yet.`);
      default: {
        const unknown: never = name;
        throw new UnrecoverableError(
          `No handler for job ${String(unknown)} on ${QUEUES.notifications}.`,
        );
      }
    }
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, error: Error): void {
    this.logger.warn(
      `job ${job?.name ?? '?'} ${job?.id ?? '?'} failed (attempt ${job?.attemptsMade ?? '?'}): ${error.message}`,
    );
  }
}
