import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER, AccessTokenClaims } from '@app/contracts';
import { JWK, SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import { randomUUID } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { Server, createServer } from 'node:http';
import {
  ACCESS_TOKEN_ALG,
  AccessTokenRevokedError,
  AccessTokenVerifier,
} from './access-token.verifier';
import { tokenRefusal } from './auth.guard';
import { RevocationsUnavailableError, TokenRevocations } from './token-revocations';

interface TestKey {
  kid: string;
  jwk: JWK;
  sign(claims: AccessTokenClaims): Promise<string>;
}

async function newKey(): Promise<TestKey> {
  const { publicKey, privateKey } = await generateKeyPair(ACCESS_TOKEN_ALG);
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return {
    kid,
    jwk: { ...jwk, kid, alg: ACCESS_TOKEN_ALG, use: 'sig' },
    sign: (claims) =>
      new SignJWT({ ...claims })
        .setProtectedHeader({ alg: ACCESS_TOKEN_ALG, kid })
        .setIssuer(ACCESS_TOKEN_ISSUER)
        .setAudience(ACCESS_TOKEN_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey),
  };
}

const claims = (): AccessTokenClaims => ({
  sub: randomUUID(),
  tid: randomUUID(),
  tkind: 'partner',
  roles: ['GlobalAdmin'],
  email: 'ada@contoso.example',
  name: 'Ada Lovelace',
  locale: 'en',
  sid: randomUUID(),
});

/** A JWKS endpoint on a local port serving `published`, counting its fetches. */
describe('AccessTokenVerifier against a JWKS URL', () => {
  let server: Server;
  let url: string;
  let published: JWK[] = [];
  let fetches = 0;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      fetches += 1;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: published }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('accepts a key published by a rotation right after it fetched the set, and both keys then', async () => {
    const old = await newKey();
    const rotated = await newKey();
    published = [old.jwk];
    const verifier = new AccessTokenVerifier({ jwksUrl: url });
    const before = claims();
    await expect(verifier.verify(await old.sign(before))).resolves.toEqual(before);
    // The rotation publishes the new key within the cooldown of that fetch.
    published = [rotated.jwk, old.jwk];
    const after = claims();
    await expect(verifier.verify(await rotated.sign(after))).resolves.toEqual(after);
    await expect(verifier.verify(await old.sign(before))).resolves.toEqual(before);
  });

  it('refuses a token of a key the set does not hold, fetching at most once more', async () => {
    const known = await newKey();
    const stranger = await newKey();
    published = [known.jwk];
    const verifier = new AccessTokenVerifier({ jwksUrl: url });
    await verifier.verify(await known.sign(claims()));
    const fetchesBefore = fetches;
    await expect(verifier.verify(await stranger.sign(claims()))).rejects.toThrow();
    expect(fetches - fetchesBefore).toBeLessThanOrEqual(1);
  });

  it('takes a verified token as verified again, still asking the revocation list every time; another signature is verified', async () => {
    const key = await newKey();
    const other = await newKey();
    published = [key.jwk];
    let revoked = false;
    const asked: string[] = [];
    const revocations = {
      isRevoked: (token: { userId: string }) => {
        asked.push(token.userId);
        return Promise.resolve(revoked);
      },
    } as unknown as TokenRevocations;
    const verifier = new AccessTokenVerifier({ jwksUrl: url }, revocations);
    const c = claims();
    const token = await key.sign(c);
    await expect(verifier.verify(token)).resolves.toEqual(c);
    await expect(verifier.verify(token)).resolves.toEqual(c);
    revoked = true;
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(AccessTokenRevokedError);
    expect(asked).toEqual([c.sub, c.sub, c.sub]);
    // The same claims under a signature of a key the set does not hold: refused.
    revoked = false;
    const [header, payload] = token.split('.');
    const forged = (await other.sign(c)).split('.')[2];
    await expect(verifier.verify(`${header}.${payload}.${forged}`)).rejects.toThrow();
  });
});

describe('AccessTokenVerifier with the revocation list (issue 9 point 11)', () => {
  const setUp = async (isRevoked: TokenRevocations['isRevoked']) => {
    const { publicKey, privateKey } = await generateKeyPair(ACCESS_TOKEN_ALG);
    const seen: Parameters<TokenRevocations['isRevoked']>[0][] = [];
    const revocations = {
      isRevoked: (token: Parameters<TokenRevocations['isRevoked']>[0]) => {
        seen.push(token);
        return isRevoked(token);
      },
    } as unknown as TokenRevocations;
    const verifier = new AccessTokenVerifier(
      { keyResolver: () => Promise.resolve(publicKey) },
      revocations,
    );
    const sign = (c: AccessTokenClaims, iat: number) =>
      new SignJWT({ ...c })
        .setProtectedHeader({ alg: ACCESS_TOKEN_ALG })
        .setIssuer(ACCESS_TOKEN_ISSUER)
        .setAudience(ACCESS_TOKEN_AUDIENCE)
        .setIssuedAt(iat)
        .setExpirationTime(Math.floor(iat) + 300)
        .sign(privateKey);
    return { verifier, seen, sign };
  };

  it('asks about the user, the session and iat in milliseconds, and refuses a revoked token', async () => {
    const { verifier, seen, sign } = await setUp((token) =>
      Promise.resolve(token.issuedAtMs <= 1_000),
    );
    const c = claims();
    const iat = Date.now() / 1000;
    await expect(verifier.verify(await sign(c, iat))).resolves.toEqual(c);
    expect(seen[0]).toEqual({
      userId: c.sub,
      sessionId: c.sid,
      issuedAtMs: Math.round(iat * 1000),
    });
    const revoking = await setUp(() => Promise.resolve(true));
    const old = await revoking.sign(c, Date.now() / 1000);
    await expect(revoking.verifier.verify(old)).rejects.toThrow();
    const error: unknown = await revoking.verifier.verify(old).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AccessTokenRevokedError);
    expect(tokenRefusal(error)).toMatchObject({ code: 'auth.unauthenticated', status: 401 });
  });

  it('fails closed when the list cannot be read: 503, never a pass', async () => {
    const { verifier, sign } = await setUp(() =>
      Promise.reject(new RevocationsUnavailableError(new Error('connection refused'))),
    );
    const error: unknown = await verifier
      .verify(await sign(claims(), Date.now() / 1000))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RevocationsUnavailableError);
    expect(tokenRefusal(error)).toMatchObject({ code: 'dependency.unavailable', status: 503 });
    expect(tokenRefusal(new Error('bad signature'))).toMatchObject({
      code: 'auth.unauthenticated',
      status: 401,
    });
  });
});
