import { Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { redisOptionsFromUrl } from '@app/platform';
import Redis from 'ioredis';

/**
 * The revocation list of access tokens (issue 9 point 11: a token stops working within 5 seconds of
 * sign-out, removal, disabling, demotion or a grant ending, on every service). Identity writes it;
 * the `AccessTokenVerifier` of every service reads it on every request, so a revocation is seen by
 * the next request (one `MGET`, no cache: well within the 5 seconds).
 *
 * Keys, in the Redis of `REDIS_URL`, under `<BULLMQ_PREFIX>:revoked:` (the prefix every service of
 * one deployment, and of one test run, shares; the e2e teardown deletes `<prefix>:*`):
 * - `user:<userId>` = epoch milliseconds of the last revocation of every token of the user: a token
 *   whose `iat` (identity writes it with millisecond precision) is not after it is refused;
 * - `session:<sid>` = `1`: every token of the session (`sid` claim, the refresh token family) is
 *   refused (sign-out of one session, a refresh token presented twice);
 * - `epoch` = epoch milliseconds since which the list is complete: a token issued before it is
 *   refused. Every service sets it at start-up if it is missing (`SET NX`), and so does the first
 *   check that finds it missing: a Redis that lost its data (restarted without persistence,
 *   flushed) loses the entries, and with them the epoch, so instead of revoked tokens coming back
 *   every older token is refused once and its client refreshes (the refresh checks the database).
 * Entries live `ACCESS_TOKEN_TTL_SECONDS` + `REVOCATION_CLOCK_SKEW_SECONDS`: by then every token
 * they refuse has expired anyway; the epoch does not expire (Redis runs with `noeviction`).
 */

/** Slack for clocks of different hosts, added to the lifetime of a revocation entry. */
export const REVOCATION_CLOCK_SKEW_SECONDS = 60;

/** Bound on one Redis read or write of the list, so a stalled Redis answers 503, not a hang. */
export const REVOCATION_COMMAND_TIMEOUT_MS = 2_000;

/** Where the list is and under which prefix (each service passes its `REDIS_URL`, `BULLMQ_PREFIX`). */
export interface TokenRevocationOptions {
  redisUrl: string;
  bullmqPrefix: string;
}

/** `<BULLMQ_PREFIX>:revoked:`, the key prefix of the list. */
export function revocationKeyPrefix(bullmqPrefix: string): string {
  return `${bullmqPrefix}:revoked:`;
}

/** `user:<userId>` (under the prefix). */
export function userRevocationKey(userId: string): string {
  return `user:${userId}`;
}

/** `epoch` (under the prefix). */
export const REVOCATION_EPOCH_KEY = 'epoch';

/** `session:<sid>` (under the prefix). */
export function sessionRevocationKey(sessionId: string): string {
  return `session:${sessionId}`;
}

/** The revocation list cannot be read or written (Redis is unreachable or too slow). */
export class RevocationsUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`the revocation list is unavailable: ${(cause as Error)?.message ?? String(cause)}`);
  }
}

/** What the check needs of a verified token. */
export interface RevocableToken {
  /** `sub`: the user. */
  userId: string;
  /** `sid`: the session, when the token names one. */
  sessionId?: string;
  /** `iat` in epoch milliseconds. */
  issuedAtMs: number;
}

/**
 * Raises a user's entry to `ARGV[1]` (never lowers it: two revocations racing keep the later one),
 * with a lifetime of `ARGV[2]` ms from this write.
 */
const REVOKE_USER_LUA = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
end
return 1`;

/** Answers the epoch, setting it to `ARGV[1]` first when it is missing. */
const ENSURE_EPOCH_LUA = `
local epoch = redis.call('GET', KEYS[1])
if epoch then return epoch end
redis.call('SET', KEYS[1], ARGV[1])
return ARGV[1]`;

type RevokingRedis = Redis & {
  revokeUserSince(key: string, atMs: string, ttlMs: string): Promise<number>;
  ensureRevocationEpoch(key: string, nowMs: string): Promise<string>;
};

/**
 * One Redis connection to the revocation list: `isRevoked` for the verifiers of every service,
 * `revokeUsers` / `revokeSession` for identity's `SessionRevocationService`.
 */
export class TokenRevocations implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(TokenRevocations.name);
  private readonly redis: RevokingRedis;

  constructor(options: TokenRevocationOptions) {
    this.redis = new Redis({
      ...redisOptionsFromUrl(options.redisUrl),
      keyPrefix: revocationKeyPrefix(options.bullmqPrefix),
      maxRetriesPerRequest: 1,
      commandTimeout: REVOCATION_COMMAND_TIMEOUT_MS,
      // The checks of the requests that arrive together go out in one write (ioredis
      // auto-pipelining: the commands of one event-loop tick share a round trip).
      enableAutoPipelining: true,
    }) as RevokingRedis;
    this.redis.on('error', (error) => this.logger.warn(`revocation list: ${error.message}`));
    this.redis.defineCommand('revokeUserSince', { numberOfKeys: 1, lua: REVOKE_USER_LUA });
    this.redis.defineCommand('ensureRevocationEpoch', { numberOfKeys: 1, lua: ENSURE_EPOCH_LUA });
  }

  /** Set the epoch if it is missing (best effort: a check sets it too). */
  async onModuleInit(): Promise<void> {
    try {
      await this.ensureEpoch();
    } catch (error) {
      this.logger.warn(`revocation list epoch not set at start-up: ${(error as Error).message}`);
    }
  }

  /**
   * The list's epoch (ms), set to now first if it is missing. Identity issues every access token
   * after it: a token issued while Redis had just lost its data (before any check set the epoch
   * again) would otherwise fall before the epoch the next check sets and be refused at once.
   * @throws RevocationsUnavailableError when Redis cannot be read.
   */
  async listEpoch(): Promise<number> {
    try {
      return await this.ensureEpoch();
    } catch (error) {
      throw new RevocationsUnavailableError(error);
    }
  }

  /** The epoch (ms), set to now first if it is missing. */
  private async ensureEpoch(): Promise<number> {
    return Number(await this.redis.ensureRevocationEpoch(REVOCATION_EPOCH_KEY, String(Date.now())));
  }

  async onModuleDestroy(): Promise<void> {
    if (this.redis.status !== 'ready') {
      this.redis.disconnect();
      return;
    }
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  /**
   * True when the token's user was revoked at or after its `iat`, its session was revoked, or it
   * was issued before the list's epoch.
   * @throws RevocationsUnavailableError when the list cannot be read (the caller refuses the
   * request: fail closed).
   */
  async isRevoked(token: RevocableToken): Promise<boolean> {
    const keys = [
      REVOCATION_EPOCH_KEY,
      userRevocationKey(token.userId),
      ...(token.sessionId ? [sessionRevocationKey(token.sessionId)] : []),
    ];
    try {
      const [epoch, userRevokedAt, sessionRevoked] = await this.redis.mget(...keys);
      const since = epoch === null ? await this.ensureEpoch() : Number(epoch);
      if (token.issuedAtMs < since) return true;
      if (userRevokedAt !== null && token.issuedAtMs <= Number(userRevokedAt)) return true;
      return sessionRevoked !== undefined && sessionRevoked !== null;
    } catch (error) {
      throw new RevocationsUnavailableError(error);
    }
  }

  /**
   * Revoke every token of `userIds` issued at or before `at`, for `ttlSeconds`.
   * @throws RevocationsUnavailableError when Redis does not take the write.
   */
  async revokeUsers(userIds: readonly string[], at: Date, ttlSeconds: number): Promise<void> {
    if (userIds.length === 0) return;
    const ttlMs = String(ttlSeconds * 1000);
    try {
      await Promise.all(
        userIds.map((id) =>
          this.redis.revokeUserSince(userRevocationKey(id), String(at.getTime()), ttlMs),
        ),
      );
    } catch (error) {
      throw new RevocationsUnavailableError(error);
    }
  }

  /**
   * Revoke every token of the session `sessionId`, for `ttlSeconds`.
   * @throws RevocationsUnavailableError when Redis does not take the write.
   */
  async revokeSession(sessionId: string, ttlSeconds: number): Promise<void> {
    try {
      await this.redis.set(sessionRevocationKey(sessionId), '1', 'EX', ttlSeconds);
    } catch (error) {
      throw new RevocationsUnavailableError(error);
    }
  }
}
