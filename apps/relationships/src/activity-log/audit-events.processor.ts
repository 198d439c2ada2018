import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { AuditEventSchema, JOBS, QUEUES } from '@app/contracts';
import { describeIssues, jobBackoffStrategy } from '@app/platform';
import { Job, UnrecoverableError } from 'bullmq';
import { ActivityLogService } from './activity-log.service';

/** Jobs of the `audit-events` queue (one handler per job name; exhaustive switch). */
export const AUDIT_EVENT_JOBS = [JOBS.auditRecorded] as const;
type AuditEventJob = (typeof AUDIT_EVENT_JOBS)[number];

/** Jobs processed at once by one relationships instance. */
export const AUDIT_EVENTS_CONCURRENCY = 5;

/**
 * Appends the audit events other services record (identity's `audit.recorded` jobs, produced
 * through its outbox) to the one trail, once per event id (`ActivityLogService.append`): a
 * redelivered or duplicated job finds the event stored and changes nothing. Job data is validated
 * at the top of `process()`: bad data fails at once (`UnrecoverableError`); other failures rethrow
 * so that BullMQ retries them (JOB_RETRY's backoff).
 */
@Processor(QUEUES.auditEvents, {
  concurrency: AUDIT_EVENTS_CONCURRENCY,
  // The retry backoff of JOB_RETRY (a custom BullMQ type: capped exponential with jitter).
  settings: { backoffStrategy: jobBackoffStrategy },
})
export class AuditEventsProcessor extends WorkerHost {
  private readonly logger = new Logger(AuditEventsProcessor.name);

  constructor(private readonly activityLog: ActivityLogService) {
    super();
  }

  async process(job: Job): Promise<{ recorded: boolean }> {
    const name = job.name as AuditEventJob;
    switch (name) {
      case JOBS.auditRecorded: {
        const parsed = AuditEventSchema.safeParse(job.data);
        if (!parsed.success) {
          throw new UnrecoverableError(
            `invalid ${name} data: ${describeIssues(parsed.error)
              .map((i) => `${i.path}: ${i.message}`)
              .join('; ')}`,
          );
        }
        const recorded = await this.activityLog.append(parsed.data);
        if (!recorded) this.logger.log(`audit event ${parsed.data.id} already recorded`);
        return { recorded };
      }
      default: {
        const unknown: never = name;
        throw new UnrecoverableError(`no handler for job ${String(unknown)}`);
      }
    }
  }
}
