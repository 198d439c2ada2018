import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ThrottleStore, throttlerStorageKeys } from '@app/platform';
import { APP_CONFIG, IdentityConfig } from '../../config/identity.config';
import { ACCOUNT_FAILURES, accountThrottleKey } from './throttle-keys';

/** 429 `auth.locked` with `data.retryAfterSeconds` (the filter adds `Retry-After`). */
export function accountLocked(retryAfterSeconds: number): DomainError {
  const seconds = Math.max(1, retryAfterSeconds);
  return new DomainError(
    'auth.locked',
    429,
    `Too many failed sign-ins for this email address: sign-in is locked. Retry in ${seconds} seconds.`,
    { retryAfterSeconds: seconds },
  );
}

/**
 * Failed sign-ins per account, shared by every identity instance (the throttler storage's
 * `increment` with a block duration): the `SIGN_IN_MAX_FAILURES`-th failure of one email address
 * within `SIGN_IN_FAILURE_WINDOW_SECONDS` locks it for `SIGN_IN_LOCKOUT_SECONDS` (429
 * `auth.locked`), even for the right password, until the lock expires; a successful sign-in resets
 * the count. Counted by the hash of the normalised email whether or not it has an account, so
 * neither the answers nor their timing tell an account exists.
 */
@Injectable()
export class SignInLockout {
  constructor(
    private readonly store: ThrottleStore,
    @Inject(APP_CONFIG) private readonly config: IdentityConfig,
  ) {}

  /** @throws 429 `auth.locked` while `email` is locked. */
  async assertNotLocked(email: string): Promise<void> {
    const { blocked } = throttlerStorageKeys(accountThrottleKey(email), ACCOUNT_FAILURES);
    const ms = await this.store.guarded(() => this.store.redis.pttl(blocked));
    if (ms > 0) throw accountLocked(Math.ceil(ms / 1000));
  }

  /**
   * Count a failed sign-in of `email`.
   * @throws 429 `auth.locked` when this failure locks it (the count then starts again after the
   * lock).
   */
  async recordFailure(email: string): Promise<void> {
    const key = accountThrottleKey(email);
    const record = await this.store.guarded(() =>
      this.store.storage.increment(
        key,
        this.config.SIGN_IN_FAILURE_WINDOW_SECONDS * 1000,
        // The storage blocks when the count goes over the limit: the Nth failure locks.
        this.config.SIGN_IN_MAX_FAILURES - 1,
        this.config.SIGN_IN_LOCKOUT_SECONDS * 1000,
        ACCOUNT_FAILURES,
      ),
    );
    if (record.isBlocked) {
      const { hits } = throttlerStorageKeys(key, ACCOUNT_FAILURES);
      await this.store.guarded(() => this.store.redis.del(hits));
      throw accountLocked(record.timeToBlockExpire);
    }
  }

  /** Forget the failures of `email` (after a successful sign-in). */
  async reset(email: string): Promise<void> {
    const { hits, blocked } = throttlerStorageKeys(accountThrottleKey(email), ACCOUNT_FAILURES);
    await this.store.guarded(() => this.store.redis.del(hits, blocked));
  }
}
