import { Logger } from '@nestjs/common';
import { DomainError, ThrottleStore } from '@app/platform';
import { setTimeout as sleep } from 'node:timers/promises';
import type { IdentityConfig } from '../../apps/identity/src/config/identity.config';
import { SignInLockout } from '../../apps/identity/src/sign-in/throttling/sign-in-lockout.service';
import { REDIS_URL, deletePrefixKeys, uniquePrefix } from './support/redis';

/**
 * The account lockout's scripts on real Redis (issue 9 point 10): every password attempt is counted
 * atomically before it is verified, so of a burst at most `SIGN_IN_MAX_FAILURES` attempts are
 * verified, whatever their timing; a success during a burst resets nothing; the lock holds. The
 * attempts below run the order of `AuthService.signIn`: `begin`, a verification that takes 30 ms
 * (argon2's cost), then `failed` or `succeeded`. test/e2e/identity/sign-in.e2e-spec.ts fires the
 * same bursts over HTTP.
 */

const LIMIT = 5;
const RIGHT = 'right password';

let prefix: string;
let store: ThrottleStore;
let lockout: SignInLockout;

beforeAll(() => {
  Logger.overrideLogger(false);
  prefix = uniquePrefix();
  store = new ThrottleStore({ redisUrl: REDIS_URL, bullmqPrefix: prefix, tiers: {} });
  lockout = new SignInLockout(store, {
    SIGN_IN_MAX_FAILURES: LIMIT,
    SIGN_IN_FAILURE_WINDOW_SECONDS: 60,
    SIGN_IN_LOCKOUT_SECONDS: 60,
  } as IdentityConfig);
});

afterAll(async () => {
  await store.onModuleDestroy();
  await deletePrefixKeys(prefix);
});

let email = 0;
const newEmail = () => `ada.${prefix}.${(email += 1)}@contoso.example`;

type Outcome = 'signed-in' | 'wrong' | 'locked';

/** One sign-in attempt; `verified` counts the passwords actually checked. */
async function attempt(account: string, password: string, verified: string[]): Promise<Outcome> {
  try {
    const counted = await lockout.begin(account);
    await sleep(30);
    verified.push(password);
    if (password !== RIGHT) {
      await lockout.failed(counted);
      return 'wrong';
    }
    await lockout.succeeded(counted);
    return 'signed-in';
  } catch (error) {
    if (error instanceof DomainError && error.code === 'auth.locked') return 'locked';
    throw error;
  }
}

function burst(account: string, passwords: string[], verified: string[]) {
  return Promise.all(passwords.map((password) => attempt(account, password, verified)));
}

const guesses = (n: number) => Array.from({ length: n }, (_, i) => `guess ${i}`);

describe('SignInLockout under a burst', () => {
  it('verifies at most the limit of 20 parallel guesses and refuses the right password past it', async () => {
    const account = newEmail();
    const verified: string[] = [];
    const outcomes = await burst(account, [...guesses(19), RIGHT], verified);
    expect(verified).toHaveLength(LIMIT);
    expect(verified).not.toContain(RIGHT);
    expect(outcomes[19]).toBe('locked');
    expect(outcomes.filter((o) => o === 'wrong')).toHaveLength(LIMIT - 1);
    expect(outcomes.filter((o) => o === 'locked')).toHaveLength(20 - (LIMIT - 1));
    // The lock holds after the burst, for the right password too.
    await expect(attempt(account, RIGHT, [])).resolves.toBe('locked');
  });

  it('lets a right password among the first attempts sign in without lifting the lock the burst set', async () => {
    const account = newEmail();
    const verified: string[] = [];
    const outcomes = await burst(account, [RIGHT, ...guesses(19)], verified);
    expect(outcomes[0]).toBe('signed-in');
    expect(verified).toHaveLength(LIMIT);
    await expect(attempt(account, RIGHT, [])).resolves.toBe('locked');
  });

  it('resets nothing on a success while other attempts started after it', async () => {
    const account = newEmail();
    const verified: string[] = [];
    // Three wrong guesses racing one right password that began first: the count (4) stays.
    const outcomes = await burst(account, [RIGHT, ...guesses(LIMIT - 2)], verified);
    expect(outcomes).toEqual(['signed-in', 'wrong', 'wrong', 'wrong']);
    // So one more wrong guess is the limit-th attempt of the window and locks (after a reset it
    // would have been the first).
    await expect(attempt(account, 'one more', [])).resolves.toBe('locked');
    await expect(attempt(account, RIGHT, [])).resolves.toBe('locked');
  });
});

describe('SignInLockout one attempt at a time', () => {
  it('locks at the limit-th failure in a row, and a success in between resets the count', async () => {
    const account = newEmail();
    for (let i = 0; i < LIMIT - 1; i += 1) {
      await expect(attempt(account, `wrong ${i}`, [])).resolves.toBe('wrong');
    }
    await expect(attempt(account, RIGHT, [])).resolves.toBe('signed-in');
    for (let i = 0; i < LIMIT - 1; i += 1) {
      await expect(attempt(account, `wrong ${i}`, [])).resolves.toBe('wrong');
    }
    await expect(attempt(account, 'the last', [])).resolves.toBe('locked');
    await expect(attempt(account, RIGHT, [])).resolves.toBe('locked');
  });
});
