import { AccessTokenVerifier } from '@app/auth';
import { decodeJwt, decodeProtectedHeader, generateKeyPair } from 'jose';
import { randomUUID } from 'node:crypto';
import { TokenSubject, accessTokenClaims, signAccessToken } from './access-token-claims';

const subject = (passwordTemporary: boolean): TokenSubject => ({
  user: {
    id: randomUUID(),
    email: 'ada@contoso.example',
    firstName: 'Ada',
    lastName: 'Lovelace',
    roles: ['GlobalAdmin', 'AdminAgent'],
    locale: 'en',
    passwordTemporary,
  },
  tenant: { id: randomUUID(), kind: 'partner' },
});

describe('access token claims', () => {
  it('names the user, tenant, roles and locale', () => {
    const s = subject(false);
    const claims = accessTokenClaims(s);
    expect(claims).toEqual({
      sub: s.user.id,
      tid: s.tenant.id,
      tkind: 'partner',
      roles: ['GlobalAdmin', 'AdminAgent'],
      email: 'ada@contoso.example',
      name: 'Ada Lovelace',
      locale: 'en',
    });
    expect(claims.pwc).toBeUndefined();
  });

  it('carries pwc: true while the password is temporary', () => {
    expect(accessTokenClaims(subject(true)).pwc).toBe(true);
  });

  it('names the session (refresh token family) as sid', () => {
    const sid = randomUUID();
    expect(accessTokenClaims(subject(false), sid).sid).toBe(sid);
    expect(accessTokenClaims(subject(false)).sid).toBeUndefined();
  });

  it('signs ES256 with kid, issuer, audience and exp = now + TTL, verifiable by libs/auth', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const claims = accessTokenClaims(subject(true));
    const now = new Date();
    const token = await signAccessToken(claims, { kid: 'k1', privateKey }, 900, now);
    const header = decodeProtectedHeader(token);
    expect(header).toMatchObject({ alg: 'ES256', kid: 'k1' });
    const payload = decodeJwt(token);
    expect(payload.exp).toBe(Math.floor(now.getTime() / 1000) + 900);
    const verifier = new AccessTokenVerifier({ keyResolver: () => Promise.resolve(publicKey) });
    await expect(verifier.verify(token)).resolves.toMatchObject({ ...claims, pwc: true });
  });

  it('is refused by a verifier holding another key', async () => {
    const signer = await generateKeyPair('ES256');
    const other = await generateKeyPair('ES256');
    const token = await signAccessToken(
      accessTokenClaims(subject(false)),
      { kid: 'k1', privateKey: signer.privateKey },
      900,
    );
    const verifier = new AccessTokenVerifier({
      keyResolver: () => Promise.resolve(other.publicKey),
    });
    await expect(verifier.verify(token)).rejects.toThrow();
  });
});
