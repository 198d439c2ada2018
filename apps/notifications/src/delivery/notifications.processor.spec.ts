import { Logger } from '@nestjs/common';
import { sealLink } from '@app/common';
import { JOBS, SendEmailJob } from '@app/contracts';
import { Job, UnrecoverableError } from 'bullmq';
import { EmailRenderer } from '../rendering/email-renderer.service';
import { TemplateCatalog } from '../rendering/template-catalog';
import { DeliveryRecord, DeliveryStore } from './delivery.store';
import { EmailDeliveryService, messageIdFor } from './email-delivery.service';
import { MailReceipt, MailTransport, OutgoingMail } from './mail-transport';
import { NOTIFICATION_JOB_NAMES } from './notification-jobs';
import { NotificationsProcessor } from './notifications.processor';

const KEY = 'link-sealing-key-for-unit-tests-0123456789';
const LINK = 'https://partners.example/partnership-requests/accept?token=abcDEF123';

class FakeStore extends DeliveryStore {
  readonly rows = new Map<string, DeliveryRecord>();
  find(key: string) {
    return Promise.resolve(this.rows.get(key) ?? null);
  }
  save(record: DeliveryRecord) {
    this.rows.set(record.idempotencyKey, { ...record });
    return Promise.resolve();
  }
}

class FakeTransport extends MailTransport {
  readonly sent: OutgoingMail[] = [];
  failures: Error[] = [];
  send(mail: OutgoingMail): Promise<MailReceipt> {
    const failure = this.failures.shift();
    if (failure) return Promise.reject(failure);
    this.sent.push(mail);
    return Promise.resolve({ messageId: mail.messageId, response: '250 OK: queued' });
  }
}

function smtpError(responseCode: number, code = 'EENVELOPE'): Error {
  return Object.assign(new Error(`${responseCode} refused`), {
    responseCode,
    code,
    response: `${responseCode} refused`,
  });
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

const asJob = (name: string, data: unknown) => ({ name, data, id: 'job-1' }) as unknown as Job;

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

  it('has exactly one handler for every job name of the notifications queue', async () => {
    expect(NOTIFICATION_JOB_NAMES).toEqual([JOBS.sendEmail]);
    for (const name of NOTIFICATION_JOB_NAMES) {
      // Reaching the handler shows as its data validation, not as "no handler".
      await expect(processor.process(asJob(name, {}))).rejects.toThrow(/Invalid .* job data/);
    }
    await expect(processor.process(asJob('partnership.authorized', {}))).rejects.toThrow(
      /No handler for job/,
    );
  });

  it('fails invalid job data at once, without sending', async () => {
    const error: unknown = await processor
      .process(asJob(JOBS.sendEmail, { ...emailJob(), to: 'not-an-email' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnrecoverableError);
    expect((error as Error).message).toContain('to');
    expect(transport.sent).toHaveLength(0);
  });

  it('sends once, with the Message-ID derived from the key and the opened link', async () => {
    const job = emailJob();
    const outcome = await processor.process(asJob(JOBS.sendEmail, job));
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
    expect(store.rows.get(job.idempotencyKey)).toMatchObject({
      status: 'sent',
      attempts: 1,
      subject: mail.subject,
      smtpResponse: '250 OK: queued',
      recipient: 'admin@fabrikam.example',
    });
  });

  it('completes a duplicated or retried job without sending a second email', async () => {
    const job = emailJob();
    await processor.process(asJob(JOBS.sendEmail, job));
    const again = await processor.process(asJob(JOBS.sendEmail, job));
    expect(again.outcome).toBe('already_sent');
    expect(transport.sent).toHaveLength(1);
  });

  it('sends once when duplicated jobs run at the same time (the key is claimed)', async () => {
    let claims = Promise.resolve();
    store.exclusive = <T>(_key: string, work: (s: DeliveryStore) => Promise<T>): Promise<T> => {
      const run = claims.then(() => work(store));
      claims = run.then(
        () => undefined,
        () => undefined,
      );
      return run;
    };
    const job = emailJob();
    const outcomes = await Promise.all([
      processor.process(asJob(JOBS.sendEmail, job)),
      processor.process(asJob(JOBS.sendEmail, job)),
    ]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['already_sent', 'sent']);
    expect(transport.sent).toHaveLength(1);
  });

  it('rethrows a temporary SMTP failure for a retry, then sends on the next attempt', async () => {
    transport.failures.push(smtpError(451, 'EMESSAGE'));
    const job = emailJob();
    await expect(processor.process(asJob(JOBS.sendEmail, job))).rejects.not.toBeInstanceOf(
      UnrecoverableError,
    );
    expect(store.rows.get(job.idempotencyKey)).toMatchObject({
      status: 'failed',
      permanent: false,
      attempts: 1,
    });
    await processor.process(asJob(JOBS.sendEmail, job));
    expect(transport.sent).toHaveLength(1);
    expect(store.rows.get(job.idempotencyKey)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('records a 5xx SMTP reply as a permanent failure and stops retrying', async () => {
    transport.failures.push(smtpError(550));
    const job = emailJob();
    await expect(processor.process(asJob(JOBS.sendEmail, job))).rejects.toBeInstanceOf(
      UnrecoverableError,
    );
    expect(store.rows.get(job.idempotencyKey)).toMatchObject({ status: 'failed', permanent: true });
    const again = await processor.process(asJob(JOBS.sendEmail, job));
    expect(again.outcome).toBe('already_failed');
    expect(transport.sent).toHaveLength(0);
  });

  it('retries an authentication failure (configuration, not the message)', async () => {
    transport.failures.push(smtpError(535, 'EAUTH'));
    await expect(processor.process(asJob(JOBS.sendEmail, emailJob()))).rejects.not.toBeInstanceOf(
      UnrecoverableError,
    );
  });

  it('fails at once when the sealed link cannot be opened', async () => {
    const job = emailJob({ sealedLink: sealLink(LINK, 'another-key-another-key-another-key!') });
    await expect(processor.process(asJob(JOBS.sendEmail, job))).rejects.toBeInstanceOf(
      UnrecoverableError,
    );
    expect(store.rows.get(job.idempotencyKey)).toMatchObject({ status: 'failed', permanent: true });
    expect(transport.sent).toHaveLength(0);
  });

  it('fails at once when an invitation comes without its link', async () => {
    const job = emailJob({ sealedLink: undefined });
    await expect(processor.process(asJob(JOBS.sendEmail, job))).rejects.toThrow(
      /must carry its link/,
    );
    expect(transport.sent).toHaveLength(0);
  });

  it('derives a valid Message-ID from any key', () => {
    expect(messageIdFor('abc-1', 'd.example')).toBe('<abc-1@d.example>');
    expect(messageIdFor('a b<c>', 'd.example')).toMatch(/^<[0-9a-f]{64}@d\.example>$/);
  });
});
