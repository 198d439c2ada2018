import type { Response } from 'supertest';
import {
  activePartner,
  addActiveUser,
  api,
  bearer,
  countRows,
  dbRows,
  enrollPartner,
  establishPartnership,
  expectApiError,
  expectStatus,
  partnerRelationships,
  signIn,
  uniqueEmail,
  uniqueName,
  type ActivePartner,
  type AddedUser,
  type Collection,
  type UserView,
} from '../support';

/**
 * The provider's administrator access to an indirect reseller (seed 004 step 3: the reseller
 * authorizes its indirect provider): once the partnership is accepted, the grant travels to
 * identity through the queue, and the provider's Admin agent lists and adds the reseller's users
 * (`/v1/organizations/{tenantId}/users`), below Global admin; a partner without the grant gets 404,
 * a role without the permission 403; the reseller lists and withdraws the access
 * (`/v1/admin-access`), and the partnership stays.
 */

/** An indirect provider in New Zealand, partnered with `reseller`. */
let provider: ActivePartner;
/** An indirect reseller in New Zealand. */
let reseller: ActivePartner;
/** Another indirect provider, never partnered with the reseller. */
let stranger: ActivePartner;

beforeAll(async () => {
  [provider, reseller, stranger] = await Promise.all([
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
    activePartner({ partnerType: 'indirect_provider', country: 'AU', name: uniqueName('Litware') }),
  ]);
}, 120_000);

/** Bounded poll until `GET /v1/organizations/{tenantId}/users` stops answering 404 (the grant travels through the queue). */
async function waitForOrganizationUsers(
  token: string,
  tenantId: string,
  timeoutMs = 20_000,
): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await api('identity')
      .get(`/v1/organizations/${tenantId}/users`)
      .set(bearer(token));
    if (response.status !== 404 || Date.now() >= deadline) return response;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('provider administrator access to an indirect reseller (seed 004 step 3)', () => {
  let agentToken: string;

  beforeAll(async () => {
    // The provider requests the partnership (queued); the reseller authorizes it with the emailed
    // token.
    await establishPartnership(provider, { token: reseller.token, email: reseller.adminEmail });
    // An Admin agent of the provider (and nothing else).
    agentToken = (await addActiveUser(provider.token, ['AdminAgent'])).token;
  }, 60_000);

  it("lets the provider's Admin agent list and add the reseller's users", async () => {
    const listed = expectStatus<Collection<UserView>>(
      await waitForOrganizationUsers(agentToken, reseller.tenantId),
      200,
    );
    expect(listed.items.map((u) => u.email)).toContain(reseller.adminEmail);

    const email = uniqueEmail('delegated', 'fabrikam');
    const added = expectStatus<AddedUser>(
      await api('identity')
        .post(`/v1/organizations/${reseller.tenantId}/users`)
        .set(bearer(agentToken))
        .send({ firstName: 'Dee', lastName: 'Delegated', email, roles: ['SalesAgent'] }),
      201,
    );
    expect(added.user).toMatchObject({ email, roles: ['SalesAgent'], passwordTemporary: true });
    expect(added.temporaryPassword).toEqual(expect.any(String));
    // The user belongs to the reseller, as its own admin sees it, and signs in there.
    const own = expectStatus<Collection<UserView>>(
      await api('identity').get('/v1/users').set(bearer(reseller.token)),
      200,
    );
    expect(own.items.map((u) => u.email)).toContain(email);
    const session = await signIn(email, added.temporaryPassword);
    const me = expectStatus<{ tenant: { id: string } }>(
      await api('identity').get('/v1/me').set(bearer(session.accessToken)),
      200,
    );
    expect(me.tenant.id).toBe(reseller.tenantId);
    // Not in the provider's own organisation.
    const providers = expectStatus<Collection<UserView>>(
      await api('identity').get('/v1/users').set(bearer(provider.token)),
      200,
    );
    expect(providers.items.map((u) => u.email)).not.toContain(email);
  });

  it('refuses the organisation to a partner without the grant (404) and to a role without the permission (403)', async () => {
    const response = await api('identity')
      .get(`/v1/organizations/${reseller.tenantId}/users`)
      .set(bearer(stranger.token));
    expectApiError(response, 404, 'organization.not_found');
    expect(response.text).not.toContain(reseller.adminEmail);
    const email = uniqueEmail('intruder', 'fabrikam');
    expectApiError(
      await api('identity')
        .post(`/v1/organizations/${reseller.tenantId}/users`)
        .set(bearer(stranger.token))
        .send({ firstName: 'In', lastName: 'Truder', email, roles: ['GlobalAdmin'] }),
      404,
      'organization.not_found',
    );
    expect(
      await countRows('identity', 'select count(*) as n from "user_account" where "email" = $1', [
        email,
      ]),
    ).toBe(0);
    // A Sales agent of the granted provider does not hold the permission.
    const sales = await addActiveUser(provider.token, ['SalesAgent']);
    expectApiError(
      await api('identity')
        .get(`/v1/organizations/${reseller.tenantId}/users`)
        .set(bearer(sales.token)),
      403,
      'auth.forbidden',
    );
  });

  it('lets the reseller list and withdraw the access; the provider then gets 404 and the partnership stays', async () => {
    expectStatus(await waitForOrganizationUsers(agentToken, reseller.tenantId), 200);
    const access = expectStatus<
      Collection<{
        providerTenantId: string;
        providerName: string;
        providerMpnId: string;
        status: string;
      }>
    >(await api('identity').get('/v1/admin-access').set(bearer(reseller.token)), 200);
    expect(access.items).toEqual([
      expect.objectContaining({
        providerTenantId: provider.tenantId,
        providerName: provider.name,
        providerMpnId: provider.mpnId,
        status: 'active',
      }),
    ]);
    // The provider holds no grant from anyone.
    expect(
      expectStatus<Collection<unknown>>(
        await api('identity').get('/v1/admin-access').set(bearer(provider.token)),
        200,
      ).items,
    ).toEqual([]);

    expect(
      (
        await api('identity')
          .delete(`/v1/admin-access/${provider.tenantId}`)
          .set(bearer(reseller.token))
      ).status,
    ).toBe(204);
    expectApiError(
      await api('identity')
        .get(`/v1/organizations/${reseller.tenantId}/users`)
        .set(bearer(agentToken)),
      404,
      'organization.not_found',
    );
    expectApiError(
      await api('identity')
        .post(`/v1/organizations/${reseller.tenantId}/users`)
        .set(bearer(provider.token))
        .send({
          firstName: 'Late',
          lastName: 'Comer',
          email: uniqueEmail('late', 'fabrikam'),
          roles: ['SalesAgent'],
        }),
      404,
      'organization.not_found',
    );
    expect(
      expectStatus<Collection<unknown>>(
        await api('identity').get('/v1/admin-access').set(bearer(reseller.token)),
        200,
      ).items,
    ).toEqual([]);
    expectApiError(
      await api('identity')
        .delete(`/v1/admin-access/${provider.tenantId}`)
        .set(bearer(reseller.token)),
      404,
      'admin_access.not_found',
    );

    // The partnership itself stays, on both sides.
    const providers = await partnerRelationships(reseller.token, 'IsIndirectResellerOf');
    expect(providers.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: provider.tenantId,
          relationshipType: 'is_indirect_reseller_of',
        }),
      ]),
    );
    const resellers = await partnerRelationships(
      provider.token,
      'IsIndirectCloudSolutionProviderOf',
    );
    expect(resellers.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: reseller.tenantId,
          relationshipType: 'is_indirect_cloud_solution_provider_of',
        }),
      ]),
    );
  });
});

describe("an indirect provider's Admin agent in a reseller's organisation (administrator access)", () => {
  it('adds Sales agents and is refused Global admin, User management admin and Admin agent (403)', async () => {
    const provider = await enrollPartner({
      partnerType: 'indirect_provider',
      name: uniqueName('Contoso Distribution'),
    });
    const reseller = await enrollPartner({
      partnerType: 'indirect_reseller',
      name: uniqueName('Fabrikam'),
    });
    await establishPartnership(provider, reseller);
    const agent = await addActiveUser(provider.token, ['AdminAgent']);
    const route = `/v1/organizations/${reseller.tenantId}/users`;
    // The grant travels through the queue: a bounded poll until the route stops answering 404.
    const deadline = Date.now() + 20_000;
    let listed = await api('identity').get(route).set(bearer(agent.token));
    while (listed.status === 404 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      listed = await api('identity').get(route).set(bearer(agent.token));
    }
    expectStatus(listed, 200);

    const email = uniqueEmail('boss', 'fabrikam');
    const error = expectApiError(
      await api('identity')
        .post(route)
        .set(bearer(agent.token))
        .send({ firstName: 'Bo', lastName: 'Boss', email, roles: ['GlobalAdmin'] }),
      403,
      'user.role_not_grantable',
    );
    expect(error.data).toMatchObject([{ roles: ['GlobalAdmin'] }]);
    expect(
      await dbRows('identity', 'select 1 from user_account where email = $1', [email]),
    ).toEqual([]);
    for (const role of ['UserManagementAdmin', 'AdminAgent']) {
      const refused = uniqueEmail('refused', 'fabrikam');
      const refusal = expectApiError(
        await api('identity')
          .post(route)
          .set(bearer(agent.token))
          .send({
            firstName: 'Ud',
            lastName: 'Admin',
            email: refused,
            roles: ['SalesAgent', role],
          }),
        403,
        'user.role_not_grantable',
      );
      expect(refusal.data).toEqual([
        {
          roles: [role],
          grantable: expect.not.arrayContaining([
            'GlobalAdmin',
            'UserManagementAdmin',
            'AdminAgent',
          ]),
        },
      ]);
      expect(
        await dbRows('identity', 'select 1 from user_account where email = $1', [refused]),
      ).toEqual([]);
    }
    expectStatus(
      await api('identity')
        .post(route)
        .set(bearer(agent.token))
        .send({
          firstName: 'Sa',
          lastName: 'Sales',
          email: uniqueEmail('sales', 'fabrikam'),
          roles: ['SalesAgent', 'HelpdeskAgent'],
        }),
      201,
    );
  });
});
