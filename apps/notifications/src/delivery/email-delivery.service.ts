import { Inject, Injectable, Logger } from '@nestjs/common';
import { openLink } from '@app/common';
import { RenderedEmail, SendEmailJob } from '@app/contracts';
import { UnrecoverableError } from 'bullmq';
import { createHash } from 'node:crypto';
import { APP_CONFIG, NotificationsConfig } from '../config/notifications.config';
import { EmailRenderer } from '../rendering/email-renderer.service';
import { DeliveryRecord, DeliveryStore } from './delivery.store';
import { MailTransport, describeSmtpFailure, isPermanentSmtpFailure } from './mail-transport';

/** What a processed `email.send` job returns (its BullMQ return value). */
export interface DeliveryOutcome {
  /** `sent` now; `already_sent` or `already_failed` when the key was recorded by an earlier job. */
  outcome: 'sent' | 'already_sent' | 'already_failed';
  messageId: string;
}

export type DeliverySettings = Pick<NotificationsConfig, 'LINK_SEALING_KEY' | 'MESSAGE_ID_DOMAIN'>;

const DOT_ATOM = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/;

/**
 * The Message-ID of a delivery: `<idempotencyKey@domain>`, so that the one unavoidable duplicate (a
 * crash after the SMTP server accepted the message and before the delivery was recorded) carries
 * the same id. A key that is not a valid id-left (the outbox's keys are UUIDs, which are) is
 * replaced by its SHA-256.
 */
export function messageIdFor(idempotencyKey: string, domain: string): string {
  const left = DOT_ATOM.test(idempotencyKey)
    ? idempotencyKey
    : createHash('sha256').update(idempotencyKey, 'utf8').digest('hex');
  return `<${left}@${domain}>`;
}

/**
 * The idempotent consumer of `email.send` (DESIGN.md "Consumers are idempotent"): checks the
 * delivery recorded under the idempotency key first and completes without sending when it was
 * already sent (or failed for good); otherwise opens the sealed link, renders, sends and records.
 */
@Injectable()
export class EmailDeliveryService {
  private readonly logger = new Logger(EmailDeliveryService.name);

  constructor(
    private readonly renderer: EmailRenderer,
    private readonly store: DeliveryStore,
    private readonly transport: MailTransport,
    @Inject(APP_CONFIG) private readonly settings: DeliverySettings,
  ) {}

  /**
   * Deliver `job` at most once per `job.idempotencyKey`.
   * @throws UnrecoverableError (no retry) when the link cannot be opened, the template refuses the
   *   data, or the SMTP server answers 5xx; the delivery is recorded `failed` (`permanent`).
   * @throws the SMTP error itself on a temporary failure (4xx, connection, timeout), after recording
   *   the attempt, so that BullMQ retries with the producer's backoff.
   */
  async deliver(job: SendEmailJob): Promise<DeliveryOutcome> {
    // Under the key's claim, so a duplicated job waits and then finds this one's record. A failure
    // comes back as a value, so that the failure recorded under the claim commits before it throws.
    const result = await this.store.exclusive(job.idempotencyKey, (store) =>
      this.deliverClaimed(job, store).then(
        (outcome) => ({ outcome }),
        (error: unknown) => ({ error }),
      ),
    );
    if ('error' in result) throw result.error;
    return result.outcome;
  }

  private async deliverClaimed(job: SendEmailJob, store: DeliveryStore): Promise<DeliveryOutcome> {
    const key = job.idempotencyKey;
    const existing = await store.find(key);
    if (existing?.status === 'sent') {
      this.logger.log(`delivery ${key} already sent as ${existing.messageId}; not sending again`);
      return { outcome: 'already_sent', messageId: existing.messageId };
    }
    if (existing?.status === 'failed' && existing.permanent) {
      this.logger.warn(`delivery ${key} failed permanently before; not sending again`);
      return { outcome: 'already_failed', messageId: existing.messageId };
    }

    const record: DeliveryRecord = {
      idempotencyKey: key,
      template: job.template,
      recipient: job.to,
      locale: job.locale,
      subject: null,
      messageId: messageIdFor(key, this.settings.MESSAGE_ID_DOMAIN),
      status: 'failed',
      permanent: false,
      smtpResponse: null,
      attempts: (existing?.attempts ?? 0) + 1,
      sentAt: null,
    };

    let link: string | undefined;
    if (job.sealedLink) {
      try {
        link = openLink(job.sealedLink, this.settings.LINK_SEALING_KEY);
      } catch {
        throw await this.failPermanently(
          store,
          record,
          'The sealed link cannot be opened with this key.',
        );
      }
    }

    let email: RenderedEmail;
    try {
      email = this.renderer.render(job.template, job.locale, job.data, link);
    } catch (error) {
      throw await this.failPermanently(store, record, `Render failed: ${(error as Error).message}`);
    }
    record.subject = email.subject;
    record.locale = email.locale;

    try {
      const receipt = await this.transport.send({
        to: job.to,
        subject: email.subject,
        text: email.text,
        html: email.html,
        messageId: record.messageId,
        locale: email.locale,
      });
      record.status = 'sent';
      record.smtpResponse = receipt.response;
      record.sentAt = new Date();
    } catch (error) {
      const failure = describeSmtpFailure(error);
      if (isPermanentSmtpFailure(error)) {
        throw await this.failPermanently(store, record, failure);
      }
      record.smtpResponse = failure;
      await this.tryRecord(store, record);
      this.logger.warn(`delivery ${key} attempt ${record.attempts} failed, will retry: ${failure}`);
      throw error;
    }
    await store.save(record);
    this.logger.log(
      `delivery ${key} (${job.template}, ${email.locale}) sent as ${record.messageId}`,
    );
    return { outcome: 'sent', messageId: record.messageId };
  }

  /** Record a failure that no retry can fix and build the error that stops the job's retries. */
  private async failPermanently(
    store: DeliveryStore,
    record: DeliveryRecord,
    reason: string,
  ): Promise<Error> {
    await this.tryRecord(store, {
      ...record,
      status: 'failed',
      permanent: true,
      smtpResponse: reason,
    });
    this.logger.error(`delivery ${record.idempotencyKey} failed permanently: ${reason}`);
    return new UnrecoverableError(reason);
  }

  /**
   * Record a failure; a database error here is logged, not thrown over the delivery's own error
   * (under a claim it then fails the transaction's commit, and BullMQ retries the job).
   */
  private async tryRecord(store: DeliveryStore, record: DeliveryRecord): Promise<void> {
    try {
      await store.save(record);
    } catch (error) {
      this.logger.error(
        `could not record delivery ${record.idempotencyKey}: ${(error as Error).message}`,
      );
    }
  }
}
