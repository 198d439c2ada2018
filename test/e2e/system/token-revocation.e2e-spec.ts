import type { Response } from 'supertest';
import {
  addActiveUser,
  api,
  bearer,
  enrollPartner,
  expectApiError,
  expectStatus,
  refresh,
  signInPair,
  strongPassword,
  type ApiError,
  type EnrolledPartner,
  type ServiceName,
  type TokenPair,
  errorCode,
} from '../support';

/**
 * Access tokens stop working on every service within 5 seconds (issue 9 point 11): identity,
 * relationships and notifications verify tokens locally, and each checks identity's revocation
 * list on every request. For each way a session ends (sign-out of a session, a refresh token
 * presented twice, a password change, a password reset by an admin, disabling, removal, a role
 * taken away), a token that worked on the three services is refused (401 `auth.unauthenticated`,
 * the revoked body) on all three within 5 seconds, polled every 250 ms; another user of the same
 * organisation, and the user's other sessions where they survive, keep working.
 */

/** The deadline of the guarantee, and the poll interval. */
const WITHIN_MS = 5_000;
const POLL_MS = 250;

/** One authenticated route per service that a partner's Sales agent can reach. */
const PROBES: Record<ServiceName, { path: string; works: number }> = {
  identity: { path: '/v1/me', works: 200 },
  relationships: { path: '/v1/customers', works: 200 },
  // Operator-only: an authenticated partner user is 403 auth.forbidden, an unauthenticated one 401.
  notifications: { path: '/v1/deliveries', works: 403 },
};
const SERVICES = Object.keys(PROBES) as ServiceName[];

/** The body of a revoked token's refusal on `service`. */
const revokedBody = (service: ServiceName): ApiError => ({
  code: errorCode('auth.unauthenticated'),
  description:
    'The access token was revoked (signed out, or the account was changed, disabled or removed): sign in again.',
  data: [],
  source: service,
});

function probe(service: ServiceName, token: string): Promise<Response> {
  return api(service).get(PROBES[service].path).set(bearer(token));
}

/** Asserts that `token` works on every service (authenticated: 200, or 403 for the operator route). */
async function expectWorksEverywhere(token: string): Promise<void> {
  for (const service of SERVICES) {
    const response = await probe(service, token);
    expectStatus(response, PROBES[service].works);
    if (response.status === 403) expectApiError(response, 403, 'auth.forbidden', service);
  }
}

/**
 * Polls every 250 ms, for at most 5 s from `since`, until `token` is refused on every service, then
 * asserts the exact 401 body of each; answers how long it took.
 */
async function expectRefusedEverywhere(token: string, since: number): Promise<number> {
  for (;;) {
    const responses = await Promise.all(SERVICES.map((service) => probe(service, token)));
    if (responses.every((r) => r.status === 401)) {
      responses.forEach((response, i) => {
        expect(response.body).toEqual(revokedBody(SERVICES[i]));
      });
      return Date.now() - since;
    }
    if (Date.now() - since > WITHIN_MS) {
      throw new Error(
        `still accepted after ${WITHIN_MS} ms: ${responses
          .map((r, i) => `${SERVICES[i]} ${r.status}`)
          .join(', ')}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

let partner: EnrolledPartner;
/** A colleague in the same organisation, whose token must keep working throughout. */
let bystander: { token: string };

beforeAll(async () => {
  partner = await enrollPartner({ partnerType: 'indirect_reseller' });
  bystander = await addActiveUser(partner.token, ['SalesAgent']);
}, 120_000);

afterEach(async () => {
  // No over-revocation: the colleague and the admin who acted still work everywhere.
  await expectWorksEverywhere(bystander.token);
  await expectWorksEverywhere(partner.token);
});

/** A Sales agent of the partner, signed in (a full token) and working on every service. */
async function victim(roles: string[] = ['SalesAgent']) {
  const user = await addActiveUser(partner.token, roles);
  await expectWorksEverywhere(user.token);
  return user;
}

function post(token: string, path: string) {
  return api('identity').post(path).set(bearer(token));
}

describe('an access token is refused on every service within 5 seconds', () => {
  it('after the sign-out of its session; the same user’s other session keeps working', async () => {
    const user = await victim();
    const signedOut = await signInPair(user.user.email, user.password);
    const other = await signInPair(user.user.email, user.password);
    await expectWorksEverywhere(signedOut.accessToken);
    const since = Date.now();
    expect(
      (
        await api('identity')
          .post('/v1/auth/sign-out')
          .send({ refreshToken: signedOut.refreshToken })
      ).status,
    ).toBe(204);
    await expectRefusedEverywhere(signedOut.accessToken, since);
    await expectWorksEverywhere(other.accessToken);
    await expectWorksEverywhere(user.token);
  });

  it('after its refresh token is presented twice (the session is revoked)', async () => {
    const user = await victim();
    const first = await signInPair(user.user.email, user.password);
    const second = expectStatus<TokenPair>(await refresh(first.refreshToken), 200);
    await expectWorksEverywhere(second.accessToken);
    const since = Date.now();
    expectApiError(await refresh(first.refreshToken), 401, 'auth.refresh_token_reused');
    await expectRefusedEverywhere(second.accessToken, since);
    await expectRefusedEverywhere(first.accessToken, since);
  });

  it("after the user changes the password: every earlier token, the new session's works", async () => {
    const user = await victim();
    const other = await signInPair(user.user.email, user.password);
    const since = Date.now();
    const changed = expectStatus<TokenPair>(
      await post(user.token, '/v1/auth/password').send({
        currentPassword: user.password,
        newPassword: strongPassword(),
      }),
      200,
    );
    await expectRefusedEverywhere(user.token, since);
    await expectRefusedEverywhere(other.accessToken, since);
    await expectWorksEverywhere(changed.accessToken);
  });

  it('after an admin resets the password', async () => {
    const user = await victim();
    const since = Date.now();
    expectStatus(await post(partner.token, `/v1/users/${user.user.id}/password-reset`), 200);
    await expectRefusedEverywhere(user.token, since);
  });

  it('after the user is disabled', async () => {
    const user = await victim();
    const since = Date.now();
    expectStatus(await post(partner.token, `/v1/users/${user.user.id}/disable`), 200);
    await expectRefusedEverywhere(user.token, since);
    // Enabling again does not bring the old token back.
    expectStatus(await post(partner.token, `/v1/users/${user.user.id}/enable`), 200);
    await expectRefusedEverywhere(user.token, since);
  });

  it('after the user is removed', async () => {
    const user = await victim();
    const since = Date.now();
    expect(
      (await api('identity').delete(`/v1/users/${user.user.id}`).set(bearer(partner.token))).status,
    ).toBe(204);
    await expectRefusedEverywhere(user.token, since);
  });

  it('after a role is taken away; a refresh then carries the remaining roles, and adding a role revokes nothing', async () => {
    const user = await victim(['AdminAgent', 'SalesAgent']);
    const pair = await signInPair(user.user.email, user.password);
    // Adding a role leaves the tokens alone (they carry less than the user holds).
    expectStatus(
      await api('identity')
        .patch(`/v1/users/${user.user.id}`)
        .set(bearer(partner.token))
        .send({ roles: ['AdminAgent', 'SalesAgent', 'HelpdeskAgent'] }),
      200,
    );
    await expectWorksEverywhere(pair.accessToken);

    const since = Date.now();
    expectStatus(
      await api('identity')
        .patch(`/v1/users/${user.user.id}`)
        .set(bearer(partner.token))
        .send({ roles: ['SalesAgent'] }),
      200,
    );
    await expectRefusedEverywhere(pair.accessToken, since);
    await expectRefusedEverywhere(user.token, since);
    // The session survives a demotion: its refresh answers a token of the remaining role.
    const refreshed = expectStatus<TokenPair>(await refresh(pair.refreshToken), 200);
    await expectWorksEverywhere(refreshed.accessToken);
    expectApiError(
      await api('relationships')
        .post('/v1/customers/relationship-requests')
        .set(bearer(refreshed.accessToken))
        .send({ email: 'it@northwind.example', delegatedAdmin: false, draftOnly: true }),
      403,
      'auth.forbidden',
      'relationships',
    );
  });
});
