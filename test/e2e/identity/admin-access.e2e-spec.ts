import type { Response } from 'supertest';
import {
  activePartner,
  addActiveUser,
  api,
  bearer,
  countRows,
  establishPartnership,
  expectApiError,
  expectStatus,
  partnerRelationships,
  uniqueEmail,
  uniqueName,
  type ActivePartner,
  type Collection,
  type UserView,
} from '../support';

/**
 * The provider's administrator access to an indirect reseller (seed 004 step 3: the reseller
 * authorizes its indirect provider): once the partnership is accepted, the grant travels to
 * identity through the queue, and the provider's Admin agent lists the reseller's users
 * (`/v1/organizations/{tenantId}/users`; adding users there, which minted accounts, is gone since
 * issue 10: 405); a partner without the grant gets 404,
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

  it("lets the provider's Admin agent list the reseller's users, and no longer add any", async () => {
    const listed = expectStatus<Collection<UserView>>(
      await waitForOrganizationUsers(agentToken, reseller.tenantId),
      200,
    );
    expect(listed.items.map((u) => u.email)).toContain(reseller.adminEmail);

    // Minting an account in the reseller is gone (issue 10): the provider's users act there with
    // their own identity through a delegated admin relationship (gdap-provider-reseller.e2e-spec.ts).
    const email = uniqueEmail('delegated', 'fabrikam');
    const minting = await api('identity')
      .post(`/v1/organizations/${reseller.tenantId}/users`)
      .set(bearer(agentToken))
      .send({ firstName: 'Dee', lastName: 'Delegated', email, roles: ['SalesAgent'] });
    expect(minting.status).toBe(405);
    expect(
      await countRows('identity', 'select count(*) as n from "user_account" where "email" = $1', [
        email,
      ]),
    ).toBe(0);
  });

  it('refuses the organisation to a partner without the grant (404) and to a role without the permission (403)', async () => {
    const response = await api('identity')
      .get(`/v1/organizations/${reseller.tenantId}/users`)
      .set(bearer(stranger.token));
    expectApiError(response, 404, 'organization.not_found');
    expect(response.text).not.toContain(reseller.adminEmail);
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
