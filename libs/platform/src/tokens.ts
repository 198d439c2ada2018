import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Invitation and verification tokens (partnership requests, reseller relationship requests, joint
 * requests, enrollment verification links): 256 bits from the operating system's CSPRNG
 * (`crypto.randomBytes(32)`), base64url (43 characters), stored only as a SHA-256 hash.
 *
 * A token is looked up by its hash (`where token_hash = sha256(token)`, a unique index): the
 * database compares hashes of the attacker's guess, never the secret itself, so the comparison
 * reveals nothing usable through timing. Code that must compare two hashes itself uses
 * `sameHash` (`crypto.timingSafeEqual`).
 */
export function newInvitationToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

/** SHA-256 of the token, hex. Tokens are looked up by this hash. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex hashes (`crypto.timingSafeEqual`); different lengths are unequal. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A temporary password shown once (seed 002/004): 18 random characters, letters and digits. */
export function newTemporaryPassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const bytes = randomBytes(18);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return `${out}!7`;
}
