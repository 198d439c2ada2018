import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER, AccessTokenClaims } from '@app/contracts';
import { JWK, SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import { randomUUID } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { Server, createServer } from 'node:http';
import { ACCESS_TOKEN_ALG, AccessTokenVerifier } from './access-token.verifier';

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
});
