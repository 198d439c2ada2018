import { Injectable } from '@nestjs/common';
import { ThrottleStore } from '@app/platform';
import { decodeJwt } from 'jose';
import { createHash, randomBytes } from 'node:crypto';

/** How long a ticket can be exchanged, in seconds (the portal opens it at once). */
export const QUEUE_DASHBOARD_TICKET_TTL_SECONDS = 60;

/** The longest a dashboard session lasts, in seconds (never past its access token's expiry). */
export const QUEUE_DASHBOARD_SESSION_MAX_SECONDS = 3600;

/** The cookie of a dashboard session (HttpOnly, Secure, SameSite=Strict, Path=/admin/queues). */
export const QUEUE_DASHBOARD_COOKIE = 'queue_dashboard_session';

/** A new ticket: the secret to put in the exchange link and when it stops working. */
export interface MintedTicket {
  ticket: string;
  expiresAt: Date;
}

/** A session opened by exchanging a ticket: the cookie's value and its lifetime in seconds. */
export interface OpenedSession {
  sessionId: string;
  maxAgeSeconds: number;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('base64url');

/**
 * The queue dashboard's browser sessions (issue 12: bull-board accepted only a bearer header,
 * which a browser never sends). The operator's portal mints a single-use ticket with its bearer
 * (`POST /v1/queue-dashboard/tickets`); opening the ticket's link exchanges it for a session
 * cookie. Tickets and sessions live in Redis on the service's shared connection (`ThrottleStore`,
 * keys under the run's `<BULLMQ_PREFIX>:throttle:` prefix), keyed by the SHA-256 of their secret, and each holds the operator's access token, so every dashboard request is
 * checked as that token would be (expiry, revocation, permission): a session ends with its token.
 */
@Injectable()
export class QueueDashboardSessions {
  constructor(private readonly store: ThrottleStore) {}

  /** A single-use ticket for `accessToken` (already checked by the caller's guard), 60 s. */
  async mint(accessToken: string): Promise<MintedTicket> {
    const ticket = randomBytes(32).toString('base64url');
    await this.store.guarded(() =>
      this.store.redis.set(
        this.key('ticket', ticket),
        accessToken,
        'EX',
        QUEUE_DASHBOARD_TICKET_TTL_SECONDS,
      ),
    );
    return { ticket, expiresAt: new Date(Date.now() + QUEUE_DASHBOARD_TICKET_TTL_SECONDS * 1000) };
  }

  /**
   * Exchanges `ticket` (once: it is deleted as it is read) for a new session holding its access
   * token, until that token expires (at most an hour). Null for an unknown, used or expired
   * ticket, or a token already expired.
   */
  async exchange(ticket: string): Promise<OpenedSession | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(ticket)) return null;
    const accessToken = await this.store.guarded(() =>
      this.store.redis.getdel(this.key('ticket', ticket)),
    );
    if (!accessToken) return null;
    const maxAgeSeconds = Math.min(QUEUE_DASHBOARD_SESSION_MAX_SECONDS, secondsLeft(accessToken));
    if (maxAgeSeconds <= 0) return null;
    const sessionId = randomBytes(32).toString('base64url');
    await this.store.guarded(() =>
      this.store.redis.set(this.key('session', sessionId), accessToken, 'EX', maxAgeSeconds),
    );
    return { sessionId, maxAgeSeconds };
  }

  /** The access token of a session, or null when there is no such session (any more). */
  async accessTokenOf(sessionId: string): Promise<string | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(sessionId)) return null;
    return this.store.guarded(() => this.store.redis.get(this.key('session', sessionId)));
  }

  private key(kind: 'ticket' | 'session', secret: string): string {
    return `queue-dashboard:${kind}:${sha256(secret)}`;
  }
}

/** Seconds until `accessToken` expires (0 when it carries no expiry or cannot be read). */
function secondsLeft(accessToken: string): number {
  try {
    const { exp } = decodeJwt(accessToken);
    return typeof exp === 'number' ? Math.floor(exp - Date.now() / 1000) : 0;
  } catch {
    return 0;
  }
}
