import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ThrottleStore, throttlerStorageKeys } from '@app/platform';
import type Redis from 'ioredis';
import { APP_CONFIG, IdentityConfig } from '../../config/identity.config';
import { ACCOUNT_ATTEMPTS, accountThrottleKey } from './throttle-keys';

/**
 * 429 `auth.locked` with `data.retryAfterSeconds` (the filter adds `Retry-After`). `lockedNow`:
 * this very attempt locked the sign-in name (the caller records the lockout: `user.locked_out`);
 * false while an earlier lock runs. Never part of the answer: a locked name answers the same.
 */
export class AccountLockedError extends DomainError {
  constructor(
    retryAfterMs: number,
    readonly lockedNow: boolean,
  ) {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    super(
      'auth.locked',
      429,
      `Too many failed sign-ins for this email address: sign-in is locked. Retry in ${seconds} seconds.`,
      { retryAfterSeconds: seconds },
    );
  }

  /** How long the lock lasts, in seconds (as answered). */
  override get retryAfterSeconds(): number {
    return (this.data as { retryAfterSeconds: number }).retryAfterSeconds;
  }
}

/**
 * KEYS: attempts, lock. ARGV: limit, window ms, lockout ms. A locked account answers
 * `{0, lock ms left}`. Otherwise the attempt is counted (the window starts with the first); an
 * attempt past the limit locks the account at once and answers `{-1, lockout ms}`; any other
 * answers `{its number, 0}`.
 */
const BEGIN_ATTEMPT_LUA = `
local left = redis.call('PTTL', KEYS[2])
if left > 0 then return {0, left} end
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if n > tonumber(ARGV[1]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  redis.call('DEL', KEYS[1])
  return {-1, tonumber(ARGV[3])}
end
return {n, 0}`;

/**
 * KEYS: attempts, lock. ARGV: the failed attempt's number, limit, lockout ms. The attempt that
 * reaches the limit locks the account (unless a lock is already running) and answers
 * `{the lock's ms left, 1 when it set the lock now else 0}`; an earlier one answers `{0, 0}` (it
 * is counted already).
 */
const FAILED_ATTEMPT_LUA = `
if tonumber(ARGV[1]) < tonumber(ARGV[2]) then return {0, 0} end
local set = redis.call('SET', KEYS[2], '1', 'PX', ARGV[3], 'NX')
redis.call('DEL', KEYS[1])
if set then return {redis.call('PTTL', KEYS[2]), 1} end
return {redis.call('PTTL', KEYS[2]), 0}`;

/**
 * KEYS: attempts, lock. ARGV: the successful attempt's number. Forgets the attempts only when
 * none started since this one (the count still equals its number) and no lock runs; answers 1 when
 * it did.
 */
const SUCCEEDED_ATTEMPT_LUA = `
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1`;

type LockoutRedis = Redis & {
  signInAttemptBegin(a: string, l: string, ...argv: string[]): Promise<[number, number]>;
  signInAttemptFailed(a: string, l: string, ...argv: string[]): Promise<[number, number]>;
  signInAttemptSucceeded(a: string, l: string, ...argv: string[]): Promise<number>;
};

/** An attempt counted by `SignInLockout.begin`: its email's keys and its number in the window. */
export interface CountedAttempt {
  keys: { hits: string; blocked: string };
  number: number;
}

/**
 * Password attempts per account, shared by every identity instance (issue 9 point 10: a burst
 * cannot race the lock). Every attempt to use an account's password (sign-in, the current password
 * of `POST /v1/auth/password`) is counted atomically, in one Lua script, BEFORE the password is
 * verified (`begin`):
 * - while the account is locked, or when the attempt is past `SIGN_IN_MAX_FAILURES` in the window
 *   of `SIGN_IN_FAILURE_WINDOW_SECONDS` (which locks it at once), it answers 429 `auth.locked`
 *   without verifying anything: of any burst, at most `SIGN_IN_MAX_FAILURES` attempts are
 *   verified, the right password among the others is refused, and the lock holds after it;
 * - an attempt that fails and is the `SIGN_IN_MAX_FAILURES`-th of the window locks the account
 *   (`failed`: 429 `auth.locked` instead of 401), so that many failures in a row lock it;
 * - a success forgets the count (`succeeded`) only if no other attempt started since it began and
 *   no lock runs (compare-and-delete in one script): a success that started during a burst resets
 *   nothing, and never lifts a lock.
 * The lock lasts `SIGN_IN_LOCKOUT_SECONDS`, even for the right password. Counted by the hash of the
 * normalised email whether or not it has an account, so neither the answers nor their timing tell
 * an account exists. Redis failures answer 503 `dependency.unavailable` (fail closed).
 */
@Injectable()
export class SignInLockout {
  private readonly redis: LockoutRedis;

  constructor(
    private readonly store: ThrottleStore,
    @Inject(APP_CONFIG) private readonly config: IdentityConfig,
  ) {
    this.redis = store.redis as LockoutRedis;
    this.redis.defineCommand('signInAttemptBegin', { numberOfKeys: 2, lua: BEGIN_ATTEMPT_LUA });
    this.redis.defineCommand('signInAttemptFailed', { numberOfKeys: 2, lua: FAILED_ATTEMPT_LUA });
    this.redis.defineCommand('signInAttemptSucceeded', {
      numberOfKeys: 2,
      lua: SUCCEEDED_ATTEMPT_LUA,
    });
  }

  /**
   * Count an attempt on `email`'s password, before verifying it.
   * @throws 429 `auth.locked` (`AccountLockedError`) when the account is locked or this attempt
   * locks it (`lockedNow`).
   */
  async begin(email: string): Promise<CountedAttempt> {
    const keys = throttlerStorageKeys(accountThrottleKey(email), ACCOUNT_ATTEMPTS);
    const [number, lockedMs] = await this.store.guarded(() =>
      this.redis.signInAttemptBegin(
        keys.hits,
        keys.blocked,
        String(this.config.SIGN_IN_MAX_FAILURES),
        String(this.config.SIGN_IN_FAILURE_WINDOW_SECONDS * 1000),
        String(this.config.SIGN_IN_LOCKOUT_SECONDS * 1000),
      ),
    );
    if (number <= 0) throw new AccountLockedError(lockedMs, number < 0);
    return { keys, number };
  }

  /**
   * The password of `attempt` was wrong (it is counted already).
   * @throws 429 `auth.locked` (`AccountLockedError`) when this failure locks the account
   * (`lockedNow`, unless a lock was running already).
   */
  async failed(attempt: CountedAttempt): Promise<void> {
    const [lockedMs, lockedNow] = await this.store.guarded(() =>
      this.redis.signInAttemptFailed(
        attempt.keys.hits,
        attempt.keys.blocked,
        String(attempt.number),
        String(this.config.SIGN_IN_MAX_FAILURES),
        String(this.config.SIGN_IN_LOCKOUT_SECONDS * 1000),
      ),
    );
    if (lockedMs > 0) throw new AccountLockedError(lockedMs, lockedNow === 1);
  }

  /** The password of `attempt` was right: forget the count if no attempt started since. */
  async succeeded(attempt: CountedAttempt): Promise<void> {
    await this.store.guarded(() =>
      this.redis.signInAttemptSucceeded(
        attempt.keys.hits,
        attempt.keys.blocked,
        String(attempt.number),
      ),
    );
  }
}
