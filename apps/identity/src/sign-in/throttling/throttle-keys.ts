import { normaliseTarget, sha256Hex } from '@app/platform';

/**
 * Keys of the account lockout in the shared Redis store (`ThrottleStore` of `@app/platform`, where
 * the per-address and per-target limits count too). Emails appear only as SHA-256 hashes, so the
 * store holds no personal data and an unknown email is counted exactly like a known one.
 */

/** Name (in the store's key layout) of the password attempts counted per account. */
export const ACCOUNT_ATTEMPTS = 'sign-in-attempts';

/** The form of an email under which its failures are counted: trimmed, NFKC, lower case. */
export function normaliseEmail(email: string): string {
  return normaliseTarget(email);
}

/** `account:<sha256 of the normalised email>`: the password attempts on one email address. */
export function accountThrottleKey(email: string): string {
  return `account:${sha256Hex(normaliseEmail(email))}`;
}
