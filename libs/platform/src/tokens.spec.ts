import { hashToken, newInvitationToken, sameHash } from './tokens';

/** The module object itself (a namespace import would be a copy that spies do not reach). */
const crypto = jest.requireActual<typeof import('node:crypto')>('node:crypto');

/**
 * DESIGN.md "Invitation link": an unguessable token (at least 128 bits of randomness), stored only
 * as a hash. Every invitation kind and the enrollment verification link get their token from
 * `newInvitationToken` (the end-to-end tests check the tokens of the delivered emails).
 */
describe('invitation and verification tokens', () => {
  afterEach(() => jest.restoreAllMocks());

  it('carries 256 bits straight from the CSPRNG (at least 128 required)', () => {
    const randomBytes = jest.spyOn(crypto, 'randomBytes');
    const { token } = newInvitationToken();
    expect(randomBytes).toHaveBeenCalledTimes(1);
    const [[size]] = randomBytes.mock.calls as unknown as [[number]];
    expect(size * 8).toBeGreaterThanOrEqual(128);
    expect(size).toBe(32);
    const drawn = randomBytes.mock.results[0].value as Buffer;
    // The token is exactly the drawn bytes, encoded: no bits lost, none derived.
    expect(Buffer.from(token, 'base64url').equals(drawn)).toBe(true);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('draws uniform, distinct tokens (every bit position near 50%, no repeats in 4096)', () => {
    const count = 4096;
    const ones = new Array<number>(256).fill(0);
    const seen = new Set<string>();
    for (let i = 0; i < count; i += 1) {
      const { token } = newInvitationToken();
      seen.add(token);
      const bytes = Buffer.from(token, 'base64url');
      for (let bit = 0; bit < 256; bit += 1) {
        if ((bytes[bit >> 3] >> (bit & 7)) & 1) ones[bit] += 1;
      }
    }
    expect(seen.size).toBe(count);
    // Binomial(4096, 0.5): sd = 32; 6 sd either side (a false alarm about once in 10^8 runs).
    const outliers = ones.filter((n) => Math.abs(n - count / 2) > 6 * 32);
    expect(outliers).toEqual([]);
  });

  it('is stored as a SHA-256 hash that neither equals nor contains the token', () => {
    const { token, hash } = newInvitationToken();
    expect(hash).toBe(crypto.createHash('sha256').update(token).digest('hex'));
    expect(hash).toBe(hashToken(token));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(token);
    expect(hashToken(`${token}x`)).not.toBe(hash);
  });

  it('compares hashes in constant time', () => {
    const timingSafeEqual = jest.spyOn(crypto, 'timingSafeEqual');
    const a = hashToken('a');
    expect(sameHash(a, hashToken('a'))).toBe(true);
    expect(sameHash(a, hashToken('b'))).toBe(false);
    expect(timingSafeEqual).toHaveBeenCalledTimes(2);
    expect(sameHash(a, a.slice(0, 10))).toBe(false);
  });
});
