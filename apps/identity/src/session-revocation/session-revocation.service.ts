import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { REVOCATION_CLOCK_SKEW_SECONDS, TokenRevocations, tokenRefusal } from '@app/auth';
import { APP_CONFIG, IdentityConfig } from '../config/identity.config';

/** How often writes that Redis refused are tried again. */
export const REVOCATION_RETRY_INTERVAL_MS = 1_000;

type PendingRevocation =
  { kind: 'users'; userIds: string[]; at: Date } | { kind: 'session'; sessionId: string; at: Date };

/**
 * Ends access tokens on every service within 5 seconds (issue 9 point 11): access tokens are
 * verified locally by each service, so when a session ends identity writes the revocation list
 * (`TokenRevocations` of `@app/auth`, in the Redis every service reads on every request).
 *
 * Call it AFTER the database transaction that ends the sessions commits, from every place they end:
 * - `revokeUsers(userIds)`: every token of the users issued until now is refused (sign-out
 *   everywhere, password change and reset, disabling, removal, a role change that removes a role,
 *   users disabled because the grant they were created through ended);
 * - `revokeSession(sid)`: every token of one session (sign-out, a refresh token presented twice).
 * The time of a user revocation is taken when the call is made, after the commit: a token issued
 * before it, even by a sign-in or refresh that read the user just before the commit, is refused
 * (identity re-reads the user after signing, see `AuthService.issue`).
 *
 * Entries live `ACCESS_TOKEN_TTL_SECONDS` + `REVOCATION_CLOCK_SKEW_SECONDS`. When Redis refuses a
 * write, the change that ended the sessions stands (it is committed) and the write is retried
 * every second in the background until it succeeds or its entry would have expired; meanwhile no
 * service can read the list either, so every token is refused (503) until Redis is back. The
 * retries live in this process only (a crash during a Redis outage loses them): logged as errors.
 */
@Injectable()
export class SessionRevocationService implements OnApplicationShutdown {
  private readonly logger = new Logger(SessionRevocationService.name);
  private readonly pending: PendingRevocation[] = [];
  private retryTimer: NodeJS.Timeout | undefined;
  private retrying = false;

  constructor(
    private readonly revocations: TokenRevocations,
    @Inject(APP_CONFIG) private readonly config: IdentityConfig,
  ) {}

  onApplicationShutdown(): void {
    clearInterval(this.retryTimer);
    if (this.pending.length > 0) {
      this.logger.error(`shutting down with ${this.pending.length} revocations not written`);
    }
  }

  /** Lifetime of an entry: the access token lifetime plus clock skew. */
  private get ttlSeconds(): number {
    return this.config.ACCESS_TOKEN_TTL_SECONDS + REVOCATION_CLOCK_SKEW_SECONDS;
  }

  /**
   * Refuse every access token of `userIds` issued until now, on every service; answers the time of
   * the revocation (a token the caller issues next must be issued after it).
   */
  async revokeUsers(userIds: readonly string[]): Promise<Date> {
    const at = new Date();
    const ids = [...new Set(userIds)];
    if (ids.length > 0) await this.write({ kind: 'users', userIds: ids, at });
    return at;
  }

  /**
   * The revocation list's epoch (ms, set now if Redis lost it): an access token must be issued
   * after it (`AuthService.issue`).
   * @throws 503 `dependency.unavailable` when Redis cannot be read (no token is issued then).
   */
  async listEpoch(): Promise<number> {
    try {
      return await this.revocations.listEpoch();
    } catch (error) {
      throw tokenRefusal(error);
    }
  }

  /** Refuse every access token of the session `sessionId` (a refresh token family). */
  async revokeSession(sessionId: string): Promise<void> {
    await this.write({ kind: 'session', sessionId, at: new Date() });
  }

  private async write(revocation: PendingRevocation): Promise<void> {
    try {
      await this.apply(revocation);
    } catch (error) {
      this.logger.error(
        `revocation not written, retrying in the background: ${(error as Error).message}`,
      );
      this.pending.push(revocation);
      this.retryTimer ??= setInterval(() => void this.retry(), REVOCATION_RETRY_INTERVAL_MS);
      this.retryTimer.unref();
    }
  }

  private async apply(revocation: PendingRevocation): Promise<void> {
    if (revocation.kind === 'users') {
      await this.revocations.revokeUsers(revocation.userIds, revocation.at, this.ttlSeconds);
    } else {
      await this.revocations.revokeSession(revocation.sessionId, this.ttlSeconds);
    }
  }

  /** Try the pending writes again; drop those whose entry would have expired already. */
  private async retry(): Promise<void> {
    if (this.retrying) return;
    this.retrying = true;
    try {
      const now = Date.now();
      for (const revocation of this.pending.splice(0)) {
        if (now > revocation.at.getTime() + this.ttlSeconds * 1000) continue;
        try {
          await this.apply(revocation);
          this.logger.log(`revocation of ${revocation.kind} written after a retry`);
        } catch {
          this.pending.push(revocation);
        }
      }
      if (this.pending.length === 0) {
        clearInterval(this.retryTimer);
        this.retryTimer = undefined;
      }
    } finally {
      this.retrying = false;
    }
  }
}
