import { JOB_RETRY, JOBS, QUEUES } from '@app/contracts';
import {
  DeliveryAnswer,
  JobPresence,
  UnsettledRow,
  decideConfirmation,
  deliveryKeyOf,
  jobOptionsOf,
} from './outbox-confirmation';

const SEND_ID = '0b9a1d6e-3c57-4f4e-9d0e-6f1c2a3b4c5d';
const CANCEL_ID = '7c1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';
const EVENT_ID = '9d8c7b6a-5f4e-4d3c-8b2a-190817263544';

const send: UnsettledRow = {
  id: SEND_ID,
  queue: QUEUES.notifications,
  name: JOBS.sendEmail,
  payload: { template: 'partnership-request', idempotencyKey: SEND_ID, sealedLink: 'sealed' },
};
const cancel: UnsettledRow = {
  id: CANCEL_ID,
  queue: QUEUES.notifications,
  name: JOBS.cancelEmail,
  payload: { idempotencyKey: SEND_ID, reason: 'revoked', occurredAt: '2026-11-24T10:00:00.000Z' },
};
const event: UnsettledRow = {
  id: EVENT_ID,
  queue: QUEUES.identityEvents,
  name: JOBS.partnershipAuthorized,
  payload: {},
};

const PRESENCES: JobPresence[] = ['completed', 'failed', 'queued', 'missing'];
const sent: DeliveryAnswer = { status: 'sent', settled: true };
const skipped: DeliveryAnswer = { status: 'skipped', settled: true };
const failedForGood: DeliveryAnswer = { status: 'failed', settled: true };
const failedRetrying: DeliveryAnswer = { status: 'failed', settled: false };

describe('deliveryKeyOf', () => {
  it('asks about an email by its own idempotency key and about a cancel by the key it cancels', () => {
    expect(deliveryKeyOf(send)).toBe(SEND_ID);
    expect(deliveryKeyOf(cancel)).toBe(SEND_ID);
  });

  it('falls back to the row id when the payload names no key', () => {
    expect(deliveryKeyOf({ ...send, payload: {} })).toBe(SEND_ID);
  });
});

describe('decideConfirmation of an email.send row', () => {
  it.each(PRESENCES)('settles it as the worker recorded it (job %s)', (job) => {
    expect(decideConfirmation(send, job, sent)).toEqual({ action: 'settle', settlement: 'sent' });
    expect(decideConfirmation(send, job, skipped)).toEqual({
      action: 'settle',
      settlement: 'skipped',
    });
    expect(decideConfirmation(send, job, failedForGood)).toEqual({
      action: 'settle',
      settlement: 'failed',
    });
  });

  it('relays it again when the worker has no record and the job is gone from Redis', () => {
    expect(decideConfirmation(send, 'missing', null)).toEqual({ action: 'relay' });
  });

  it('relays it again when a delivery between retries lost its job', () => {
    expect(decideConfirmation(send, 'missing', failedRetrying)).toEqual({ action: 'relay' });
  });

  it('waits while its job is in the queue (waiting, active or between retries)', () => {
    expect(decideConfirmation(send, 'queued', null)).toEqual({ action: 'wait' });
    expect(decideConfirmation(send, 'queued', failedRetrying)).toEqual({ action: 'wait' });
  });

  it('settles it failed when its job failed for good without a settled record', () => {
    expect(decideConfirmation(send, 'failed', null)).toEqual({
      action: 'settle',
      settlement: 'failed',
    });
  });

  it('settles it completed when its job completed without a settled record', () => {
    expect(decideConfirmation(send, 'completed', null)).toEqual({
      action: 'settle',
      settlement: 'completed',
    });
  });

  it.each(PRESENCES)(
    'waits, whatever the job (%s), when the worker could not be asked this round',
    (job) => {
      expect(decideConfirmation(send, job, undefined)).toEqual({ action: 'wait' });
    },
  );
});

describe('decideConfirmation of an email.cancel row', () => {
  it.each([sent, skipped, failedForGood])(
    'is completed once the email it cancels is settled (%o)',
    (delivery) => {
      for (const job of PRESENCES) {
        expect(decideConfirmation(cancel, job, delivery)).toEqual({
          action: 'settle',
          settlement: 'completed',
        });
      }
    },
  );

  it('is relayed again while the email it cancels is unsettled and the cancel job is gone', () => {
    expect(decideConfirmation(cancel, 'missing', null)).toEqual({ action: 'relay' });
    expect(decideConfirmation(cancel, 'missing', failedRetrying)).toEqual({ action: 'relay' });
  });

  it('waits while the cancel job is queued', () => {
    expect(decideConfirmation(cancel, 'queued', null)).toEqual({ action: 'wait' });
  });

  it('waits when the worker could not be asked', () => {
    expect(decideConfirmation(cancel, 'missing', undefined)).toEqual({ action: 'wait' });
  });
});

describe('decideConfirmation of a row of another queue (identity-events)', () => {
  it('follows the job alone', () => {
    expect(decideConfirmation(event, 'completed')).toEqual({
      action: 'settle',
      settlement: 'completed',
    });
    expect(decideConfirmation(event, 'failed')).toEqual({ action: 'settle', settlement: 'failed' });
    expect(decideConfirmation(event, 'queued')).toEqual({ action: 'wait' });
    expect(decideConfirmation(event, 'missing')).toEqual({ action: 'relay' });
  });

  it('ignores a delivery answer (its consumer keeps no delivery record)', () => {
    expect(decideConfirmation(event, 'missing', undefined)).toEqual({ action: 'relay' });
    expect(decideConfirmation(event, 'queued', sent)).toEqual({ action: 'wait' });
  });
});

describe('jobOptionsOf', () => {
  it('adds an email under its row id, removed once completed, kept 14 days when failed', () => {
    expect(jobOptionsOf(send)).toEqual({
      jobId: SEND_ID,
      attempts: JOB_RETRY.attempts,
      backoff: { ...JOB_RETRY.backoff },
      removeOnComplete: true,
      removeOnFail: { age: 14 * 24 * 3600 },
    });
  });

  it('keeps finished jobs as long as the configured retention says', () => {
    const retention = { completedSeconds: 60, failedSeconds: 600 };
    expect(jobOptionsOf(event, retention)).toMatchObject({
      removeOnComplete: { age: 60 },
      removeOnFail: { age: 600 },
    });
    expect(jobOptionsOf(send, retention)).toMatchObject({
      removeOnComplete: true,
      removeOnFail: { age: 600 },
    });
  });

  it('adds a cancel at the head of the queue (lifo), so that it overtakes the send', () => {
    expect(jobOptionsOf(cancel)).toMatchObject({
      jobId: CANCEL_ID,
      lifo: true,
      removeOnComplete: true,
    });
  });

  it('keeps a completed identity event a day, so that the relay can read its completion', () => {
    const options = jobOptionsOf(event);
    expect(options).toMatchObject({ jobId: EVENT_ID, removeOnComplete: { age: 24 * 3600 } });
    expect(options.lifo).toBeUndefined();
  });
});
