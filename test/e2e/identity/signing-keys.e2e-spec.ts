import {
  activePartner,
  api,
  bearer,
  dbRows,
  expectApiError,
  expectStatus,
  harnessSettings,
  jwtPart,
  refresh,
  signInPair,
  signUpCustomer,
  system,
  uniqueName,
  type ActivePartner,
  type TokenPair,
} from '../support';

/**
 * Identity's signing keys and the tokens they sign: the operator rotates the key, new tokens carry
 * the new kid while tokens of the previous key keep verifying on identity and relationships,
 * without a restart (JWKS), and private keys rest encrypted; relationships refuses a token whose
 * signature or payload was tampered with, as identity does.
 */

interface SigningKeyView {
  kid: string;
  alg: string;
  status: string;
  createdAt: string;
  rotatedAt: string | null;
  retireAfter: string | null;
  publicJwk: { kid: string; alg: string; use: string; kty: string };
}

const headerOf = (token: string) => jwtPart<{ alg: string; kid: string }>(token, 0);

/** An indirect provider in New Zealand, active. */
let provider: ActivePartner;
/** An indirect reseller in New Zealand, active. */
let reseller: ActivePartner;

beforeAll(async () => {
  [provider, reseller] = await Promise.all([
    activePartner({
      partnerType: 'indirect_provider',
      country: 'NZ',
      name: uniqueName('Contoso Distribution'),
    }),
    activePartner({
      partnerType: 'indirect_reseller',
      country: 'NZ',
      name: uniqueName('Fabrikam'),
    }),
  ]);
}, 120_000);

describe('signing key rotation', () => {
  it('is refused to anyone but the operator', async () => {
    const customer = await signUpCustomer();
    expectApiError(
      await api('identity').post('/v1/platform/signing-keys/rotate').set(bearer(customer.token)),
      403,
      'auth.forbidden',
    );
    expectApiError(
      await api('identity').post('/v1/platform/signing-keys/rotate'),
      401,
      'auth.unauthenticated',
    );
  });

  it('signs new tokens with a new kid while both keys verify on identity and relationships, without a restart', async () => {
    const customer = await signUpCustomer();
    const before = await signInPair(customer.email, customer.password);
    const oldKid = headerOf(before.accessToken).kid;
    expectStatus(
      await api('relationships').get('/v1/partners').set(bearer(before.accessToken)),
      200,
    );

    const operator = await signInPair(system().operator.email, system().operator.password);
    const rotated = expectStatus<{ key: SigningKeyView; keys: SigningKeyView[] }>(
      await api('identity')
        .post('/v1/platform/signing-keys/rotate')
        .set(bearer(operator.accessToken)),
      201,
    );
    expect(rotated.key.status).toBe('active');
    expect(rotated.key.kid).not.toBe(oldKid);
    expect(rotated.key.publicJwk).toMatchObject({ kid: rotated.key.kid, alg: 'ES256', use: 'sig' });
    expect(rotated.key.publicJwk).not.toHaveProperty('d');
    const previous = rotated.keys.find((k) => k.kid === oldKid);
    expect(previous).toMatchObject({ status: 'previous' });
    const ttl = harnessSettings().auth.accessTokenTtlSeconds;
    expect(Date.parse(previous?.retireAfter ?? '') - Date.parse(previous?.rotatedAt ?? '')).toBe(
      (ttl + 60) * 1000,
    );

    const after = await signInPair(customer.email, customer.password);
    expect(headerOf(after.accessToken)).toMatchObject({ alg: 'ES256', kid: rotated.key.kid });
    // A refresh of the session started before the rotation gets a token of the new key too.
    const refreshed = expectStatus<TokenPair>(await refresh(before.refreshToken), 200);
    expect(headerOf(refreshed.accessToken).kid).toBe(rotated.key.kid);

    for (const token of [before.accessToken, after.accessToken, refreshed.accessToken]) {
      expectStatus(await api('identity').get('/v1/me').set(bearer(token)), 200);
      expectStatus(await api('relationships').get('/v1/partners').set(bearer(token)), 200);
    }

    const jwks = expectStatus<{ keys: { kid: string; d?: string }[] }>(
      await api('identity').get('/.well-known/jwks.json'),
      200,
    );
    const kids = jwks.keys.map((k) => k.kid);
    expect(kids).toEqual(expect.arrayContaining([oldKid, rotated.key.kid]));
    expect(jwks.keys.every((k) => k.d === undefined)).toBe(true);

    // Private halves rest encrypted (a JWE naming its key); no plaintext private key is stored.
    const rows = await dbRows<{
      kid: string;
      status: string;
      private_jwk: unknown;
      private_key_jwe: string | null;
    }>('identity', `select "kid", "status", "private_jwk", "private_key_jwe" from "signing_key"`);
    expect(rows.every((r) => r.private_jwk === null)).toBe(true);
    const active = rows.filter((r) => r.status === 'active');
    expect(active.map((r) => r.kid)).toEqual([rotated.key.kid]);
    expect(
      jwtPart<{ alg: string; enc: string; kid: string }>(active[0].private_key_jwe ?? '', 0),
    ).toEqual(expect.objectContaining({ alg: 'dir', enc: 'A256GCM', kid: rotated.key.kid }));
  });
});

describe("relationships verifies identity's tokens", () => {
  /** Replaces one character in the middle of a base64url segment with another. */
  function flip(segment: string): string {
    const i = Math.floor(segment.length / 2);
    return `${segment.slice(0, i)}${segment[i] === 'A' ? 'B' : 'A'}${segment.slice(i + 1)}`;
  }

  it('answers a token with a tampered signature or payload with 401', async () => {
    expectStatus(await api('relationships').get('/v1/customers').set(bearer(reseller.token)), 200);
    const [header, payload, signature] = reseller.token.split('.');
    const badSignature = [header, payload, flip(signature)].join('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    const forged = [
      header,
      Buffer.from(JSON.stringify({ ...claims, tid: provider.tenantId })).toString('base64url'),
      signature,
    ].join('.');
    for (const token of [badSignature, forged]) {
      expectApiError(
        await api('relationships').get('/v1/customers').set(bearer(token)),
        401,
        'auth.unauthenticated',
      );
      expectApiError(
        await api('identity').get('/v1/me').set(bearer(token)),
        401,
        'auth.unauthenticated',
      );
    }
    expectApiError(
      await api('relationships').get('/v1/customers').set('Authorization', 'Bearer abc.def.ghi'),
      401,
      'auth.unauthenticated',
    );
    expectApiError(await api('relationships').get('/v1/customers'), 401, 'auth.unauthenticated');
  });
});
