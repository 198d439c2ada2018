import {
  addActiveUser,
  addUser,
  api,
  bearer,
  dbRows,
  enrollPartner,
  establishPartnership,
  expectApiError,
  expectStatus,
  tokenIn,
  uniqueName,
  waitForEmail,
  waitForEmailWhere,
  type AddedUser,
  type EnrolledPartner,
} from '../support';
import {
  GDAP_PATH,
  ROLE,
  createGdap,
  expectGraphError,
  gdapBody,
  gdapRequest,
  getGdap,
  type GdapRelationship,
} from '../support/relationships/gdap';
import { assign, createGroup, groupMember } from '../support/relationships/gdap-access';

/**
 * Issue 10: an indirect provider's administrator access to an indirect reseller's organisation is a
 * delegated admin relationship the reseller approves (the customer of the relationship is the
 * reseller's tenant), with the same Graph routes and lifecycle; the provider's users act in the
 * reseller with their own identity through security groups and access assignments, checked on every
 * call exactly as in a customer (`/v1/customers/{resellerTenantId}/users`); removing the
 * partnership terminates it. No account is minted in the reseller any more.
 */

const PAGE = '/invitations/delegated-admin-relationship';
const usersOf = (tenantId: string) => `/v1/customers/${tenantId}/users`;

function listUsers(token: string, tenantId: string) {
  return api('identity').get(usersOf(tenantId)).set(bearer(token));
}
function resetPassword(token: string, tenantId: string, userId: string) {
  return api('identity')
    .post(`${usersOf(tenantId)}/${userId}/password-reset`)
    .set(bearer(token));
}

/** The provider asks the reseller; the reseller's Global admin approves from the emailed link. */
async function approvedByReseller(
  provider: EnrolledPartner,
  reseller: EnrolledPartner,
  roles: readonly string[],
): Promise<GdapRelationship> {
  const created = await createGdap(
    provider.token,
    gdapBody(reseller.tenantId, {
      duration: 'P30D',
      accessDetails: { unifiedRoles: roles.map((roleDefinitionId) => ({ roleDefinitionId })) },
    }),
  );
  expectStatus(await gdapRequest(provider.token, created.id, 'lockForApproval'), 201);
  const email = await waitForEmailWhere(
    { to: reseller.email, subjectIncludes: 'administrator access' },
    (received) => received.text.includes(created.displayName),
  );
  const decided = await api('relationships')
    .post(`${PAGE}/decision`)
    .type('form')
    .send({
      token: tokenIn(email),
      email: reseller.email,
      password: reseller.password,
      decision: 'approve',
    });
  expect(decided.status).toBe(200);
  return getGdap(provider.token, created.id);
}

describe("an indirect provider's access to a reseller as a delegated admin relationship (issue 10)", () => {
  let provider: EnrolledPartner;
  let reseller: EnrolledPartner;
  let coProvider: EnrolledPartner;
  let stranger: EnrolledPartner;
  let salesAgent: AddedUser;

  beforeAll(async () => {
    [provider, reseller, coProvider, stranger] = await Promise.all([
      enrollPartner({ partnerType: 'indirect_provider', name: uniqueName('Contoso Distribution') }),
      enrollPartner({ partnerType: 'indirect_reseller', name: uniqueName('Fabrikam') }),
      enrollPartner({ partnerType: 'indirect_provider', name: uniqueName('Litware Supply') }),
      enrollPartner({ partnerType: 'indirect_provider', name: uniqueName('Tailspin') }),
    ]);
    await establishPartnership(provider, reseller);
    await establishPartnership(coProvider, reseller);
    salesAgent = await addUser(reseller.token, ['SalesAgent']);
  }, 180_000);

  it('asks only a reseller it has an active partnership with; never the other way round', async () => {
    expectGraphError(
      await api('relationships')
        .post(GDAP_PATH)
        .set(bearer(stranger.token))
        .send(gdapBody(reseller.tenantId)),
      422,
      'gdap.customer_not_found',
    );
    expectGraphError(
      await api('relationships')
        .post(GDAP_PATH)
        .set(bearer(reseller.token))
        .send(gdapBody(provider.tenantId)),
      422,
      'gdap.customer_not_found',
    );
  });

  it('runs the lifecycle: the reseller approves from the email, the provider assigns, its users act, the reseller terminates', async () => {
    const created = await createGdap(
      provider.token,
      gdapBody(reseller.tenantId, {
        duration: 'P30D',
        accessDetails: {
          unifiedRoles: [
            { roleDefinitionId: ROLE.userAdministrator },
            { roleDefinitionId: ROLE.directoryReaders },
          ],
        },
      }),
    );
    expect(created).toMatchObject({
      status: 'created',
      customer: { tenantId: reseller.tenantId, displayName: reseller.name },
    });
    // The draft is the provider's only.
    expectGraphError(
      await api('relationships').get(`${GDAP_PATH}/${created.id}`).set(bearer(reseller.token)),
      404,
      'gdap.relationship_not_found',
    );
    expectStatus(await gdapRequest(provider.token, created.id, 'lockForApproval'), 201);
    const email = await waitForEmailWhere(
      { to: reseller.email, subjectIncludes: 'administrator access' },
      (received) => received.text.includes(created.displayName),
    );
    expect(email.text).toContain('User Administrator');

    // The reseller sees it; only its Global admin decides; the provider alone changes it.
    expect((await getGdap(reseller.token, created.id)).status).toBe('approvalPending');
    const resellerAgent = await addActiveUser(reseller.token, ['AdminAgent']);
    expectGraphError(
      await gdapRequest(resellerAgent.token, created.id, 'approve'),
      403,
      'gdap.action_not_allowed',
    );
    expectGraphError(
      await gdapRequest(provider.token, created.id, 'approve'),
      403,
      'gdap.action_not_allowed',
    );
    const pending = await getGdap(reseller.token, created.id);
    expectGraphError(
      await api('relationships')
        .patch(`${GDAP_PATH}/${created.id}`)
        .set(bearer(reseller.token))
        .set('If-Match', pending['@odata.etag'])
        .send({ displayName: 'Renamed by the reseller' }),
      403,
      'gdap.action_not_allowed',
    );
    const decided = await api('relationships')
      .post(`${PAGE}/decision`)
      .type('form')
      .send({
        token: tokenIn(email),
        email: reseller.email,
        password: reseller.password,
        decision: 'approve',
      });
    expect(decided.status).toBe(200);
    const active = await getGdap(provider.token, created.id);
    expect(active.status).toBe('active');
    expect(active.endDateTime).not.toBeNull();

    // A co-provider of the same reseller and a stranger see nothing of it.
    for (const other of [coProvider, stranger]) {
      expectGraphError(
        await api('relationships').get(`${GDAP_PATH}/${created.id}`).set(bearer(other.token)),
        404,
        'gdap.relationship_not_found',
      );
    }

    // Access through a security group and an access assignment, checked on every call.
    const group = await createGroup(provider.token);
    await assign(provider.token, created.id, group.id, [ROLE.userAdministrator]);
    const member = await groupMember(provider, 'SalesAgent', group.id);
    const outsider = await groupMember(provider, 'SalesAgent');
    const listed = expectStatus<unknown>(await listUsers(member.token, reseller.tenantId), 200);
    expect(JSON.stringify(listed)).toContain(reseller.email);
    expectStatus(await resetPassword(member.token, reseller.tenantId, salesAgent.user.id), 200);
    // Never a user at or above the provider's access: the reseller's Global admin.
    const [admin] = await dbRows<{ id: string }>(
      'identity',
      'select id from user_account where tenant_id = $1 and email = $2',
      [reseller.tenantId, reseller.email],
    );
    expectApiError(
      await resetPassword(member.token, reseller.tenantId, admin.id),
      403,
      'user.role_not_grantable',
    );
    // Without membership: refused; the co-provider and the stranger: as a tenant that exists nowhere.
    expectApiError(await listUsers(outsider.token, reseller.tenantId), 403, 'gdap.access_denied');
    for (const other of [coProvider, stranger]) {
      expectApiError(await listUsers(other.token, reseller.tenantId), 404, 'customer.not_found');
    }
    // No account was minted in the reseller for the provider, and the old minting route is gone.
    expect(
      await dbRows(
        'identity',
        `select id from user_account where tenant_id = $1 and delegated_by_tenant_id = $2
            and delegation_kind = 'admin_access'`,
        [reseller.tenantId, provider.tenantId],
      ),
    ).toEqual([]);
    const minting = await api('identity')
      .post(`/v1/organizations/${reseller.tenantId}/users`)
      .set(bearer(provider.token))
      .send({ firstName: 'Dee', lastName: 'Minted', email: 'dee@example.com', roles: [] });
    expect(minting.status).toBe(405);

    // The reseller's Global admin terminates it: the next call is refused.
    expectStatus(await gdapRequest(reseller.token, created.id, 'terminate'), 201);
    expect((await getGdap(provider.token, created.id)).status).toBe('terminated');
    await waitForEmail({ to: provider.email, subjectIncludes: 'was terminated' });
    expectApiError(await listUsers(member.token, reseller.tenantId), 403, 'gdap.access_denied');
  });

  it('refuses a provider with a partnership but no relationship as a tenant that exists nowhere', async () => {
    const [own, ownReseller] = await Promise.all([
      enrollPartner({ partnerType: 'indirect_provider', name: uniqueName('Wingtip') }),
      enrollPartner({ partnerType: 'indirect_reseller', name: uniqueName('Adatum') }),
    ]);
    await establishPartnership(own, ownReseller);
    expectApiError(await listUsers(own.token, ownReseller.tenantId), 404, 'customer.not_found');
  });

  it('terminates the relationships of the pair when the partnership is removed, in the same change', async () => {
    const [own, ownReseller] = await Promise.all([
      enrollPartner({ partnerType: 'indirect_provider', name: uniqueName('Wingtip') }),
      enrollPartner({ partnerType: 'indirect_reseller', name: uniqueName('Adatum') }),
    ]);
    await establishPartnership(own, ownReseller);
    const active = await approvedByReseller(own, ownReseller, [ROLE.directoryReaders]);
    const draft = await createGdap(own.token, gdapBody(ownReseller.tenantId));
    const group = await createGroup(own.token);
    await assign(own.token, active.id, group.id, [ROLE.directoryReaders]);
    const member = await groupMember(own, 'HelpdeskAgent', group.id);
    expectStatus(await listUsers(member.token, ownReseller.tenantId), 200);

    expectStatus(
      await api('relationships')
        .delete(`/v1/relationships/${own.tenantId}`)
        .set(bearer(ownReseller.token))
        .send({ confirm: true }),
      204,
    );
    expect((await getGdap(own.token, active.id)).status).toBe('terminated');
    expect((await getGdap(own.token, draft.id)).status).toBe('terminated');
    expectApiError(await listUsers(member.token, ownReseller.tenantId), 403, 'gdap.access_denied');
    // No access assignment is left live on an ended relationship.
    expect(
      await dbRows<{ status: string }>(
        'relationships',
        'select status from delegated_admin_access_assignment where relationship_id = $1',
        [active.id],
      ),
    ).toEqual([{ status: 'deleted' }]);
    // Both organisations read the termination in their activity log.
    const entries = await dbRows<{ tenant_ids: string[] }>(
      'relationships',
      `select array_to_json(tenant_ids) as tenant_ids from activity_log_entry
        where resource_id = $1 and type = 'delegated_admin_relationship.terminated'`,
      [active.id],
    );
    expect(entries).toHaveLength(1);
    expect([...entries[0].tenant_ids].sort()).toEqual([own.tenantId, ownReseller.tenantId].sort());
    // A new request needs a partnership again.
    expectGraphError(
      await api('relationships')
        .post(GDAP_PATH)
        .set(bearer(own.token))
        .send(gdapBody(ownReseller.tenantId)),
      422,
      'gdap.customer_not_found',
    );
  });
});
