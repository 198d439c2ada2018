import { createHash, randomBytes } from 'node:crypto';
import {
  addUser,
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
  strongPassword,
  type SignedUpCustomer,
  type TokenPair,
} from '../support';

/**
 * Sessions (refresh tokens) end to end: a refresh token rotates on every use and rests only as a
 * hash; a spent token presented again revokes its whole session (reuse detection), also when
 * concurrent uses race; sign-out ends a session; a password change revokes every session; a
 * removed user's tokens are refused; and a temporary-password user stays held to the password
 * change through a refresh.
 */

function signOut(refreshToken: string) {
  return api('identity').post('/v1/auth/sign-out').send({ refreshToken });
}

const claimsOf = (token: string) =>
  jwtPart<{ sub: string; sid?: string; pwc?: boolean; exp: number; iat: number }>(token, 1);

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');

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
