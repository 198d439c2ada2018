import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@app/platform';
import { APP_CONFIG, RelationshipsConfig } from '../config/relationships.config';
import { InvitationEmailSend } from './invitation-email-send.entity';

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
 * refusal rolls the whole request back.
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
   * Count one invitation email from `partnerTenantId` to `recipient` in `tx`, or refuse it.
   * @throws 429 `invitation.email_limit` with `data: { retryAfterSeconds }` (the API answers
   *   `Retry-After`); the caller's transaction then writes nothing.
   */
  async take(
    tx: EntityManager,
    send: { partnerTenantId: string; recipient: string; invitationId: string },
    now: Date,
  ): Promise<void> {
    const recipient = send.recipient.trim().toLowerCase();
    const { partner, recipient: perRecipient } = this.caps();
    await tx.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [
      `invitation-email:partner:${send.partnerTenantId}`,
    ]);
    await tx.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [
      `invitation-email:recipient:${recipient}`,
    ]);
    const waits = [
      secondsUntilAllowed(
        partner,
        await this.limitThNewest(tx, { partnerTenantId: send.partnerTenantId }, partner, now),
        now,
      ),
      secondsUntilAllowed(
        perRecipient,
        await this.limitThNewest(tx, { recipient }, perRecipient, now),
        now,
      ),
    ];
    const retryAfterSeconds = Math.max(...waits);
    if (retryAfterSeconds > 0) {
      throw new DomainError(
        'invitation.email_limit',
        429,
        waits[0] > 0
          ? `Your organization has sent the most invitation emails allowed in an hour (${partner.limit}). Retry in ${retryAfterSeconds} seconds, or send this invitation as a draft only.`
          : `This address has received the most invitation emails allowed in a day (${perRecipient.limit}). Retry in ${retryAfterSeconds} seconds, or send this invitation as a draft only.`,
        { retryAfterSeconds },
      );
    }
    await tx.nativeDelete(InvitationEmailSend, {
      $or: [{ partnerTenantId: send.partnerTenantId }, { recipient }],
      sentAt: { $lte: new Date(now.getTime() - DAY_MS) },
    });
    tx.persist(
      Object.assign(new InvitationEmailSend(), {
        partnerTenantId: send.partnerTenantId,
        recipient,
        invitationId: send.invitationId,
        sentAt: now,
      }),
    );
  }

  /**
   * The send time of the `cap.limit`-th newest send matching `where` inside the cap's window, or
   * null when there are fewer (one index scan of at most `limit` entries).
   */
  private async limitThNewest(
    tx: EntityManager,
    where: { partnerTenantId: string } | { recipient: string },
    cap: EmailCap,
    now: Date,
  ): Promise<Date | null> {
    const rows = await tx.find(
      InvitationEmailSend,
      { ...where, sentAt: { $gt: new Date(now.getTime() - cap.windowMs) } },
      { orderBy: { sentAt: 'desc', id: 'desc' }, offset: cap.limit - 1, limit: 1 },
    );
    return rows[0]?.sentAt ?? null;
  }
}
