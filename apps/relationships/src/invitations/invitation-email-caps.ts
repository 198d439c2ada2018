import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { DomainError, SqlParams, executePrepared } from '@app/platform';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, RelationshipsConfig } from '../config/relationships.config';

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;

/** One cap: at most `limit` emails in any `windowMs` for a partner or a recipient. */
export interface EmailCap {
  scope: 'partner' | 'recipient';
  limit: number;
  windowMs: number;
}

/**
 * Seconds until one more email fits under `cap` at `now`, given the `limit`-th newest send inside
 * its window (null: fewer sends than the limit, it fits now → 0). That send is the first of those
 * filling the cap to leave the window, at least 1 second from now.
 */
export function secondsUntilAllowed(cap: EmailCap, limitThNewest: Date | null, now: Date): number {
  if (!limitThNewest || limitThNewest.getTime() <= now.getTime() - cap.windowMs) return 0;
  const leaves = limitThNewest.getTime() + cap.windowMs;
  return Math.max(1, Math.ceil((leaves - now.getTime()) / 1000));
}

/**
 * The caps on invitation emails (issue "public routes that resist abuse"): per inviting partner in
 * any 60 minutes (`INVITATION_EMAILS_PER_PARTNER_PER_HOUR`) and per recipient address, from every
 * partner, in any 24 hours (`INVITATION_EMAILS_PER_RECIPIENT_PER_DAY`), so that neither a partner's
 * account nor a flood of partners can turn the service into a mailer. Counted in PostgreSQL, in the
 * transaction that queues the email: transaction-scoped advisory locks (the partner's, then the
 * recipient's, always in that order) make concurrent requests count one after the other, and a
 * refusal rolls the whole request back. Rows of `invitation_email_send` (`InvitationEmailSend`)
 * are read and written by one PL/pgSQL function (`invitation_email_take`), called in the statement
 * that writes the invitation: no round trip of its own.
 */
@Injectable()
export class InvitationEmailCaps {
  constructor(@Inject(APP_CONFIG) private readonly config: RelationshipsConfig) {}

  /** The caps in force. */
  caps(): { partner: EmailCap; recipient: EmailCap } {
    return {
      partner: {
        scope: 'partner',
        limit: this.config.INVITATION_EMAILS_PER_PARTNER_PER_HOUR,
        windowMs: HOUR_MS,
      },
      recipient: {
        scope: 'recipient',
        limit: this.config.INVITATION_EMAILS_PER_RECIPIENT_PER_DAY,
        windowMs: DAY_MS,
      },
    };
  }

  /**
   * Count one invitation email from `partnerTenantId` to `recipient` in `tx`, or refuse it: one
   * statement calling `takeSql`'s function.
   * @throws 429 `invitation.email_limit` with `data: { retryAfterSeconds }` (the API answers
   *   `Retry-After`); the caller's transaction then writes nothing.
   */
  async take(tx: EntityManager, send: EmailSendInput, now: Date): Promise<void> {
    const params = new SqlParams();
    await this.guard(now, () =>
      executePrepared(tx, `select ${this.takeSql(send, now, params)}`, params.values),
    );
  }

  /**
   * An expression counting one email under the caps (`invitation_email_take`, values added to
   * `params`), for a caller that counts it in the statement that writes its invitation: it takes
   * the caps' transaction-scoped advisory locks (the partner's, then the recipient's, always in
   * that order, so that concurrent requests count one after the other), reads with a snapshot
   * taken after them the send time of the `limit`-th newest send inside each cap's window (the
   * partner's: one unique-index lookup by the sends' rank, `partner_seq`, whatever the limit; the
   * recipient's: at most `limit` index entries) and, when both caps leave room, deletes the
   * recipient's sends older than the longest window and the partner's two oldest when they are,
   * and writes this one; otherwise it raises, and the whole statement writes nothing (migration
   * 20261209100000). Run that statement through `guard`.
   */
  takeSql(send: EmailSendInput, now: Date, params: SqlParams): string {
    const recipient = normalized(send.recipient);
    const { partner, recipient: perRecipient } = this.caps();
    const [partnerLock, recipientLock] = this.locksOf(send);
    const args = [
      `${params.add(partnerLock)}::text`,
      `${params.add(recipientLock)}::text`,
      `${params.add(send.partnerTenantId)}::uuid`,
      `${params.add(new Date(now.getTime() - partner.windowMs))}::timestamptz`,
      `${params.add(partner.limit - 1)}::int`,
      `${params.add(recipient)}::text`,
      `${params.add(new Date(now.getTime() - perRecipient.windowMs))}::timestamptz`,
      `${params.add(perRecipient.limit - 1)}::int`,
      `${params.add(new Date(now.getTime() - DAY_MS))}::timestamptz`,
      `${params.add(randomUUID())}::uuid`,
      `${params.add(send.invitationId)}::uuid`,
      `${params.add(now)}::timestamptz`,
    ];
    return `"invitation_email_take"(${args.join(', ')})`;
  }

  /**
   * The texts of the advisory locks `takeSql`'s expression takes, in its order: the partner's, then
   * the recipient's (the function hashes each with `hashtextextended(text, 0)`).
   */
  locksOf(send: EmailSendInput): [string, string] {
    return [
      `invitation-email:partner:${send.partnerTenantId}`,
      `invitation-email:recipient:${normalized(send.recipient)}`,
    ];
  }

  /**
   * Run `statement` (which calls `takeSql`'s expression) and turn the function's refusal into the
   * API's error.
   * @throws 429 `invitation.email_limit` (see `take`).
   */
  async guard<R>(now: Date, statement: () => Promise<R>): Promise<R> {
    try {
      return await statement();
    } catch (error) {
      const { code, detail } = error as { code?: string; detail?: string };
      if (code !== CAP_REACHED || !detail) throw error;
      const full = JSON.parse(detail) as { partner: string | null; recipient: string | null };
      throw this.refusal(full, now);
    }
  }

  /** The 429 for the `limit`-th newest send times the function found inside each window. */
  private refusal(full: { partner: string | null; recipient: string | null }, now: Date): Error {
    const { partner, recipient: perRecipient } = this.caps();
    const waits = [
      secondsUntilAllowed(partner, full.partner ? new Date(full.partner) : null, now),
      secondsUntilAllowed(perRecipient, full.recipient ? new Date(full.recipient) : null, now),
    ];
    const retryAfterSeconds = Math.max(1, ...waits);
    return new DomainError(
      'invitation.email_limit',
      429,
      waits[0] > 0
        ? `Your organization has sent the most invitation emails allowed in an hour (${partner.limit}). Retry in ${retryAfterSeconds} seconds, or send this invitation as a draft only.`
        : `This address has received the most invitation emails allowed in a day (${perRecipient.limit}). Retry in ${retryAfterSeconds} seconds, or send this invitation as a draft only.`,
      { retryAfterSeconds },
    );
  }
}

/** The SQLSTATE `invitation_email_take` raises when a cap is reached (migration 20261208700001). */
const CAP_REACHED = 'PC429';

/** What one counted email is: from a partner, to a recipient, for an invitation. */
export interface EmailSendInput {
  partnerTenantId: string;
  recipient: string;
  invitationId: string;
}

function normalized(recipient: string): string {
  return recipient.trim().toLowerCase();
}
