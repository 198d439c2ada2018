import { Processor, WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Inject, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DeliverWebhookJobSchema, JOBS, QUEUES } from '@app/contracts';
import { describeIssues, jobBackoffStrategy } from '@app/platform';
import { DelayedError, Job, UnrecoverableError } from 'bullmq';
import { APP_CONFIG, RelationshipsConfig } from '../../config/relationships.config';
import { DeliveryStep, WebhookDeliveryService } from './webhook-delivery.service';

/** Jobs of the `webhook-deliveries` queue (one handler per job name; exhaustive switch). */
export const WEBHOOK_DELIVERY_JOBS = [JOBS.deliverWebhook] as const;
type WebhookDeliveryJob = (typeof WEBHOOK_DELIVERY_JOBS)[number];

/**
 * A worker that died mid-job leaves its job locked this long; the stalled check (every
 * `STALLED_INTERVAL_MS`) gives it to another worker within seconds. BullMQ renews the lock while
 * the job runs, so an attempt may take longer (`WEBHOOK_TIMEOUT_MS`, up to 60 s).
 */
const LOCK_DURATION_MS = 15_000;
const STALLED_INTERVAL_MS = 5_000;
/** A job may stall (its worker died) this many times before BullMQ fails it: retrying is safe. */
const MAX_STALLED_COUNT = 100;

/**
 * The worker of the `webhook-deliveries` queue (issue 14 "Signed events"): one attempt of a
 * delivery per run of its job; a delivery that must wait (a retry's delay, or an earlier delivery
 * of the same resource still pending) moves its job to the delayed set until then without counting
 * a BullMQ attempt, so the delivery's own schedule (`WEBHOOK_RETRY_*`, over a day) governs. A
 * thrown error (database or identity unreachable) is retried under `JOB_RETRY`. Consumption starts
 * once the application has booted; shutdown finishes the attempts in flight.
 */
@Processor(QUEUES.webhookDeliveries, {
  autorun: false,
  lockDuration: LOCK_DURATION_MS,
  stalledInterval: STALLED_INTERVAL_MS,
  maxStalledCount: MAX_STALLED_COUNT,
  settings: { backoffStrategy: jobBackoffStrategy },
})
export class WebhookDeliveriesProcessor
  extends WorkerHost
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly logger = new Logger(WebhookDeliveriesProcessor.name);

  constructor(
    private readonly deliveries: WebhookDeliveryService,
    @Inject(APP_CONFIG) private readonly config: Pick<RelationshipsConfig, 'WEBHOOK_CONCURRENCY'>,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.WEBHOOK_CONCURRENCY;
    this.worker.run().catch((error: unknown) => {
      this.logger.error(`webhook delivery worker stopped: ${(error as Error).message}`);
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.close();
  }

  /** @throws UnrecoverableError for an unknown job name or invalid data. */
  async process(job: Job, token?: string): Promise<{ status: string }> {
    const name = job.name as WebhookDeliveryJob;
    let step: DeliveryStep;
    switch (name) {
      case JOBS.deliverWebhook: {
        const parsed = DeliverWebhookJobSchema.safeParse(job.data);
        if (!parsed.success) {
          throw new UnrecoverableError(
            `invalid ${name} data: ${describeIssues(parsed.error)
              .map((i) => `${i.path}: ${i.message}`)
              .join('; ')}`,
          );
        }
        step = await this.deliveries.deliver(parsed.data.deliveryId);
        break;
      }
      default: {
        const unknown: never = name;
        throw new UnrecoverableError(`no handler for job ${String(unknown)}`);
      }
    }
    if (step.kind === 'done') return { status: step.status };
    if (!token) throw new Error('a waiting delivery needs the job lock token');
    await job.moveToDelayed(step.until.getTime(), token);
    throw new DelayedError(`waiting (${step.reason}) until ${step.until.toISOString()}`);
  }
}
