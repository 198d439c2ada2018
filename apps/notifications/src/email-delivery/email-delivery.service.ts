import { Inject, Injectable, Logger } from '@nestjs/common';
import { openLink } from '@app/platform';
import { CancelEmailJob, RenderedEmail, SendEmailJob } from '@app/contracts';
import { UnrecoverableError } from 'bullmq';
import { createHash, randomUUID } from 'node:crypto';
import { APP_CONFIG, NotificationsConfig } from '../config/notifications.config';
import { EmailRenderer } from '@app/email-rendering';
import {
  AttemptOutcome,
  DeliveryJobSummary,
  DeliveryRecord,
  KeptJobData,
  DeliveryStore,
  SkipReason,
  SkipResult,
} from '../delivery-store/delivery.store';
import { MailTransport, describeSmtpFailure, isPermanentSmtpFailure } from '../smtp/mail-transport';

/**
 * What a processed `email.send` or `email.cancel` job returns (its BullMQ return value):
 * - `sent`: this job delivered the email;
 * - `already_sent`: an earlier job did (a duplicate, a retry after the record, or a cancel that
 *   came too late);
 * - `already_failed`: the delivery failed for good before (an operator may replay it);
 * - `skipped`: not sent and never will be, with the `reason` (`revoked`, `superseded`, `expired`).
 */
export type DeliveryOutcome =
  | { outcome: 'sent' | 'already_sent' | 'already_failed'; messageId: string }
  | { outcome: 'skipped'; reason: SkipReason; messageId: string };

/** The attempt of a job being processed, as BullMQ describes it. */
export interface AttemptContext {
  /** No retry follows when this attempt fails (its failure settles the delivery). */
  lastAttempt: boolean;
}

/**
 * The key is claimed by another attempt that is still alive (a duplicate job running now, or a
 * crashed worker's claim whose lease has not ended): try again after `retryInMs`, without
 * counting an attempt.
 */
export class DeliveryContendedError extends Error {
  constructor(
    readonly idempotencyKey: string,
    readonly retryInMs: number,
  ) {
    super(`delivery ${idempotencyKey} is claimed by another attempt; trying again shortly`);
    this.name = 'DeliveryContendedError';
  }
}

export type DeliverySettings = Pick<NotificationsConfig, 'LINK_SEALING_KEY' | 'MESSAGE_ID_DOMAIN'>;

/**
 * How long a claim holds a key without news from its claimant. A live claimant extends it every
 * {@link LEASE_HEARTBEAT_MS} while its send is in flight; a dead one's claim ends after this, and the
 * retry of its job takes over (the one allowed duplicate, with the same Message-ID).
 */
export const LEASE_MS = 15_000;
export const LEASE_HEARTBEAT_MS = 5_000;
/** How soon an attempt that found the key claimed looks again. */
const CONTENDED_RETRY_MS = 500;

/** Recording an outcome is retried this long (a PostgreSQL restart) before the attempt gives up. */
const RECORD_RETRY_DELAYS_MS = [50, 100, 250, 500, 1000, 2000, 2000, 2000, 2000, 2000];

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

function summaryOf(job: SendEmailJob): DeliveryJobSummary {
  return {
    template: job.template,
    recipient: job.to,
    locale: job.locale,
    expiresAt: job.expiresAt ? new Date(job.expiresAt) : null,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The idempotent consumer of `email.send` and `email.cancel` (DESIGN.md "Consumers are
 * idempotent", STYLE.md "work that is no longer wanted completes as skipped"). A send claims its
 * key with one short statement, opens the sealed link, renders, sends with no database connection
 * held, and records the outcome (group-committed with other attempts'). A cancel records the key
 * skipped unless it was sent; a send that finds it skipped, or comes after its `expiresAt`,
 * completes as skipped.
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
   * Deliver `job` at most once per `job.idempotencyKey` (the one exception: a crash between the SMTP
   * server's acceptance and the record, resent with the same Message-ID).
   * @throws DeliveryContendedError while another live attempt holds the key.
   * @throws UnrecoverableError (no retry) when the link cannot be opened, the template refuses the
   *   data, or the SMTP server answers 5xx; the delivery is recorded `failed`, settled.
   * @throws the SMTP error itself on a temporary failure (4xx, connection, timeout), after recording
   *   the attempt (settled when it was the last), so that BullMQ retries with `JOB_RETRY`'s backoff.
   */
  async deliver(job: SendEmailJob, attempt: AttemptContext): Promise<DeliveryOutcome> {
    const key = job.idempotencyKey;
    const messageId = this.messageId(key);
    const summary = summaryOf(job);

    if (job.expiresAt && Date.parse(job.expiresAt) <= Date.now()) {
      const skip = await this.store.skip({
        idempotencyKey: key,
        messageId,
        reason: 'expired',
        job: summary,
      });
      return this.afterSkip(key, messageId, 'expired', skip, summary);
    }

    const claimant = randomUUID();
    const claim = await this.store.claim({
      idempotencyKey: key,
      messageId,
      claimant,
      leaseMs: LEASE_MS,
      job: summary,
    });
    if (!claim.claimed) return this.notClaimed(key, claim.current, summary);

    // A failure keeps what an operator's replay needs (the link stays sealed).
    const kept: KeptJobData = { data: job.data, sealedLink: job.sealedLink ?? null };
    const base = { idempotencyKey: key, claimant, subject: null, locale: null, sentAt: null, kept };
    let link: string | undefined;
    if (job.sealedLink) {
      try {
        link = openLink(job.sealedLink, this.settings.LINK_SEALING_KEY);
      } catch {
        throw await this.failPermanently(base, 'The sealed link cannot be opened with this key.');
      }
    }

    let email: RenderedEmail;
    try {
      email = this.renderer.render(job.template, job.locale, job.data, link);
    } catch (error) {
      throw await this.failPermanently(base, `Render failed: ${(error as Error).message}`);
    }
    const rendered = { ...base, subject: email.subject, locale: email.locale };

    let response: string;
    const heartbeat = setInterval(() => {
      this.store.extendLease(key, claimant, LEASE_MS).catch((error: unknown) => {
        this.logger.warn(`could not extend the claim on ${key}: ${(error as Error).message}`);
      });
    }, LEASE_HEARTBEAT_MS);
    try {
      const receipt = await this.transport.send({
        to: job.to,
        subject: email.subject,
        text: email.text,
        html: email.html,
        messageId,
        locale: email.locale,
      });
      response = receipt.response;
    } catch (error) {
      const failure = describeSmtpFailure(error);
      if (isPermanentSmtpFailure(error)) throw await this.failPermanently(rendered, failure);
      await this.recordOutcome({
        ...rendered,
        status: 'failed',
        settled: attempt.lastAttempt,
        permanent: false,
        smtpResponse: failure,
      });
      this.logger.warn(
        `delivery ${key} attempt ${claim.attempts} failed${attempt.lastAttempt ? ' (no retry left)' : ', will retry'}: ${failure}`,
      );
      throw error;
    } finally {
      clearInterval(heartbeat);
    }
    await this.recordOutcome({
      ...rendered,
      kept: undefined,
      status: 'sent',
      settled: true,
      permanent: false,
      smtpResponse: response,
      sentAt: new Date(),
    });
    this.logger.log(`delivery ${key} (${job.template}, ${email.locale}) sent as ${messageId}`);
    return { outcome: 'sent', messageId };
  }

  /**
   * `email.cancel`: record the delivery of `job.idempotencyKey` skipped with `job.reason` unless it
   * was sent (creating the record when the send has not been seen yet).
   * @throws DeliveryContendedError while an attempt to send it is in flight.
   */
  async cancel(job: CancelEmailJob): Promise<DeliveryOutcome> {
    const key = job.idempotencyKey;
    const messageId = this.messageId(key);
    const skip = await this.store.skip({ idempotencyKey: key, messageId, reason: job.reason });
    return this.afterSkip(key, messageId, job.reason, skip, undefined);
  }

  private messageId(key: string): string {
    return messageIdFor(key, this.settings.MESSAGE_ID_DOMAIN);
  }

  private async afterSkip(
    key: string,
    messageId: string,
    reason: SkipReason,
    skip: SkipResult,
    summary: DeliveryJobSummary | undefined,
  ): Promise<DeliveryOutcome> {
    if (skip.skipped) {
      this.logger.log(`delivery ${key} skipped (${reason})`);
      return { outcome: 'skipped', reason, messageId };
    }
    return this.notClaimed(key, skip.current, summary);
  }

  /** What a job that could not claim (or skip) the key answers: the recorded outcome, or wait. */
  private async notClaimed(
    key: string,
    current: DeliveryRecord | null,
    summary: DeliveryJobSummary | undefined,
  ): Promise<DeliveryOutcome> {
    if (current?.status === 'sent') {
      this.logger.log(`delivery ${key} already sent as ${current.messageId}; not sending again`);
      return { outcome: 'already_sent', messageId: current.messageId };
    }
    if (current?.status === 'skipped') {
      if (summary && current.template === null) await this.store.describeSkipped(key, summary);
      const reason = current.skipReason ?? 'revoked';
      this.logger.log(`delivery ${key} was skipped (${reason}); not sending`);
      return { outcome: 'skipped', reason, messageId: current.messageId };
    }
    if (current?.status === 'failed' && current.settled) {
      this.logger.warn(`delivery ${key} failed for good before; not sending again`);
      return { outcome: 'already_failed', messageId: current.messageId };
    }
    // Pending or failed under a live claim, or claimed by a statement this one could not see.
    throw new DeliveryContendedError(key, CONTENDED_RETRY_MS);
  }

  /** Record a failure that no retry can fix and build the error that stops the job's retries. */
  private async failPermanently(
    outcome: Pick<AttemptOutcome, 'idempotencyKey' | 'claimant' | 'subject' | 'locale' | 'sentAt'>,
    reason: string,
  ): Promise<Error> {
    await this.recordOutcome({
      ...outcome,
      status: 'failed',
      settled: true,
      permanent: true,
      smtpResponse: reason,
    });
    this.logger.error(`delivery ${outcome.idempotencyKey} failed permanently: ${reason}`);
    return new UnrecoverableError(reason);
  }

  /**
   * Record an attempt's outcome, retrying a database failure for a while (a restarted PostgreSQL
   * must not turn a delivered email into a resend).
   * @throws the last database error when it keeps failing; BullMQ then retries the job, which
   *   resends once the claim's lease has ended (same Message-ID).
   */
  private async recordOutcome(outcome: AttemptOutcome): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        if (!(await this.store.record(outcome))) {
          this.logger.warn(
            `delivery ${outcome.idempotencyKey}: the claim was taken over before the ${outcome.status} outcome was recorded`,
          );
        }
        return;
      } catch (error) {
        const delay = RECORD_RETRY_DELAYS_MS[attempt];
        if (delay === undefined) throw error;
        this.logger.warn(
          `could not record delivery ${outcome.idempotencyKey} (${outcome.status}), retrying: ${(error as Error).message}`,
        );
        await sleep(delay);
      }
    }
  }
}
