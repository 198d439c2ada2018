import { MetricsRegistry } from '@app/platform';
import { Logger } from '@nestjs/common';
import { sealLink } from '@app/platform';
import { CancelEmailJob, JOBS, SendEmailJob } from '@app/contracts';
import { Job, UnrecoverableError } from 'bullmq';
import { DeliveryStore } from '../delivery-store/delivery.store';
import { EmailRenderer, TemplateCatalog } from '@app/email-rendering';
import { MailReceipt, MailTransport, OutgoingMail } from '../smtp/mail-transport';
import {
  DeliveryContendedError,
  EmailDeliveryService,
  messageIdFor,
} from './email-delivery.service';
import { NOTIFICATION_JOB_NAMES } from './notification-jobs';
import { NotificationsProcessor } from './notifications.processor';

/**
 * The processor's dispatch and validation, which never reach the store. What a job does to its
 * delivery record is proved on PostgreSQL in notifications.processor.int-spec.ts.
 */

const KEY = 'link-sealing-key-for-unit-tests-0123456789';
const LINK = 'https://partners.example/partnership-requests/accept?token=abcDEF123';

/** A store no test here may reach: every call is noted and refused. */
class UntouchedStore extends DeliveryStore {
  readonly calls: string[] = [];
  private refuse(method: string): Promise<never> {
    this.calls.push(method);
    return Promise.reject(new Error(`the store was asked to ${method}`));
  }
  claim = () => this.refuse('claim');
  skip = () => this.refuse('skip');
  record = () => this.refuse('record');
  extendLease = () => this.refuse('extendLease');
  describeSkipped = () => this.refuse('describeSkipped');
  states = () => this.refuse('states');
}

class FakeTransport extends MailTransport {
  readonly sent: OutgoingMail[] = [];
  send(mail: OutgoingMail): Promise<MailReceipt> {
    this.sent.push(mail);
    return Promise.resolve({ messageId: mail.messageId, response: '250 OK: queued' });
  }
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

function asJob(name: string, data: unknown): Job {
  return { name, data, id: 'job-1', attemptsMade: 0, opts: { attempts: 40 } } as unknown as Job;
}

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('NotificationsProcessor', () => {
  const renderer = new EmailRenderer(TemplateCatalog.load());
  let store: UntouchedStore;
  let transport: FakeTransport;
  let processor: NotificationsProcessor;

  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(() => {
    store = new UntouchedStore();
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

  const send = (job: SendEmailJob) => processor.process(asJob(JOBS.sendEmail, job), 'token');
  const cancel = (job: CancelEmailJob) => processor.process(asJob(JOBS.cancelEmail, job), 'token');

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
      // Nothing recorded: the job never reached the store.
      expect(store.calls).toEqual([]);
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
