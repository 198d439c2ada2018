import {
  addUser,
  bearer,
  eventually,
  expectApiError,
  expectStatus,
  gateway,
  portalCsrf,
  portalRefresh,
  portalSignIn,
  portalSignOut,
  setCookieOf,
  signUpCustomer,
  strongPassword,
  verifySignInEmail,
  type SignedUpCustomer,
} from '../support';

/**
 * The portal's cookie session (issue 12) through the gateway: the refresh token only in an
 * HttpOnly, Secure, SameSite=Strict cookie scoped to the refresh route; every write refused
 * without the CSRF token (403 in the API error format); a spent refresh cookie revokes the
 * session; sign-out clears the cookie and ends the access token.
 */
describe('the portal cookie session', () => {
  let customer: SignedUpCustomer;

  beforeAll(async () => {
    customer = await signUpCustomer();
  });

  it('signs in with the refresh token in an HttpOnly, Secure, SameSite=Strict cookie on the refresh route only', async () => {
    const csrf = await portalCsrf();
    const secret = setCookieOf(csrf.response, 'pcp_csrf');
    expect(secret?.attributes).toMatchObject({
      path: '/v1/auth/portal',
      httponly: true,
      secure: true,
      samesite: 'Strict',
    });
    expect(csrf.response.headers['cache-control']).toBe('no-store');

    const res = await portalSignIn(csrf, { email: customer.email, password: customer.password });
    const body = expectStatus<Record<string, unknown>>(res, 200);
    expect(Object.keys(body).sort()).toEqual(
      ['accessToken', 'expiresIn', 'passwordChangeRequired', 'tokenType'].sort(),
    );
    expect(body).toMatchObject({ tokenType: 'Bearer', passwordChangeRequired: false });
    expect(JSON.stringify(body)).not.toContain('refresh');
    expect(res.headers['cache-control']).toBe('no-store');
    const cookie = setCookieOf(res, 'pcp_refresh');
    expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookie?.attributes).toMatchObject({
      path: '/v1/auth/portal/session',
      httponly: true,
      secure: true,
      samesite: 'Strict',
      'max-age': String(30 * 86_400),
    });
    expect(cookie?.attributes.domain).toBeUndefined();
    const me = expectStatus<{ user: { email: string } }>(
      await gateway()
        .get('/v1/me')
        .set(bearer(body.accessToken as string)),
      200,
    );
    expect(me.user.email).toBe(customer.email);
  });

  it('refuses every write of the session without a matching CSRF token (403 auth.csrf_invalid), changing nothing', async () => {
    const csrf = await portalCsrf();
    const other = await portalCsrf();
    // No header, a token of another secret, a header without the secret cookie.
    expectApiError(
      await gateway()
        .post('/v1/auth/portal/sign-in')
        .set('Cookie', csrf.cookie)
        .send({ email: customer.email, password: customer.password }),
      403,
      'auth.csrf_invalid',
    );
    const mismatched = await portalSignIn(
      { cookie: csrf.cookie, token: other.token },
      { email: customer.email, password: customer.password },
    );
    expectApiError(mismatched, 403, 'auth.csrf_invalid');
    expect(setCookieOf(mismatched, 'pcp_refresh')).toBeUndefined();
    expectApiError(
      await gateway()
        .post('/v1/auth/portal/sign-in')
        .set('X-CSRF-Token', csrf.token)
        .send({ email: customer.email, password: customer.password }),
      403,
      'auth.csrf_invalid',
    );

    const signedIn = await portalSignIn(csrf, {
      email: customer.email,
      password: customer.password,
    });
    expectStatus(signedIn, 200);
    const refresh = setCookieOf(signedIn, 'pcp_refresh')!.value;
    const accessToken = (signedIn.body as { accessToken: string }).accessToken;
    // Refresh and sign-out with the cookie but without the token: refused, the session intact.
    expectApiError(await portalRefresh(undefined, refresh), 403, 'auth.csrf_invalid');
    expectApiError(
      await portalRefresh({ cookie: csrf.cookie, token: other.token }, refresh),
      403,
      'auth.csrf_invalid',
    );
    expectApiError(await portalSignOut(undefined, refresh), 403, 'auth.csrf_invalid');
    expectStatus(await gateway().get('/v1/me').set(bearer(accessToken)), 200);
    const refreshed = await portalRefresh(csrf, refresh);
    expectStatus(refreshed, 200);
    expect(setCookieOf(refreshed, 'pcp_refresh')?.value).not.toBe(refresh);
  });

  it('rotates the refresh cookie; presenting a spent one revokes the whole session and clears the cookie', async () => {
    const csrf = await portalCsrf();
    const signedIn = await portalSignIn(csrf, {
      email: customer.email,
      password: customer.password,
    });
    const first = setCookieOf(signedIn, 'pcp_refresh')!.value;
    const rotated = await portalRefresh(csrf, first);
    expectStatus(rotated, 200);
    const second = setCookieOf(rotated, 'pcp_refresh')!.value;
    expect(second).not.toBe(first);
    const access = (rotated.body as { accessToken: string }).accessToken;

    const reused = await portalRefresh(csrf, first);
    expectApiError(reused, 401, 'auth.refresh_token_reused');
    const cleared = setCookieOf(reused, 'pcp_refresh');
    expect(cleared?.value).toBe('');
    expect(cleared?.attributes).toMatchObject({ path: '/v1/auth/portal/session' });
    // The session is revoked: its newest refresh cookie and its access token too.
    expectApiError(await portalRefresh(csrf, second), 401, 'auth.invalid_refresh_token');
    await eventually('the access token refused', async () => {
      const res = await gateway().get('/v1/me').set(bearer(access));
      return res.status === 401 ? res : undefined;
    });
    // No cookie at all: 401, never a 5xx.
    expectApiError(await portalRefresh(csrf, undefined), 401, 'auth.invalid_refresh_token');
  });

  it('signs out: the session revoked, the cookie cleared, the access token refused', async () => {
    const csrf = await portalCsrf();
    const signedIn = await portalSignIn(csrf, {
      email: customer.email,
      password: customer.password,
    });
    const refresh = setCookieOf(signedIn, 'pcp_refresh')!.value;
    const access = (signedIn.body as { accessToken: string }).accessToken;

    const out = await portalSignOut(csrf, refresh);
    expectStatus(out, 204);
    const cleared = setCookieOf(out, 'pcp_refresh');
    expect(cleared?.value).toBe('');
    expect(cleared?.attributes).toMatchObject({
      path: '/v1/auth/portal/session',
      httponly: true,
      secure: true,
      samesite: 'Strict',
    });
    expect(
      cleared?.attributes['max-age'] === '0' ||
        new Date(String(cleared?.attributes.expires)).getTime() < Date.now(),
    ).toBe(true);
    expectApiError(await portalRefresh(csrf, refresh), 401, 'auth.invalid_refresh_token');
    await eventually('the access token refused', async () => {
      const res = await gateway().get('/v1/me').set(bearer(access));
      return res.status === 401 ? res : undefined;
    });
    // Idempotent: signing out again (no session) is 204.
    expectStatus(await portalSignOut(csrf, refresh), 204);
  });

  it('changes a temporary password through the cookie session: a new cookie, the old session ended', async () => {
    const added = await addUser(customer.token, ['BillingAdmin'], { company: 'northwind' });
    await verifySignInEmail(added.user.email);
    const csrf = await portalCsrf();
    const signedIn = await portalSignIn(csrf, {
      email: added.user.email,
      password: added.temporaryPassword,
    });
    expect(expectStatus<{ passwordChangeRequired: boolean }>(signedIn, 200)).toMatchObject({
      passwordChangeRequired: true,
    });
    const oldRefresh = setCookieOf(signedIn, 'pcp_refresh')!.value;
    const access = (signedIn.body as { accessToken: string }).accessToken;
    const newPassword = strongPassword();
    expectApiError(
      await gateway()
        .post('/v1/auth/portal/password')
        .set(bearer(access))
        .send({ currentPassword: added.temporaryPassword, newPassword }),
      403,
      'auth.csrf_invalid',
    );
    const changed = await gateway()
      .post('/v1/auth/portal/password')
      .set(bearer(access))
      .set('Cookie', csrf.cookie)
      .set('X-CSRF-Token', csrf.token)
      .send({ currentPassword: added.temporaryPassword, newPassword });
    expect(expectStatus<{ passwordChangeRequired: boolean }>(changed, 200)).toMatchObject({
      passwordChangeRequired: false,
    });
    const next = setCookieOf(changed, 'pcp_refresh')!;
    expect(next.attributes).toMatchObject({ path: '/v1/auth/portal/session', httponly: true });
    expectApiError(await portalRefresh(csrf, oldRefresh), 401, 'auth.invalid_refresh_token');
    expectStatus(await portalRefresh(csrf, next.value), 200);
    expectStatus(await portalSignIn(csrf, { email: added.user.email, password: newPassword }), 200);
  });
});
