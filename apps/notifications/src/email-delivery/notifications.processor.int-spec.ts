import { MetricsRegistry } from '@app/platform';
import { Logger } from '@nestjs/common';
import { sealLink } from '@app/platform';
import { CancelEmailJob, JOBS, SendEmailJob } from '@app/contracts';
import { DelayedError, Job, UnrecoverableError } from 'bullmq';
import { randomUUID } from 'node:crypto';
import {
  IntegrationDatabase,
  createIntegrationDatabase,
} from '../../../../test/integration/support/database';
import { eventually } from '../../../../test/e2e/support/poll';
import { ENTITIES } from '../database/entities';
import { MIGRATIONS } from '../database/migrations';
import { DeliveryStatusController } from '../delivery-records/delivery-status.controller';
import { Delivery } from '../delivery-records/delivery.entity';
import {
  AttemptOutcome,
  ClaimRequest,
  ClaimResult,
  DeliveryJobSummary,
  DeliveryState,
  DeliveryStore,
  PostgresDeliveryStore,
  SkipRequest,
  SkipResult,
} from '../delivery-store/delivery.store';
import { EmailRenderer, TemplateCatalog } from '@app/email-rendering';
import { MailReceipt, MailTransport, OutgoingMail } from '../smtp/mail-transport';
import { EmailDeliveryService, LEASE_MS, messageIdFor } from './email-delivery.service';
import { NotificationsProcessor } from './notifications.processor';

/**
 * The worker's logic on the real delivery store (PostgreSQL, the service's committed migrations):
 * what each job does to the `delivery` row and what it answers. The SMTP server and the BullMQ
 * job are fakes; the store is not.
 */

const KEY = 'link-sealing-key-for-unit-tests-0123456789';
const LINK = 'https://partners.example/partnership-requests/accept?token=abcDEF123';

/** The real store, with database failures injected into `record` (a PostgreSQL restart). */
class BlinkingStore extends DeliveryStore {
  recordFailures: Error[] = [];
  constructor(private readonly real: DeliveryStore) {
    super();
  }
  claim(request: ClaimRequest): Promise<ClaimResult> {
    return this.real.claim(request);
  }
  skip(request: SkipRequest): Promise<SkipResult> {
    return this.real.skip(request);
  }
  record(outcome: AttemptOutcome): Promise<boolean> {
    const failure = this.recordFailures.shift();
    if (failure) return Promise.reject(failure);
    return this.real.record(outcome);
  }
  extendLease(key: string, claimant: string, leaseMs: number): Promise<boolean> {
    return this.real.extendLease(key, claimant, leaseMs);
  }
  describeSkipped(key: string, job: DeliveryJobSummary): Promise<void> {
    return this.real.describeSkipped(key, job);
  }
  states(keys: readonly string[]): Promise<DeliveryState[]> {
    return this.real.states(keys);
  }
}

class FakeTransport extends MailTransport {
  readonly sent: OutgoingMail[] = [];
  failures: Error[] = [];
  /** Sends begun (the key is claimed by then), including those the gate holds. */
  started = 0;
  /** Holds every send until released (to have one in flight). */
  gate: Promise<void> | undefined;
  send(mail: OutgoingMail): Promise<MailReceipt> {
    this.started += 1;
    const go = async () => {
      await this.gate;
      const failure = this.failures.shift();
      if (failure) throw failure;
      this.sent.push(mail);
      return { messageId: mail.messageId, response: '250 OK: queued' };
    };
    return go();
  }
}

function smtpError(responseCode: number, code = 'EENVELOPE'): Error {
  return Object.assign(new Error(`${responseCode} refused`), {
    responseCode,
    code,
    response: `${responseCode} refused`,
  });
}

function connectionRefused(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:25'), { code: 'ECONNECTION' });
}

interface FakeJob {
  name: string;
  data: unknown;
  id: string;
  attemptsMade: number;
  opts: { attempts?: number };
  delayedUntil?: number;
  moveToDelayed(timestamp: number, token?: string): Promise<void>;
}

function asJob(name: string, data: unknown, attempts = { made: 0, allowed: 40 }): FakeJob & Job {
  const job: FakeJob = {
    name,
    data,
    id: 'job-1',
    attemptsMade: attempts.made,
    opts: { attempts: attempts.allowed },
    moveToDelayed(timestamp: number) {
      job.delayedUntil = timestamp;
      return Promise.resolve();
    },
  };
  return job as FakeJob & Job;
}

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('NotificationsProcessor on the delivery store', () => {
  const renderer = new EmailRenderer(TemplateCatalog.load());
  let db: IntegrationDatabase;
  let store: BlinkingStore;
  let transport: FakeTransport;
  let processor: NotificationsProcessor;
  /** This test's idempotency key: each test has its own row. */
  let key: string;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    db = await createIntegrationDatabase(ENTITIES, MIGRATIONS);
  });

  afterAll(async () => {
    await db?.drop();
  });

  beforeEach(() => {
    key = randomUUID();
    store = new BlinkingStore(new PostgresDeliveryStore(db.orm.em));
    transport = new FakeTransport();
    const deliveries = new EmailDeliveryService(renderer, store, transport, {
      LINK_SEALING_KEY: KEY,
      MESSAGE_ID_DOMAIN: 'partners.example',
    });
    processor = new NotificationsProcessor(
      deliveries,
      { WORKER_CONCURRENCY: 1 },
      new MetricsRegistry({
        service: 'notifications',
        queues: { redisUrl: 'redis://127.0.0.1:6379', prefix: 'unused', names: [] },
      }),
    );
  });

  function emailJob(overrides: Partial<SendEmailJob> = {}): SendEmailJob {
    return {
      template: 'partnership-request',
      to: 'admin@fabrikam.example',
      locale: 'ja',
      data: {
        providerName: 'Contoso Distribution',
        providerMpnId: '1234567',
        inviterName: 'Avery Howard',
        expiresAt: '2026-12-07T14:00:00.000Z',
      },
      sealedLink: sealLink(LINK, KEY),
      idempotencyKey: key,
      ...overrides,
    };
  }

  function cancelJob(overrides: Partial<CancelEmailJob> = {}): CancelEmailJob {
    return {
      idempotencyKey: key,
      reason: 'revoked',
      occurredAt: '2026-11-30T09:00:00.000Z',
      ...overrides,
    };
  }

  const send = (job: SendEmailJob, attempts?: { made: number; allowed: number }) =>
    processor.process(asJob(JOBS.sendEmail, job, attempts), 'token');
  const cancel = (job: CancelEmailJob) => processor.process(asJob(JOBS.cancelEmail, job), 'token');
  /** The row of this test's key as it is now. */
  const row = () => db.orm.em.fork().findOne(Delivery, { idempotencyKey: key });
  /** What `notifications.deliveries.status` answers the relay for this test's key. */
  const status = async () => {
    const answer = await new DeliveryStatusController(store).handle({ idempotencyKeys: [key] });
    if (!answer.ok) throw new Error(answer.error.description);
    return answer.data.deliveries;
  };
  /** Waits until a send has begun (its claim is committed) and is held at the gate. */
  const inFlight = () => eventually('a send in flight', () => transport.started > 0 || undefined);

  describe('email.send', () => {
    it('sends once, with the Message-ID derived from the key and the opened link', async () => {
      const job = emailJob();
      const outcome = await send(job);
      expect(outcome).toEqual({
        outcome: 'sent',
        messageId: `<${job.idempotencyKey}@partners.example>`,
      });
      expect(transport.sent).toHaveLength(1);
      const [mail] = transport.sent;
      expect(mail.to).toBe('admin@fabrikam.example');
      expect(mail.locale).toBe('ja');
      expect(mail.text).toContain(LINK);
      expect(mail.html).toContain(LINK);
      expect(await row()).toMatchObject({
        status: 'sent',
        settled: true,
        attempts: 1,
        subject: mail.subject,
        smtpResponse: '250 OK: queued',
        recipient: 'admin@fabrikam.example',
        template: 'partnership-request',
        locale: 'ja',
        messageId: `<${job.idempotencyKey}@partners.example>`,
        // Purged once sent: the row never keeps a link it no longer needs.
        sealedLink: null,
        claimedBy: null,
      });
      expect(await status()).toEqual([{ idempotencyKey: key, status: 'sent', settled: true }]);
    });

    it('completes a duplicated or retried job without sending a second email', async () => {
      const job = emailJob();
      await send(job);
      expect(await send(job)).toMatchObject({ outcome: 'already_sent' });
      expect(transport.sent).toHaveLength(1);
      expect(await row()).toMatchObject({ status: 'sent', attempts: 1 });
    });

    it('delays a duplicate that finds the key claimed by a live attempt, without an attempt', async () => {
      let release!: () => void;
      transport.gate = new Promise((resolve) => (release = resolve));
      const job = emailJob();
      const first = send(job);
      await inFlight();
      const duplicate = asJob(JOBS.sendEmail, job);
      const error = await rejection(processor.process(duplicate, 'token'));
      expect(error).toBeInstanceOf(DelayedError);
      expect(duplicate.delayedUntil).toBeGreaterThan(Date.now());
      // Claimed, nothing recorded yet: the relay hears nothing settled about it.
      expect(await status()).toEqual([]);
      release();
      expect(await first).toMatchObject({ outcome: 'sent' });
      // The delayed duplicate, run again, finds the record.
      expect(await processor.process(duplicate, 'token')).toMatchObject({
        outcome: 'already_sent',
      });
      expect(transport.sent).toHaveLength(1);
      expect((await row())?.attempts).toBe(1);
    });

    it('takes over the claim of a crashed attempt once its lease ends (same Message-ID)', async () => {
      const job = emailJob();
      await store.claim({
        idempotencyKey: job.idempotencyKey,
        messageId: messageIdFor(job.idempotencyKey, 'partners.example'),
        claimant: 'a worker that died',
        leaseMs: LEASE_MS,
        job: {
          template: job.template,
          recipient: job.to,
          locale: job.locale,
          expiresAt: null,
        },
      });
      await expect(send(job)).rejects.toBeInstanceOf(DelayedError);
      // The dead worker's lease runs out.
      await db.orm.em
        .getConnection()
        .execute(
          `update "delivery" set "lease_until" = now() - interval '1 millisecond' where "idempotency_key" = ?`,
          [key],
        );
      expect(await send(job)).toMatchObject({ outcome: 'sent' });
      expect(transport.sent[0].messageId).toBe(`<${job.idempotencyKey}@partners.example>`);
      expect(await row()).toMatchObject({ status: 'sent', attempts: 2 });
    });

    it('rethrows a temporary failure for a retry, keeping the job for later, then sends', async () => {
      const job = emailJob();
      for (const failure of [smtpError(451, 'EMESSAGE'), connectionRefused()]) {
        transport.failures.push(failure);
        const error = await rejection(send(job));
        expect(error).toBe(failure);
        expect(error).not.toBeInstanceOf(UnrecoverableError);
      }
      expect(await row()).toMatchObject({
        status: 'failed',
        settled: false,
        permanent: false,
        attempts: 2,
        smtpResponse: 'ECONNECTION: connect ECONNREFUSED 127.0.0.1:25',
        sealedLink: job.sealedLink,
        data: job.data,
        claimedBy: null,
      });
      expect(await status()).toEqual([
        { idempotencyKey: job.idempotencyKey, status: 'failed', settled: false },
      ]);
      expect(await send(job)).toMatchObject({ outcome: 'sent' });
      expect(transport.sent).toHaveLength(1);
      expect(await row()).toMatchObject({ status: 'sent', attempts: 3, sealedLink: null });
    });

    it('settles a temporary failure on the last attempt (retries exhausted)', async () => {
      transport.failures.push(smtpError(421, 'ECONNECTION'));
      const job = emailJob();
      await expect(send(job, { made: 39, allowed: 40 })).rejects.toThrow('421 refused');
      expect(await row()).toMatchObject({ status: 'failed', settled: true, permanent: false });
      expect(await status()).toEqual([{ idempotencyKey: key, status: 'failed', settled: true }]);
      expect(await send(job)).toMatchObject({ outcome: 'already_failed' });
    });

    it('records a 5xx SMTP reply as a permanent failure with the reply, and stops retrying', async () => {
      transport.failures.push(smtpError(550));
      const job = emailJob();
      await expect(send(job)).rejects.toBeInstanceOf(UnrecoverableError);
      expect(await row()).toMatchObject({
        status: 'failed',
        permanent: true,
        settled: true,
        smtpResponse: 'EENVELOPE: 550 refused',
        // Kept for an operator's replay.
        sealedLink: job.sealedLink,
        data: job.data,
      });
      expect(await send(job)).toMatchObject({ outcome: 'already_failed' });
      expect(transport.sent).toHaveLength(0);
    });

    it('retries an authentication failure (configuration, not the message)', async () => {
      transport.failures.push(smtpError(535, 'EAUTH'));
      await expect(send(emailJob())).rejects.not.toBeInstanceOf(UnrecoverableError);
      expect(await row()).toMatchObject({ status: 'failed', settled: false });
    });

    it('fails at once when the sealed link cannot be opened', async () => {
      const job = emailJob({ sealedLink: sealLink(LINK, 'another-key-another-key-another-key!') });
      await expect(send(job)).rejects.toBeInstanceOf(UnrecoverableError);
      expect(await row()).toMatchObject({ status: 'failed', permanent: true, settled: true });
      expect(transport.sent).toHaveLength(0);
    });

    it('fails at once when an invitation comes without its link', async () => {
      await expect(send(emailJob({ sealedLink: undefined }))).rejects.toThrow(
        /must carry its link/,
      );
      expect(await row()).toMatchObject({ status: 'failed', permanent: true, settled: true });
      expect(transport.sent).toHaveLength(0);
    });

    it('completes as skipped (expired) when it comes after the link expired', async () => {
      const job = emailJob({ expiresAt: new Date(Date.now() - 1000).toISOString() });
      expect(await send(job)).toEqual({
        outcome: 'skipped',
        reason: 'expired',
        messageId: `<${job.idempotencyKey}@partners.example>`,
      });
      expect(transport.sent).toHaveLength(0);
      expect(await row()).toMatchObject({
        status: 'skipped',
        skipReason: 'expired',
        settled: true,
        template: 'partnership-request',
        recipient: job.to,
        expiresAt: new Date(job.expiresAt!),
        sealedLink: null,
      });
    });

    it('sends a job whose link has not expired yet', async () => {
      const job = emailJob({ expiresAt: new Date(Date.now() + 3600_000).toISOString() });
      expect(await send(job)).toMatchObject({ outcome: 'sent' });
      expect(await row()).toMatchObject({ status: 'sent', expiresAt: new Date(job.expiresAt!) });
    });

    it('retries recording the outcome instead of resending when the database blinks', async () => {
      store.recordFailures.push(new Error('terminating connection due to administrator command'));
      expect(await send(emailJob())).toMatchObject({ outcome: 'sent' });
      expect(transport.sent).toHaveLength(1);
      expect(store.recordFailures).toHaveLength(0);
      expect(await row()).toMatchObject({ status: 'sent' });
    });
  });

  describe('email.cancel', () => {
    it('records a delivery not seen yet as skipped; its send then completes as skipped', async () => {
      expect(await cancel(cancelJob())).toMatchObject({ outcome: 'skipped', reason: 'revoked' });
      expect(await row()).toMatchObject({
        status: 'skipped',
        skipReason: 'revoked',
        settled: true,
      });
      expect((await row())?.template).toBeNull();

      const job = emailJob();
      expect(await send(job)).toEqual({
        outcome: 'skipped',
        reason: 'revoked',
        messageId: `<${job.idempotencyKey}@partners.example>`,
      });
      expect(transport.sent).toHaveLength(0);
      // The send fills in what the cancel could not know.
      expect(await row()).toMatchObject({ template: 'partnership-request', recipient: job.to });
      expect(await status()).toEqual([
        { idempotencyKey: job.idempotencyKey, status: 'skipped', settled: true },
      ]);
    });

    it('skips a delivery between retries and purges its sealed link', async () => {
      transport.failures.push(connectionRefused());
      const job = emailJob();
      await expect(send(job)).rejects.toThrow('ECONNREFUSED');
      expect(await cancel(cancelJob({ reason: 'superseded' }))).toMatchObject({
        outcome: 'skipped',
        reason: 'superseded',
      });
      expect(await row()).toMatchObject({
        status: 'skipped',
        skipReason: 'superseded',
        sealedLink: null,
      });
      expect(await send(job)).toMatchObject({ outcome: 'skipped', reason: 'superseded' });
      expect(transport.sent).toHaveLength(0);
    });

    it('leaves a sent delivery alone (the cancel came too late)', async () => {
      await send(emailJob());
      expect(await cancel(cancelJob())).toMatchObject({ outcome: 'already_sent' });
      expect(await row()).toMatchObject({ status: 'sent', skipReason: null });
    });

    it('waits while a send is in flight, then finds it sent', async () => {
      let release!: () => void;
      transport.gate = new Promise((resolve) => (release = resolve));
      const sending = send(emailJob());
      await inFlight();
      const cancellation = asJob(JOBS.cancelEmail, cancelJob());
      await expect(processor.process(cancellation, 'token')).rejects.toBeInstanceOf(DelayedError);
      expect(cancellation.delayedUntil).toBeGreaterThan(Date.now());
      release();
      await sending;
      expect(await processor.process(cancellation, 'token')).toMatchObject({
        outcome: 'already_sent',
      });
    });

    it('is idempotent: a second cancel finds the delivery skipped', async () => {
      await cancel(cancelJob());
      expect(await cancel(cancelJob({ reason: 'superseded' }))).toMatchObject({
        outcome: 'skipped',
        reason: 'revoked',
      });
      expect(await row()).toMatchObject({ skipReason: 'revoked' });
    });

    it('skips a delivery that failed for good (nothing to replay for a revoked invitation)', async () => {
      transport.failures.push(smtpError(550));
      await expect(send(emailJob())).rejects.toBeInstanceOf(UnrecoverableError);
      expect(await cancel(cancelJob())).toMatchObject({ outcome: 'skipped' });
      expect(await row()).toMatchObject({ status: 'skipped', sealedLink: null });
    });
  });
});
