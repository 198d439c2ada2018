import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import {
  CustomerAgreementAcceptedJobSchema,
  JOBS,
  PartnershipAuthorizedJobSchema,
  QUEUES,
} from '@app/contracts';
import { describeIssues, jobBackoffStrategy } from '@app/platform';
import { Job, UnrecoverableError } from 'bullmq';
import { CustomerAgreementService } from '../customers/customer-agreement.service';
import { AdminAccessService } from './admin-access.service';

/** Jobs of the `identity-events` queue (one handler per job name; exhaustive switch). */
export const IDENTITY_EVENT_JOBS = [
  JOBS.partnershipAuthorized,
  JOBS.customerAgreementAccepted,
] as const;
type IdentityEventJob = (typeof IDENTITY_EVENT_JOBS)[number];

/** Jobs processed at once by one identity instance. */
export const IDENTITY_EVENTS_CONCURRENCY = 5;

/**
 * Consumes events from relationships that change access in identity. Job data is validated at the
 * top of `process()`: bad data fails at once (`UnrecoverableError`); other failures rethrow so
 * BullMQ retries them.
 */
@Processor(QUEUES.identityEvents, {
  concurrency: IDENTITY_EVENTS_CONCURRENCY,
  // The retry backoff of JOB_RETRY (a custom BullMQ type: capped exponential with jitter).
  settings: { backoffStrategy: jobBackoffStrategy },
})
export class IdentityEventsProcessor extends WorkerHost {
  private readonly logger = new Logger(IdentityEventsProcessor.name);

  constructor(
    private readonly access: AdminAccessService,
    private readonly agreement: CustomerAgreementService,
  ) {
    super();
  }

  async process(job: Job): Promise<{ recorded: boolean }> {
    const name = job.name as IdentityEventJob;
    switch (name) {
      case JOBS.partnershipAuthorized: {
        const parsed = PartnershipAuthorizedJobSchema.safeParse(job.data);
        if (!parsed.success) {
          throw new UnrecoverableError(
            `invalid ${name} data: ${describeIssues(parsed.error)
              .map((i) => `${i.path}: ${i.message}`)
              .join('; ')}`,
          );
        }
        if (!(await this.access.recordGrant(parsed.data))) {
          throw new UnrecoverableError(`${name}: unknown provider or reseller tenant`);
        }
        this.logger.log(
          `administrator access granted: provider ${parsed.data.providerTenantId} → reseller ${parsed.data.resellerTenantId}`,
        );
        return { recorded: true };
      }
      case JOBS.customerAgreementAccepted: {
        const parsed = CustomerAgreementAcceptedJobSchema.safeParse(job.data);
        if (!parsed.success) {
          throw new UnrecoverableError(
            `invalid ${name} data: ${describeIssues(parsed.error)
              .map((i) => `${i.path}: ${i.message}`)
              .join('; ')}`,
          );
        }
        if (!(await this.agreement.record(parsed.data))) {
          throw new UnrecoverableError(`${name}: unknown customer tenant`);
        }
        return { recorded: true };
      }
      default: {
        const unknown: never = name;
        throw new UnrecoverableError(`no handler for job ${String(unknown)}`);
      }
    }
  }
}
