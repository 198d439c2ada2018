import { JOB_CONTRACTS, JobName, QUEUES } from '@app/contracts';
import { Job, UnrecoverableError } from 'bullmq';
import type { ActivityLogService } from './activity-log.service';
import { AUDIT_EVENT_JOBS, AuditEventsProcessor } from './audit-events.processor';

describe('the audit-events consumer', () => {
  it('handles every job of its queue, each once', () => {
    const queued = (Object.keys(JOB_CONTRACTS) as JobName[]).filter(
      (name) => JOB_CONTRACTS[name].queue === QUEUES.auditEvents,
    );
    expect([...AUDIT_EVENT_JOBS].sort()).toEqual(queued.sort());
    expect(new Set(AUDIT_EVENT_JOBS).size).toBe(AUDIT_EVENT_JOBS.length);
  });

  it('fails a job whose data is not an AuditEvent at once, without appending anything', async () => {
    const appended: unknown[] = [];
    const log = {
      append: (event: unknown) => {
        appended.push(event);
        return Promise.resolve(true);
      },
    } as unknown as ActivityLogService;
    const processor = new AuditEventsProcessor(log);
    await expect(
      processor.process({ name: 'audit.recorded', data: { id: 'not-a-uuid' } } as Job),
    ).rejects.toBeInstanceOf(UnrecoverableError);
    expect(appended).toEqual([]);
  });
});
