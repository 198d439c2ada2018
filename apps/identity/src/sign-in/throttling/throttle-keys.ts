import { createHash } from 'node:crypto';

/**
 * Keys of the sign-in throttles in the shared Redis store (every identity instance counts in the
 * same keys). Emails and client addresses appear only as SHA-256 hashes, so the store holds no
 * personal data and an unknown email is counted exactly like a known one.
 */

/** Name (throttler name in the store) of the failed sign-ins counted per account. */
export const ACCOUNT_FAILURES = 'sign-in-failures';

/** The form of an email under which its failures are counted: trimmed, NFKC, lower case. */
export function normaliseEmail(email: string): string {
  return email.trim().normalize('NFKC').toLowerCase();
}

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');

/** `account:<sha256 of the normalised email>`: the failed sign-ins of one email address. */
export function accountThrottleKey(email: string): string {
  return `account:${sha256(normaliseEmail(email))}`;
}

/** `address:<route>:<sha256 of the client address>`: requests of one address to one route. */
export function addressThrottleKey(route: string, clientAddress: string): string {
  return `address:${route}:${sha256(clientAddress)}`;
}

/**
 * The two Redis keys `@nest-lab/throttler-storage-redis` (1.x) keeps for `increment(key, …,
 * name)`: the hit counter and the block marker, in one hash slot (`{key:name}`). Reading the block
 * marker tells whether a key is blocked without counting a hit.
 */
export function throttlerStorageKeys(key: string, name: string): { hits: string; blocked: string } {
  return { hits: `{${key}:${name}}:hits`, blocked: `{${key}:${name}}:blocked` };
}

/** Every throttle key lives under `<BULLMQ_PREFIX>:throttle:`, so each test run has its own. */
export function throttleKeyPrefix(bullmqPrefix: string): string {
  return `${bullmqPrefix}:throttle:`;
}
