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
 * are read and written by two prepared statements, two round trips per email.
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
   * Count one invitation email from `partnerTenantId` to `recipient` in `tx`, or refuse it: takes
   * the caps' locks (`lockSql`) in one statement, then counts and writes in the next
   * (`takeLocked`).
   * @throws 429 `invitation.email_limit` with `data: { retryAfterSeconds }` (the API answers
   *   `Retry-After`); the caller's transaction then writes nothing.
   */
  async take(tx: EntityManager, send: EmailSendInput, now: Date): Promise<void> {
    const params = new SqlParams();
    await executePrepared(tx, `select ${this.lockSql(send, params)}`, params.values);
    await this.takeLocked(tx, send, now);
  }

  /**
   * The select list that takes the transaction-scoped advisory locks of `send` (the partner's,
   * then the recipient's, always in that order), their keys added to `params`: a caller may take
   * them in a statement that also writes (one round trip less), and must then call `takeLocked`
   * in a later statement of the same transaction, whose snapshot sees every send committed by the
   * previous holders of the locks.
   */
  lockSql(send: EmailSendInput, params: SqlParams): string {
    const partner = params.add(`invitation-email:partner:${send.partnerTenantId}`);
    const recipient = params.add(`invitation-email:recipient:${normalized(send.recipient)}`);
    return `pg_advisory_xact_lock(hashtextextended(${partner}, 0)), pg_advisory_xact_lock(hashtextextended(${recipient}, 0))`;
  }

  /**
   * With the locks of `lockSql` held by an earlier statement of `tx`: one statement reads the
   * send time of the `limit`-th newest send inside each cap's window (one index scan of at most
   * `limit` entries each) and, when both caps leave room, deletes the sends of this partner and
   * recipient older than the longest window and writes this one; otherwise it writes nothing.
   * @throws 429 `invitation.email_limit` (see `take`).
   */
  async takeLocked(tx: EntityManager, send: EmailSendInput, now: Date): Promise<void> {
    const recipient = normalized(send.recipient);
    const { partner, recipient: perRecipient } = this.caps();
    // Timestamps come back as the driver's type parser makes them (the ORM's: text).
    const [row] = await executePrepared<{ partner: string | null; recipient: string | null }>(
      tx,
      TAKE_SQL,
      [
        send.partnerTenantId,
        new Date(now.getTime() - partner.windowMs),
        partner.limit - 1,
        recipient,
        new Date(now.getTime() - perRecipient.windowMs),
        perRecipient.limit - 1,
        new Date(now.getTime() - DAY_MS),
        randomUUID(),
        send.invitationId,
        now,
      ],
    );
    const waits = [
      secondsUntilAllowed(partner, row?.partner ? new Date(row.partner) : null, now),
      secondsUntilAllowed(perRecipient, row?.recipient ? new Date(row.recipient) : null, now),
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
  }
}

/** What one counted email is: from a partner, to a recipient, for an invitation. */
export interface EmailSendInput {
  partnerTenantId: string;
  recipient: string;
  invitationId: string;
}

function normalized(recipient: string): string {
  return recipient.trim().toLowerCase();
}

/**
 * `takeLocked`'s statement: $1 partner, $2 start of the partner's window, $3 its limit − 1, $4
 * recipient, $5 start of the recipient's window, $6 its limit − 1, $7 the oldest send kept, $8
 * the new send's id, $9 its invitation, $10 its time. Answers the `limit`-th newest send time of
 * each cap (null: room left); writes only when both are null.
 */
const TAKE_SQL = `with "partner" as (
    select "sent_at" from "invitation_email_send"
      where "partner_tenant_id" = $1::uuid and "sent_at" > $2::timestamptz
      order by "sent_at" desc, "id" desc offset $3::int limit 1),
  "recipient" as (
    select "sent_at" from "invitation_email_send"
      where "recipient" = $4::text and "sent_at" > $5::timestamptz
      order by "sent_at" desc, "id" desc offset $6::int limit 1),
  "allowed" as (
    select not exists (select 1 from "partner") and not exists (select 1 from "recipient") as "ok"),
  "purged" as (
    delete from "invitation_email_send"
      where ("partner_tenant_id" = $1::uuid or "recipient" = $4::text) and "sent_at" <= $7::timestamptz
        and (select "ok" from "allowed")),
  "sent" as (
    insert into "invitation_email_send" ("id", "partner_tenant_id", "recipient", "invitation_id", "sent_at")
      select $8::uuid, $1::uuid, $4::text, $9::uuid, $10::timestamptz where (select "ok" from "allowed"))
  select (select "sent_at" from "partner") as "partner", (select "sent_at" from "recipient") as "recipient"`;
