import { Logger } from '@nestjs/common';
import { sealLink } from '@app/platform';
import { CancelEmailJob, JOBS, SendEmailJob } from '@app/contracts';
import { DelayedError, Job, UnrecoverableError } from 'bullmq';
import { EmailRenderer } from '../rendering/email-renderer.service';
import { TemplateCatalog } from '../rendering/template-catalog';
import { toStatusEntry } from '../delivery-records/delivery-status.controller';
import {
  AttemptOutcome,
  ClaimRequest,
  ClaimResult,
  DeliveryJobSummary,
  DeliveryRecord,
  DeliveryState,
  DeliveryStore,
  SkipRequest,
  SkipResult,
} from '../delivery-store/delivery.store';
import {
  DeliveryContendedError,
  EmailDeliveryService,
  LEASE_MS,
  messageIdFor,
} from './email-delivery.service';
import { MailReceipt, MailTransport, OutgoingMail } from '../smtp/mail-transport';
import { NOTIFICATION_JOB_NAMES } from './notification-jobs';
import { NotificationsProcessor } from './notifications.processor';

const KEY = 'link-sealing-key-for-unit-tests-0123456789';
const LINK = 'https://partners.example/partnership-requests/accept?token=abcDEF123';

type Row = DeliveryRecord & { sealedLink: string | null; data: unknown };

/** The `delivery` table's rules (PostgresDeliveryStore's statements), in memory, with a clock. */
class FakeStore extends DeliveryStore {
  readonly rows = new Map<string, Row>();
  now = Date.now();
  recordFailures: Error[] = [];

  private live(row: Row): boolean {
    return row.leaseUntil !== null && row.leaseUntil.getTime() > this.now;
  }

  private snapshot(row: Row | undefined): DeliveryRecord | null {
    return row ? { ...row } : null;
  }

  private describe(job: DeliveryJobSummary | undefined) {
    return {
      template: job?.template ?? null,
      recipient: job?.recipient ?? null,
      locale: job?.locale ?? null,
    };
  }

  claim(request: ClaimRequest): Promise<ClaimResult> {
    const row = this.rows.get(request.idempotencyKey);
    const lease = { claimedBy: request.claimant, leaseUntil: new Date(this.now + request.leaseMs) };
    const job = this.describe(request.job);
    if (!row) {
      this.rows.set(request.idempotencyKey, {
        sealedLink: null,
        data: null,
        idempotencyKey: request.idempotencyKey,
        messageId: request.messageId,
        subject: null,
        status: 'pending',
        settled: false,
        permanent: false,
        skipReason: null,
        smtpResponse: null,
        attempts: 1,
        sentAt: null,
        ...job,
        ...lease,
      });
      return Promise.resolve({ claimed: true, attempts: 1 });
    }
    if ((row.status === 'pending' || row.status === 'failed') && !row.settled && !this.live(row)) {
      Object.assign(row, job, lease, { attempts: row.attempts + 1 });
      return Promise.resolve({ claimed: true, attempts: row.attempts });
    }
    return Promise.resolve({ claimed: false, current: this.snapshot(row) });
  }

  skip(request: SkipRequest): Promise<SkipResult> {
    const row = this.rows.get(request.idempotencyKey);
    const skipped = { status: 'skipped' as const, settled: true, skipReason: request.reason };
    if (!row) {
      this.rows.set(request.idempotencyKey, {
        idempotencyKey: request.idempotencyKey,
        messageId: request.messageId,
        subject: null,
        permanent: false,
        smtpResponse: null,
        attempts: 0,
        sentAt: null,
        sealedLink: null,
        data: null,
        claimedBy: null,
        leaseUntil: null,
        ...this.describe(request.job),
        ...skipped,
      });
      return Promise.resolve({ skipped: true });
    }
    if ((row.status === 'pending' || row.status === 'failed') && !this.live(row)) {
      Object.assign(row, skipped, { sealedLink: null, claimedBy: null, leaseUntil: null });
      return Promise.resolve({ skipped: true });
    }
    return Promise.resolve({ skipped: false, current: this.snapshot(row) });
  }

  record(outcome: AttemptOutcome): Promise<boolean> {
    const failure = this.recordFailures.shift();
    if (failure) return Promise.reject(failure);
    const row = this.rows.get(outcome.idempotencyKey);
    const held = row?.claimedBy === outcome.claimant;
    if (!row || !(held || (outcome.status === 'sent' && row.status !== 'sent'))) {
      return Promise.resolve(false);
    }
    Object.assign(row, {
      status: outcome.status,
      settled: outcome.settled,
      permanent: outcome.permanent,
      skipReason: null,
      smtpResponse: outcome.smtpResponse,
      subject: outcome.subject ?? row.subject,
      locale: outcome.locale ?? row.locale,
      sentAt: outcome.sentAt ?? row.sentAt,
      data: outcome.kept ? outcome.kept.data : row.data,
      sealedLink:
        outcome.status === 'sent' ? null : outcome.kept ? outcome.kept.sealedLink : row.sealedLink,
      claimedBy: null,
      leaseUntil: null,
    });
    return Promise.resolve(true);
  }

  extendLease(key: string, claimant: string, leaseMs: number): Promise<boolean> {
    const row = this.rows.get(key);
    if (row?.claimedBy !== claimant) return Promise.resolve(false);
    row.leaseUntil = new Date(this.now + leaseMs);
    return Promise.resolve(true);
  }

  describeSkipped(key: string, job: DeliveryJobSummary): Promise<void> {
    const row = this.rows.get(key);
    if (row?.status === 'skipped' && row.template === null) {
      Object.assign(row, { template: job.template, recipient: job.recipient, locale: job.locale });
    }
    return Promise.resolve();
  }

  states(keys: readonly string[]): Promise<DeliveryState[]> {
    return Promise.resolve(
      keys.flatMap((key) => {
        const row = this.rows.get(key);
        return row ? [{ idempotencyKey: key, status: row.status, settled: row.settled }] : [];
      }),
    );
  }
}

class FakeTransport extends MailTransport {
  readonly sent: OutgoingMail[] = [];
  failures: Error[] = [];
  /** Holds every send until released (to have one in flight). */
  gate: Promise<void> | undefined;
  send(mail: OutgoingMail): Promise<MailReceipt> {
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
    idempotencyKey: '0b6f3c1e-2a51-4f7e-9d6a-3b1f4c2d5e6f',
    ...overrides,
  };
}

function cancelJob(overrides: Partial<CancelEmailJob> = {}): CancelEmailJob {
  return {
    idempotencyKey: emailJob().idempotencyKey,
    reason: 'revoked',
    occurredAt: '2026-11-30T09:00:00.000Z',
    ...overrides,
  };
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

describe('NotificationsProcessor', () => {
  const renderer = new EmailRenderer(TemplateCatalog.load());
  let store: FakeStore;
  let transport: FakeTransport;
  let processor: NotificationsProcessor;

  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(() => {
    store = new FakeStore();
    transport = new FakeTransport();
    const deliveries = new EmailDeliveryService(renderer, store, transport, {
      LINK_SEALING_KEY: KEY,
      MESSAGE_ID_DOMAIN: 'partners.example',
    });
    processor = new NotificationsProcessor(deliveries, { WORKER_CONCURRENCY: 1 });
  });

  const send = (job: SendEmailJob, attempts?: { made: number; allowed: number }) =>
    processor.process(asJob(JOBS.sendEmail, job, attempts), 'token');
  const cancel = (job: CancelEmailJob) => processor.process(asJob(JOBS.cancelEmail, job), 'token');
  const row = (key = emailJob().idempotencyKey) => store.rows.get(key);

  describe('dispatch', () => {
    it('has exactly one handler for every job name of the notifications queue', async () => {
      expect([...NOTIFICATION_JOB_NAMES].sort()).toEqual([JOBS.cancelEmail, JOBS.sendEmail].sort());
      for (const name of NOTIFICATION_JOB_NAMES) {
        // Reaching the handler shows as its data validation, not as "no handler".
        await expect(processor.process(asJob(name, {}))).rejects.toThrow(/Invalid .* job data/);
      }
      await expect(processor.process(asJob('partnership.authorized', {}))).rejects.toThrow(
        /No handler for job/,
      );
    });

    it('fails invalid job data at once, without sending', async () => {
      const error = await rejection(send({ ...emailJob(), to: 'not-an-email' }));
      expect(error).toBeInstanceOf(UnrecoverableError);
      expect((error as Error).message).toContain('to');
      const badCancel = await rejection(cancel({ ...cancelJob(), reason: 'bored' as never }));
      expect(badCancel).toBeInstanceOf(UnrecoverableError);
      expect(transport.sent).toHaveLength(0);
      expect(store.rows.size).toBe(0);
    });
  });

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
      expect(row()).toMatchObject({
        status: 'sent',
        settled: true,
        attempts: 1,
        subject: mail.subject,
        smtpResponse: '250 OK: queued',
        recipient: 'admin@fabrikam.example',
        template: 'partnership-request',
        // Purged once sent: the row never keeps a link it no longer needs.
        sealedLink: null,
        claimedBy: null,
      });
    });

    it('completes a duplicated or retried job without sending a second email', async () => {
      const job = emailJob();
      await send(job);
      expect(await send(job)).toMatchObject({ outcome: 'already_sent' });
      expect(transport.sent).toHaveLength(1);
    });

    it('delays a duplicate that finds the key claimed by a live attempt, without an attempt', async () => {
      let release!: () => void;
      transport.gate = new Promise((resolve) => (release = resolve));
      const job = emailJob();
      const first = send(job);
      await new Promise((resolve) => setImmediate(resolve));
      const duplicate = asJob(JOBS.sendEmail, job);
      const error = await rejection(processor.process(duplicate, 'token'));
      expect(error).toBeInstanceOf(DelayedError);
      expect(duplicate.delayedUntil).toBeGreaterThan(Date.now());
      release();
      expect(await first).toMatchObject({ outcome: 'sent' });
      // The delayed duplicate, run again, finds the record.
      expect(await processor.process(duplicate, 'token')).toMatchObject({
        outcome: 'already_sent',
      });
      expect(transport.sent).toHaveLength(1);
      expect(row()?.attempts).toBe(1);
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
      store.now += LEASE_MS + 1;
      expect(await send(job)).toMatchObject({ outcome: 'sent' });
      expect(transport.sent[0].messageId).toBe(`<${job.idempotencyKey}@partners.example>`);
      expect(row()).toMatchObject({ status: 'sent', attempts: 2 });
    });

    it('rethrows a temporary failure for a retry, keeping the job for later, then sends', async () => {
      const job = emailJob();
      for (const failure of [smtpError(451, 'EMESSAGE'), connectionRefused()]) {
        transport.failures.push(failure);
        const error = await rejection(send(job));
        expect(error).toBe(failure);
        expect(error).not.toBeInstanceOf(UnrecoverableError);
      }
      expect(row()).toMatchObject({
        status: 'failed',
        settled: false,
        permanent: false,
        attempts: 2,
        smtpResponse: 'ECONNECTION: connect ECONNREFUSED 127.0.0.1:25',
        sealedLink: job.sealedLink,
        data: job.data,
        claimedBy: null,
      });
      expect(toStatusEntry(row()!)).toEqual({
        idempotencyKey: job.idempotencyKey,
        status: 'failed',
        settled: false,
      });
      expect(await send(job)).toMatchObject({ outcome: 'sent' });
      expect(transport.sent).toHaveLength(1);
      expect(row()).toMatchObject({ status: 'sent', attempts: 3, sealedLink: null });
    });

    it('settles a temporary failure on the last attempt (retries exhausted)', async () => {
      transport.failures.push(smtpError(421, 'ECONNECTION'));
      const job = emailJob();
      await expect(send(job, { made: 39, allowed: 40 })).rejects.toThrow('421 refused');
      expect(row()).toMatchObject({ status: 'failed', settled: true, permanent: false });
      expect(toStatusEntry(row()!)?.settled).toBe(true);
      expect(await send(job)).toMatchObject({ outcome: 'already_failed' });
    });

    it('records a 5xx SMTP reply as a permanent failure with the reply, and stops retrying', async () => {
      transport.failures.push(smtpError(550));
      const job = emailJob();
      await expect(send(job)).rejects.toBeInstanceOf(UnrecoverableError);
      expect(row()).toMatchObject({
        status: 'failed',
        permanent: true,
        settled: true,
        smtpResponse: 'EENVELOPE: 550 refused',
        // Kept for an operator's replay.
        sealedLink: job.sealedLink,
      });
      expect(await send(job)).toMatchObject({ outcome: 'already_failed' });
      expect(transport.sent).toHaveLength(0);
    });

    it('retries an authentication failure (configuration, not the message)', async () => {
      transport.failures.push(smtpError(535, 'EAUTH'));
      await expect(send(emailJob())).rejects.not.toBeInstanceOf(UnrecoverableError);
      expect(row()).toMatchObject({ status: 'failed', settled: false });
    });

    it('fails at once when the sealed link cannot be opened', async () => {
      const job = emailJob({ sealedLink: sealLink(LINK, 'another-key-another-key-another-key!') });
      await expect(send(job)).rejects.toBeInstanceOf(UnrecoverableError);
      expect(row()).toMatchObject({ status: 'failed', permanent: true, settled: true });
      expect(transport.sent).toHaveLength(0);
    });

    it('fails at once when an invitation comes without its link', async () => {
      await expect(send(emailJob({ sealedLink: undefined }))).rejects.toThrow(
        /must carry its link/,
      );
      expect(row()).toMatchObject({ status: 'failed', permanent: true, settled: true });
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
      expect(row()).toMatchObject({
        status: 'skipped',
        skipReason: 'expired',
        settled: true,
        template: 'partnership-request',
        recipient: job.to,
        sealedLink: null,
      });
    });

    it('sends a job whose link has not expired yet', async () => {
      const job = emailJob({ expiresAt: new Date(Date.now() + 3600_000).toISOString() });
      expect(await send(job)).toMatchObject({ outcome: 'sent' });
    });

    it('retries recording the outcome instead of resending when the database blinks', async () => {
      store.recordFailures.push(new Error('terminating connection due to administrator command'));
      expect(await send(emailJob())).toMatchObject({ outcome: 'sent' });
      expect(transport.sent).toHaveLength(1);
      expect(row()).toMatchObject({ status: 'sent' });
    });
  });

  describe('email.cancel', () => {
    it('records a delivery not seen yet as skipped; its send then completes as skipped', async () => {
      expect(await cancel(cancelJob())).toMatchObject({ outcome: 'skipped', reason: 'revoked' });
      expect(row()).toMatchObject({ status: 'skipped', skipReason: 'revoked', settled: true });
      expect(row()?.template).toBeNull();

      const job = emailJob();
      expect(await send(job)).toEqual({
        outcome: 'skipped',
        reason: 'revoked',
        messageId: `<${job.idempotencyKey}@partners.example>`,
      });
      expect(transport.sent).toHaveLength(0);
      // The send fills in what the cancel could not know.
      expect(row()).toMatchObject({ template: 'partnership-request', recipient: job.to });
      expect(toStatusEntry(row()!)).toEqual({
        idempotencyKey: job.idempotencyKey,
        status: 'skipped',
        settled: true,
      });
    });

    it('skips a delivery between retries and purges its sealed link', async () => {
      transport.failures.push(connectionRefused());
      const job = emailJob();
      await expect(send(job)).rejects.toThrow('ECONNREFUSED');
      expect(await cancel(cancelJob({ reason: 'superseded' }))).toMatchObject({
        outcome: 'skipped',
        reason: 'superseded',
      });
      expect(row()).toMatchObject({
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
      expect(row()).toMatchObject({ status: 'sent', skipReason: null });
    });

    it('waits while a send is in flight, then finds it sent', async () => {
      let release!: () => void;
      transport.gate = new Promise((resolve) => (release = resolve));
      const sending = send(emailJob());
      await new Promise((resolve) => setImmediate(resolve));
      const cancellation = asJob(JOBS.cancelEmail, cancelJob());
      await expect(processor.process(cancellation, 'token')).rejects.toBeInstanceOf(DelayedError);
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
    });

    it('skips a delivery that failed for good (nothing to replay for a revoked invitation)', async () => {
      transport.failures.push(smtpError(550));
      await expect(send(emailJob())).rejects.toBeInstanceOf(UnrecoverableError);
      expect(await cancel(cancelJob())).toMatchObject({ outcome: 'skipped' });
      expect(row()).toMatchObject({ status: 'skipped', sealedLink: null });
    });
  });

  describe('delivery status', () => {
    const state = (status: DeliveryState['status'], settled: boolean): DeliveryState => ({
      idempotencyKey: 'k',
      status,
      settled,
    });

    it('maps each recorded status to what the relay needs', () => {
      expect(toStatusEntry(state('sent', true))).toEqual({
        idempotencyKey: 'k',
        status: 'sent',
        settled: true,
      });
      expect(toStatusEntry(state('skipped', true))?.settled).toBe(true);
      expect(toStatusEntry(state('failed', true))?.settled).toBe(true);
      expect(toStatusEntry(state('failed', false))?.settled).toBe(false);
      // Claimed, nothing recorded yet: as unsettled as no record at all.
      expect(toStatusEntry(state('pending', false))).toBeUndefined();
    });
  });

  it('derives a valid Message-ID from any key', () => {
    expect(messageIdFor('abc-1', 'd.example')).toBe('<abc-1@d.example>');
    expect(messageIdFor('a b<c>', 'd.example')).toMatch(/^<[0-9a-f]{64}@d\.example>$/);
  });

  it('names the contended key in the error that delays a job', () => {
    expect(new DeliveryContendedError('k', 500).message).toContain('k');
  });
});
