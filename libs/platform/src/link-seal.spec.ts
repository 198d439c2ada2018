import { openLink, sealLink } from './link-seal';
import { hashToken, newInvitationToken, sameHash } from './tokens';

describe('invitation link sealing', () => {
  const key = 'k'.repeat(40);
  const link = 'https://partners.example/invitations/partnership?token=abc_DEF-123';

  it('opens what it sealed, and the sealed form does not contain the token', () => {
    const sealed = sealLink(link, key);
    expect(sealed).not.toContain('abc_DEF-123');
    expect(openLink(sealed, key)).toBe(link);
  });

  it('seals the same link differently each time (random IV)', () => {
    expect(sealLink(link, key)).not.toBe(sealLink(link, key));
  });

  it('refuses a sealed link opened with another key or tampered with', () => {
    const sealed = sealLink(link, key);
    expect(() => openLink(sealed, 'x'.repeat(40))).toThrow();
    const tampered = Buffer.from(sealed, 'base64url');
    tampered[tampered.length - 1] ^= 1;
    expect(() => openLink(tampered.toString('base64url'), key)).toThrow();
  });
});

describe('invitation tokens', () => {
  it('carry 256 random bits and are stored as their SHA-256 hash', () => {
    const { token, hash } = newInvitationToken();
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(hashToken(token));
    expect(newInvitationToken().token).not.toBe(token);
  });

  it('compares hashes in constant time and tells different ones apart', () => {
    const a = hashToken('a');
    expect(sameHash(a, hashToken('a'))).toBe(true);
    expect(sameHash(a, hashToken('b'))).toBe(false);
    expect(sameHash(a, 'abcd')).toBe(false);
  });
});
