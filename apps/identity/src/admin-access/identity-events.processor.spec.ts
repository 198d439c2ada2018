import { JOB_CONTRACTS, JobName, QUEUES } from '@app/contracts';
import { IDENTITY_EVENT_JOBS } from './identity-events.processor';

describe('the identity-events consumer', () => {
  it('handles every job of its queue, each once (issue 9 point 3 adds the grant endings)', () => {
    const queued = (Object.keys(JOB_CONTRACTS) as JobName[]).filter(
      (name) => JOB_CONTRACTS[name].queue === QUEUES.identityEvents,
    );
    expect([...IDENTITY_EVENT_JOBS].sort()).toEqual(queued.sort());
    expect(new Set(IDENTITY_EVENT_JOBS).size).toBe(IDENTITY_EVENT_JOBS.length);
    expect(queued).toEqual(
      expect.arrayContaining(['partnership.removed', 'delegated-admin.ended']),
    );
  });
});
