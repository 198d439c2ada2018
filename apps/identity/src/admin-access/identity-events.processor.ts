import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import {
  CustomerAgreementAcceptedJobSchema,
  DelegatedAdminEndedJobSchema,
  JOBS,
  PartnershipAuthorizedJobSchema,
  PartnershipRemovedJobSchema,
  QUEUES,
} from '@app/contracts';
import { describeIssues, jobBackoffStrategy } from '@app/platform';
import { Job, UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import { CustomerAgreementService } from '../customers/customer-agreement.service';
import { DelegatedUsersService } from '../delegated-users/delegated-users.service';
import { AdminAccessService } from './admin-access.service';

/** Jobs of the `identity-events` queue (one handler per job name; exhaustive switch). */
export const IDENTITY_EVENT_JOBS = [
  JOBS.partnershipAuthorized,
  JOBS.customerAgreementAccepted,
  JOBS.partnershipRemoved,
  JOBS.delegatedAdminEnded,
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
    private readonly delegatedUsers: DelegatedUsersService,
  ) {
    super();
  }

  async process(job: Job): Promise<{ recorded: boolean; disabledUsers?: number }> {
    const name = job.name as IdentityEventJob;
    switch (name) {
      case JOBS.partnershipAuthorized: {
        const data = parse(name, PartnershipAuthorizedJobSchema, job.data);
        if (!(await this.access.recordGrant(data))) {
          throw new UnrecoverableError(`${name}: unknown provider or reseller tenant`);
        }
        this.logger.log(
          `administrator access granted: provider ${data.providerTenantId} → reseller ${data.resellerTenantId}`,
        );
        return { recorded: true };
      }
      case JOBS.customerAgreementAccepted: {
        const data = parse(name, CustomerAgreementAcceptedJobSchema, job.data);
        if (!(await this.agreement.record(data))) {
          throw new UnrecoverableError(`${name}: unknown customer tenant`);
        }
        return { recorded: true };
      }
      case JOBS.partnershipRemoved: {
        const data = parse(name, PartnershipRemovedJobSchema, job.data);
        const disabled = await this.access.endForRemovedPartnership(data);
        return { recorded: true, disabledUsers: disabled.length };
      }
      case JOBS.delegatedAdminEnded: {
        const data = parse(name, DelegatedAdminEndedJobSchema, job.data);
        const disabled = await this.delegatedUsers.endDelegatedAdmin(data);
        return { recorded: true, disabledUsers: disabled.length };
      }
      default: {
        const unknown: never = name;
        throw new UnrecoverableError(`no handler for job ${String(unknown)}`);
      }
    }
  }
}

/** `data` as `schema` has it. @throws UnrecoverableError (not retried) when it fails the schema. */
function parse<S extends z.ZodType>(name: string, schema: S, data: unknown): z.infer<S> {
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    throw new UnrecoverableError(
      `invalid ${name} data: ${describeIssues(parsed.error)
        .map((i) => `${i.path}: ${i.message}`)
        .join('; ')}`,
    );
  }
  return parsed.data;
}
