import { createHash, randomBytes, randomInt } from 'node:crypto';
import request, { type Response } from 'supertest';
import {
  addUser,
  api,
  bearer,
  dbRows,
  expectApiError,
  expectStatus,
  harnessSettings,
  signUpCustomer,
  startExtraInstance,
  strongPassword,
  system,
  uniqueEmail,
  type ExtraInstance,
  type SignedUpCustomer,
} from './support';

/**
 * Sign-in and tokens end to end (issue 3): failed sign-ins lock an account (429 `auth.locked` with
 * `Retry-After`) across instances that share their counts, the per-address limit, unknown emails
 * answered like known ones, refresh token rotation with reuse detection, concurrent refresh,
 * sign-out, a password change revoking every session, the temporary password through a refresh,
 * and a signing key rotation that identity and relationships follow without a restart.
 */

// ---------------------------------------------------------------------------------------------
// Test-local helpers
// ---------------------------------------------------------------------------------------------

interface TokenPair {
  accessToken: string;
  tokenType: string;
  expiresIn: number;
  refreshToken: string;
  refreshExpiresIn: number;
  passwordChangeRequired: boolean;
}

interface SigningKeyView {
  kid: string;
  alg: string;
  status: string;
  createdAt: string;
  rotatedAt: string | null;
  retireAfter: string | null;
  publicJwk: { kid: string; alg: string; use: string; kty: string };
}

/** A made-up client address for `X-Forwarded-For` (the extra instances trust it). */
function clientAddress(): string {
  return `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

function signInAt(url: string, email: string, password: string, address = clientAddress()) {
  return request(url)
    .post('/v1/auth/token')
    .set('X-Forwarded-For', address)
    .send({ email, password });
}

function refresh(refreshToken: string, url = system().urls.identity) {
  return request(url).post('/v1/auth/refresh').send({ refreshToken });
}

function signOut(refreshToken: string) {
  return api('identity').post('/v1/auth/sign-out').send({ refreshToken });
}

async function signInPair(email: string, password: string): Promise<TokenPair> {
  return expectStatus<TokenPair>(
    await api('identity').post('/v1/auth/token').send({ email, password }),
    200,
  );
}

function jwtPart<T>(token: string, index: 0 | 1): T {
  return JSON.parse(Buffer.from(token.split('.')[index], 'base64url').toString('utf8')) as T;
}
const headerOf = (token: string) => jwtPart<{ alg: string; kid: string }>(token, 0);
const claimsOf = (token: string) =>
  jwtPart<{ sub: string; sid?: string; pwc?: boolean; exp: number; iat: number }>(token, 1);

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');

/** Asserts a 429 with `Retry-After` equal to `data.retryAfterSeconds`, within `1..max`. */
function expectRetryAfter(response: Response, code: string, max: number): number {
  const body = expectApiError(response, 429, code);
  const header = Number(response.headers['retry-after']);
  expect(Number.isInteger(header)).toBe(true);
  expect(header).toBeGreaterThanOrEqual(1);
  expect(header).toBeLessThanOrEqual(max);
  expect(body.data).toEqual({ retryAfterSeconds: header });
  return header;
}

/** Polls `attempt` (bounded) until it answers `status`; every other answer must be `whileCode`. */
async function pollUntilStatus(
  attempt: () => Promise<Response>,
  status: number,
  whileCode: string,
  timeoutMs = 30_000,
): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await attempt();
    if (response.status === status) return response;
    expectApiError(response, 429, whileCode);
    if (Date.now() > deadline) throw new Error(`still ${whileCode} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function refreshRows(familyId: string) {
  return dbRows<{
    id: string;
    token_hash: string;
    used_at: Date | null;
    revoked_at: Date | null;
    replaced_by: string | null;
  }>(
    'identity',
    `select "id", "token_hash", "used_at", "revoked_at", "replaced_by" from "refresh_token"
      where "family_id" = $1 order by "issued_at"`,
    [familyId],
  );
}

// ---------------------------------------------------------------------------------------------
// Lockout and per-address limits, on two extra identity instances sharing the counts
// ---------------------------------------------------------------------------------------------

/** The strict limits of the extra instances. */
const STRICT = {
  addressLimit: 4,
  addressWindowSeconds: 60,
  maxFailures: 3,
  failureWindowSeconds: 60,
  lockoutSeconds: 3,
  trustProxy: 'true',
};

describe('sign-in throttling (two identity instances with strict limits, sharing their counts)', () => {
  let first: ExtraInstance | undefined;
  let second: ExtraInstance | undefined;
  let a: string;
  let b: string;

  beforeAll(async () => {
    const strict = () => ({ auth: { ...harnessSettings().auth, ...STRICT } });
    first = await startExtraInstance('identity', strict);
    second = await startExtraInstance('identity', strict);
    a = first.url;
    b = second.url;
  }, 120_000);

  afterAll(async () => {
    await Promise.all([first?.stop(), second?.stop()]);
  }, 30_000);

  it('locks an account after failures spread over both instances, even for the right password, on every instance, until the lock expires', async () => {
    const customer = await signUpCustomer();
    const wrong = `${customer.password}-wrong`;
    expectApiError(await signInAt(a, customer.email, wrong), 401, 'auth.invalid_credentials');
    expectApiError(await signInAt(b, customer.email, wrong), 401, 'auth.invalid_credentials');
    // The third failure (SIGN_IN_MAX_FAILURES = 3) locks the account.
    expectRetryAfter(await signInAt(a, customer.email, wrong), 'auth.locked', 3);

    // The right password is refused on both instances and on the harness's own.
    expectRetryAfter(await signInAt(b, customer.email, customer.password), 'auth.locked', 3);
    expectRetryAfter(await signInAt(a, customer.email, customer.password), 'auth.locked', 3);
    expectRetryAfter(
      await api('identity')
        .post('/v1/auth/token')
        .send({ email: customer.email, password: customer.password }),
      'auth.locked',
      3,
    );

    // Once the lock expires the right password signs in.
    const unlocked = await pollUntilStatus(
      () => signInAt(b, customer.email, customer.password),
      200,
      'auth.locked',
    );
    expect(expectStatus<TokenPair>(unlocked, 200).accessToken).toEqual(expect.any(String));

    // That success reset the count: two failures, a success, two failures stay 401.
    for (const url of [a, b]) {
      expectApiError(await signInAt(url, customer.email, wrong), 401, 'auth.invalid_credentials');
    }
    expectStatus(await signInAt(a, customer.email, customer.password), 200);
    for (const url of [b, a]) {
      expectApiError(await signInAt(url, customer.email, wrong), 401, 'auth.invalid_credentials');
    }
    expectStatus(await signInAt(b, customer.email, customer.password), 200);
  });

  it('answers an unknown email exactly like a known one, lock included', async () => {
    const customer = await signUpCustomer();
    const unknown = uniqueEmail('nobody', 'nowhere');
    const bodies = async (email: string) => {
      const answers: Response[] = [];
      for (const url of [a, b, a]) answers.push(await signInAt(url, email, strongPassword()));
      return answers;
    };
    const known = await bodies(customer.email);
    const missing = await bodies(unknown);
    for (let i = 0; i < 2; i += 1) {
      expectApiError(known[i], 401, 'auth.invalid_credentials');
      expect(missing[i].status).toBe(known[i].status);
      expect(missing[i].body).toEqual(known[i].body);
    }
    const knownLock = expectRetryAfter(known[2], 'auth.locked', 3);
    const missingLock = expectRetryAfter(missing[2], 'auth.locked', 3);
    expect(missingLock).toBe(knownLock);
    expect({ ...(missing[2].body as object), data: null }).toEqual({
      ...(known[2].body as object),
      data: null,
    });
  });

  it('limits requests per client address and route, counted across both instances', async () => {
    const address = clientAddress();
    for (const url of [a, b, a, b]) {
      expectApiError(
        await signInAt(url, uniqueEmail('probe', 'nowhere'), strongPassword(), address),
        401,
        'auth.invalid_credentials',
      );
    }
    // AUTH_ADDRESS_LIMIT = 4: the fifth request of the address is refused, on either instance.
    const throttled = await signInAt(a, uniqueEmail('probe', 'nowhere'), strongPassword(), address);
    expectRetryAfter(throttled, 'request.throttled', 60);
    expectRetryAfter(
      await signInAt(b, uniqueEmail('probe', 'nowhere'), strongPassword(), address),
      'request.throttled',
      60,
    );
    // Another address is not limited (the instances trust X-Forwarded-For: TRUST_PROXY=true).
    expectApiError(
      await signInAt(b, uniqueEmail('probe', 'nowhere'), strongPassword(), clientAddress()),
      401,
      'auth.invalid_credentials',
    );

    // The refresh route has its own count per address.
    const refreshFrom = (url: string) =>
      request(url)
        .post('/v1/auth/refresh')
        .set('X-Forwarded-For', address)
        .send({ refreshToken: randomBytes(32).toString('base64url') });
    for (const url of [a, b, a, b]) {
      expectApiError(await refreshFrom(url), 401, 'auth.invalid_refresh_token');
    }
    expectRetryAfter(await refreshFrom(b), 'request.throttled', 60);
  });
});

// ---------------------------------------------------------------------------------------------
// Refresh tokens
// ---------------------------------------------------------------------------------------------

describe('refresh tokens', () => {
  let customer: SignedUpCustomer;

  beforeAll(async () => {
    customer = await signUpCustomer();
  });

  it('rotate on every use: a new pair of the same session, the spent token stored as a hash only', async () => {
    const first = await signInPair(customer.email, customer.password);
    expect(first).toMatchObject({ tokenType: 'Bearer', passwordChangeRequired: false });
    expect(first.expiresIn).toBe(harnessSettings().auth.accessTokenTtlSeconds);
    expect(first.refreshExpiresIn).toBe(30 * 86_400);
    expect(first.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const sid = claimsOf(first.accessToken).sid;
    expect(sid).toEqual(expect.any(String));

    const second = expectStatus<TokenPair>(await refresh(first.refreshToken), 200);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(claimsOf(second.accessToken)).toMatchObject({
      sub: claimsOf(first.accessToken).sub,
      sid,
    });
    expectStatus(await api('identity').get('/v1/me').set(bearer(second.accessToken)), 200);
    expectStatus(
      await api('relationships').get('/v1/partners').set(bearer(second.accessToken)),
      200,
    );
    const third = expectStatus<TokenPair>(await refresh(second.refreshToken), 200);

    const rows = await refreshRows(sid ?? '');
    expect(rows.map((r) => r.token_hash)).toEqual(
      [first, second, third].map((p) => sha256(p.refreshToken)),
    );
    expect(rows.map((r) => r.used_at !== null)).toEqual([true, true, false]);
    expect(rows.map((r) => r.replaced_by)).toEqual([rows[1].id, rows[2].id, null]);
    expect(rows.every((r) => r.revoked_at === null)).toBe(true);
  });

  it('revoke the whole session when a spent token is presented again: its successor fails too', async () => {
    const first = await signInPair(customer.email, customer.password);
    const other = await signInPair(customer.email, customer.password);
    const second = expectStatus<TokenPair>(await refresh(first.refreshToken), 200);

    expectApiError(await refresh(first.refreshToken), 401, 'auth.refresh_token_reused');
    expectApiError(await refresh(second.refreshToken), 401, 'auth.invalid_refresh_token');
    const rows = await refreshRows(claimsOf(first.accessToken).sid ?? '');
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.revoked_at !== null)).toBe(true);
    // Another session of the same user is untouched.
    expectStatus(await refresh(other.refreshToken), 200);
  });

  it('give one success to concurrent uses of one token', async () => {
    const pair = await signInPair(customer.email, customer.password);
    const answers = await Promise.all(Array.from({ length: 4 }, () => refresh(pair.refreshToken)));
    const ok = answers.filter((r) => r.status === 200);
    expect(ok).toHaveLength(1);
    for (const answer of answers.filter((r) => r.status !== 200)) {
      expectApiError(answer, 401, 'auth.refresh_token_reused');
    }
    // The losers presented a spent token: the session is revoked, the winner's successor with it.
    const winner = ok[0].body as TokenPair;
    expectApiError(await refresh(winner.refreshToken), 401, 'auth.invalid_refresh_token');
  });

  it('refuse unknown, expired and malformed tokens', async () => {
    expectApiError(
      await refresh(randomBytes(32).toString('base64url')),
      401,
      'auth.invalid_refresh_token',
    );
    expectApiError(await refresh('short'), 400, 'request.invalid');
    expectApiError(await api('identity').post('/v1/auth/refresh').send({}), 400, 'request.invalid');
    const pair = await signInPair(customer.email, customer.password);
    await dbRows(
      'identity',
      `update "refresh_token" set "expires_at" = now() - interval '1 second',
         "issued_at" = now() - interval '31 days' where "token_hash" = $1`,
      [sha256(pair.refreshToken)],
    );
    expectApiError(await refresh(pair.refreshToken), 401, 'auth.invalid_refresh_token');
  });

  it('end with sign-out (204, idempotent, silent for an unknown token)', async () => {
    const pair = await signInPair(customer.email, customer.password);
    const next = expectStatus<TokenPair>(await refresh(pair.refreshToken), 200);
    const out = await signOut(next.refreshToken);
    expect(out.status).toBe(204);
    expect(out.text).toBe('');
    expectApiError(await refresh(next.refreshToken), 401, 'auth.invalid_refresh_token');
    expect((await signOut(next.refreshToken)).status).toBe(204);
    // Signing out with the spent predecessor revokes the same session (nothing left to revoke).
    expect((await signOut(pair.refreshToken)).status).toBe(204);
    expect((await signOut(randomBytes(32).toString('base64url'))).status).toBe(204);
    expectApiError(await signOut('short'), 400, 'request.invalid');
    const rows = await refreshRows(claimsOf(pair.accessToken).sid ?? '');
    expect(rows.every((r) => r.revoked_at !== null)).toBe(true);
  });

  it('are all revoked by a password change, which answers a new session', async () => {
    const own = await signUpCustomer();
    const one = await signInPair(own.email, own.password);
    const two = await signInPair(own.email, own.password);
    const newPassword = strongPassword();
    const changed = expectStatus<TokenPair>(
      await api('identity')
        .post('/v1/auth/password')
        .set(bearer(one.accessToken))
        .send({ currentPassword: own.password, newPassword }),
      200,
    );
    expect(changed.refreshToken).toEqual(expect.any(String));
    for (const old of [one, two]) {
      expectApiError(await refresh(old.refreshToken), 401, 'auth.invalid_refresh_token');
    }
    expectStatus(await refresh(changed.refreshToken), 200);
    const [user] = await dbRows<{ sessions_revoked_at: Date | null }>(
      'identity',
      `select "sessions_revoked_at" from "user_account" where "email" = $1`,
      [own.email],
    );
    expect(user.sessions_revoked_at).toBeInstanceOf(Date);
  });

  it('of a removed user are refused', async () => {
    const added = await addUser(customer.token, ['BillingAdmin']);
    const pair = await signInPair(added.user.email, added.temporaryPassword);
    expectStatus(
      await api('identity').delete(`/v1/users/${added.user.id}`).set(bearer(customer.token)),
      204,
    );
    expectApiError(await refresh(pair.refreshToken), 401, 'auth.invalid_refresh_token');
  });

  it('keep a temporary-password user to the password change (pwc) through a refresh', async () => {
    const added = await addUser(customer.token, ['UserManagementAdmin']);
    const first = await signInPair(added.user.email, added.temporaryPassword);
    expect(first.passwordChangeRequired).toBe(true);
    const refreshed = expectStatus<TokenPair>(await refresh(first.refreshToken), 200);
    expect(refreshed.passwordChangeRequired).toBe(true);
    expect(claimsOf(refreshed.accessToken).pwc).toBe(true);
    expectStatus(await api('identity').get('/v1/me').set(bearer(refreshed.accessToken)), 200);
    expectApiError(
      await api('identity').get('/v1/users').set(bearer(refreshed.accessToken)),
      403,
      'auth.password_change_required',
    );
    expectApiError(
      await api('relationships').get('/v1/partners').set(bearer(refreshed.accessToken)),
      403,
      'auth.password_change_required',
    );
    // The change itself works with the refreshed token and lifts the restriction.
    const changed = expectStatus<TokenPair>(
      await api('identity')
        .post('/v1/auth/password')
        .set(bearer(refreshed.accessToken))
        .send({ currentPassword: added.temporaryPassword, newPassword: strongPassword() }),
      200,
    );
    expect(claimsOf(changed.accessToken).pwc).toBeUndefined();
    expectStatus(await api('identity').get('/v1/users').set(bearer(changed.accessToken)), 200);
    expectApiError(await refresh(refreshed.refreshToken), 401, 'auth.invalid_refresh_token');
  });
});

// ---------------------------------------------------------------------------------------------
// Passwords
// ---------------------------------------------------------------------------------------------

describe('passwords', () => {
  it('are stored as argon2id with the OWASP parameters', async () => {
    const customer = await signUpCustomer();
    const [user] = await dbRows<{ password_hash: string }>(
      'identity',
      `select "password_hash" from "user_account" where "email" = $1`,
      [customer.email],
    );
    expect(user.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
  });

  it('refuse a weak new password naming the failed rules', async () => {
    const customer = await signUpCustomer();
    const local = customer.email.split('@')[0];
    const response = await api('identity')
      .post('/v1/auth/password')
      .set(bearer(customer.token))
      .send({ currentPassword: customer.password, newPassword: `${local}!` });
    const body = expectApiError(response, 400, 'user.weak_password');
    expect((body.data as { failedRules: string[] }).failedRules).toContain('contains_email');
    const common = await api('identity')
      .post('/v1/auth/password')
      .set(bearer(customer.token))
      .send({ currentPassword: customer.password, newPassword: 'Password2026!' });
    expect(
      (expectApiError(common, 400, 'user.weak_password').data as { failedRules: string[] })
        .failedRules,
    ).toEqual(['common_password']);
  });
});

// ---------------------------------------------------------------------------------------------
// Signing key rotation across services
// ---------------------------------------------------------------------------------------------

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
