import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { JOBS, QUEUES } from '@app/contracts';
import { redisOptionsFromUrl } from '@app/platform';
import {
  acceptRelationship,
  activateUser,
  addActiveUser,
  addCustomerUser,
  addUser,
  api,
  bearer,
  createCustomer,
  dbRows,
  draftRelationshipRequest,
  enrollPartner,
  eventually,
  expectApiError,
  expectStatus,
  harnessSettings,
  newCustomerBody,
  partner,
  refresh,
  signInPair,
  tokenOfLink,
  uniqueEmail,
  uniqueName,
  type AddedUser,
  type CreatedCustomer,
  type EnrolledPartner,
} from '../support';

/**
 * Delegated access ends when its grant ends (issue 9 points 3, 4 and 16), from the side of a
 * partner that keeps trying after the organisation took its access back:
 * - an indirect provider with administrator access to a reseller minted a user there (before issue
 *   10 retired minting; such a user is made the old way, by its rows); the reseller
 *   withdraws the access (its Global admin only), or the partnership is removed: the minted user is
 *   disabled, its refresh token and password refused, and the provider answered 404; authorizing
 *   the provider again restores its access, not the old user;
 * - a partner with delegated admin privileges for a customer creates a user there; the customer
 *   revokes the privileges, or the relationship is removed: that user is disabled the same way;
 * - a co-partner of the same customer without privileges gets 404 on the customer's users, exactly
 *   as for an unknown id; a delegated manager grants no Global admin, User management admin or
 *   Admin agent.
 * (Access tokens already issued stop on every service within 5 s: issue 9 point 11, tested there.)
 */

/** A user minted through a delegation, activated, with a session (its refresh token). */
interface Minted {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  delegation: AddedUser['user']['delegation'];
}

async function activate(added: AddedUser): Promise<Minted> {
  const { password } = await activateUser(added.user.email, added.temporaryPassword);
  const session = await signInPair(added.user.email, password);
  // The session works before the grant ends: each later refusal is the grant's doing.
  const rotated = expectStatus<{ refreshToken: string; accessToken: string }>(
    await refresh(session.refreshToken),
    200,
  );
  return {
    id: added.user.id,
    email: added.user.email,
    password,
    accessToken: rotated.accessToken,
    refreshToken: rotated.refreshToken,
    delegation: added.user.delegation,
  };
}

async function userRow(id: string) {
  const [row] = await dbRows<{ disabled: boolean; sessions_revoked_at: Date | null }>(
    'identity',
    'select disabled, sessions_revoked_at from user_account where id = $1',
    [id],
  );
  return row;
}

/** Bounded poll until identity has disabled `user` (an event from relationships). */
async function disabledInTime(user: Minted): Promise<void> {
  await eventually(`user ${user.email} disabled`, async () =>
    (await userRow(user.id))?.disabled ? true : undefined,
  );
}

/**
 * `user` is stopped: disabled with its sessions revoked, every refresh token revoked, the refresh
 * refused, its password refused at sign-in and at the password change (an identity route its
 * access token still reaches until it expires or point 11's revocation list applies).
 */
async function expectStopped(user: Minted): Promise<void> {
  const row = await userRow(user.id);
  expect(row).toMatchObject({ disabled: true });
  expect(row?.sessions_revoked_at).toBeInstanceOf(Date);
  const live = await dbRows(
    'identity',
    'select id from refresh_token where user_id = $1 and revoked_at is null',
    [user.id],
  );
  expect(live).toEqual([]);
  expectApiError(await refresh(user.refreshToken), 401, 'auth.invalid_refresh_token', 'identity');
  expectApiError(
    await api('identity')
      .post('/v1/auth/token')
      .send({ email: user.email, password: user.password }),
    401,
    'auth.invalid_credentials',
  );
  const change = await api('identity')
    .post('/v1/auth/password')
    .set(bearer(user.accessToken))
    .send({ currentPassword: user.password, newPassword: `${user.password}-Next9` });
  expect(change.status).toBe(401);
  // Its access token is refused on every service within 5 s of the grant's end (issue 9 point 11).
  for (const [service, path] of [
    ['identity', '/v1/me'],
    ['relationships', '/v1/customers'],
    ['notifications', '/v1/deliveries'],
  ] as const) {
    const refused = await eventually(
      `the access token refused by ${service}`,
      async () => {
        const response = await api(service).get(path).set(bearer(user.accessToken));
        return response.status === 401 ? response : undefined;
      },
      5_000,
      250,
    );
    expect((refused.body as { description: string }).description).toContain('was revoked');
  }
}

/** Adds `name` with `data` to identity's `identity-events` queue (a redelivery) and awaits it. */
async function replay(name: string, data: unknown): Promise<void> {
  const settings = harnessSettings();
  const queue = new Queue(QUEUES.identityEvents, {
    connection: { ...redisOptionsFromUrl(settings.redisUrl), maxRetriesPerRequest: 1 },
    prefix: settings.bullmqPrefix,
  });
  try {
    const job = await queue.add(name, data);
    await eventually(`the replayed ${name} processed`, async () =>
      (await job.getState()) === 'completed' ? true : undefined,
    );
  } finally {
    await queue.close();
  }
}

/** The payloads relationships queued for identity under `name`, oldest first. */
async function outboxPayloads<T>(name: string, key: string, value: string): Promise<T[]> {
  const rows = await dbRows<{ payload: T }>(
    'relationships',
    `select payload from outbox_message where name = $1 and payload->>'${key}' = $2 order by created_at`,
    [name, value],
  );
  return rows.map((r) => r.payload);
}

/** The same call's answer for an id that exists nowhere, with that id put back: must be equal. */
function sameAsNowhere(response: Response, nowhere: Response, id: string, unknown: string) {
  expect(response.status).toBe(nowhere.status);
  expect(response.text.replaceAll(id, unknown)).toBe(nowhere.text);
}

describe("an indirect provider's administrator access to a reseller ends with its grant (issue 9 points 3, 4)", () => {
  let provider: EnrolledPartner;
  let reseller: EnrolledPartner;
  let agent: { token: string };
  let first: Minted;
  let second: Minted;
  const orgUsers = () => `/v1/organizations/${reseller.tenantId}/users`;
  /**
   * A user minted under the provider's active grant, made the old way: minting through the provider
   * is gone (issue 10), so a user of the reseller is marked as created through that grant, as
   * `POST /v1/organizations/{id}/users` recorded it. Accounts like it still end with their grant.
   */
  const mint = async (roles: string[]): Promise<AddedUser> => {
    const added = await addUser(reseller.token, roles, { company: 'fabrikam' });
    const [grant] = await dbRows<{ id: string }>(
      'identity',
      `select id from admin_access_grant where provider_tenant_id = $1 and reseller_tenant_id = $2 and status = 'active'`,
      [provider.tenantId, reseller.tenantId],
    );
    await dbRows(
      'identity',
      `update user_account set delegation_kind = 'admin_access', delegated_by_tenant_id = $2,
              delegation_grant_id = $3 where id = $1`,
      [added.user.id, provider.tenantId, grant.id],
    );
    const delegation = {
      kind: 'admin_access',
      partnerTenantId: provider.tenantId,
      grantId: grant.id,
    };
    return { ...added, user: { ...added.user, delegation } };
  };

  beforeAll(async () => {
    [provider, reseller] = await Promise.all([
      enrollPartner({ partnerType: 'indirect_provider', name: uniqueName('Contoso Distribution') }),
      enrollPartner({ partnerType: 'indirect_reseller', name: uniqueName('Fabrikam') }),
    ]);
    agent = await addActiveUser(provider.token, ['AdminAgent']);
    await partner(provider, reseller);
  }, 90_000);

  it('records the grant on a user minted under it (the old way)', async () => {
    const added = await mint(['SalesAgent']);
    const listed = expectStatus<{ items: AddedUser['user'][] }>(
      await api('identity').get('/v1/users').set(bearer(reseller.token)),
      200,
    );
    expect(listed.items.find((u) => u.id === added.user.id)?.delegation).toEqual(
      added.user.delegation,
    );
    first = await activate(added);
  });

  it("refuses a User management admin's withdrawal (403 auth.forbidden); the access stays", async () => {
    const uma = await addActiveUser(reseller.token, ['UserManagementAdmin'], {
      company: 'fabrikam',
    });
    const refused = expectApiError(
      await api('identity').delete(`/v1/admin-access/${provider.tenantId}`).set(bearer(uma.token)),
      403,
      'auth.forbidden',
    );
    expect(refused.data).toMatchObject([{ permission: 'admin-access.withdraw' }]);
    expectStatus(await api('identity').get(orgUsers()).set(bearer(agent.token)), 200);
    expect((await userRow(first.id))?.disabled).toBe(false);
  });

  it("disables the minted user at once when the reseller's Global admin withdraws the access, and answers the provider 404", async () => {
    expect(
      (
        await api('identity')
          .delete(`/v1/admin-access/${provider.tenantId}`)
          .set(bearer(reseller.token))
      ).status,
    ).toBe(204);
    await expectStopped(first);

    const unknown = randomUUID();
    const nowhere = await api('identity')
      .get(`/v1/organizations/${unknown}/users`)
      .set(bearer(agent.token));
    expectApiError(nowhere, 404, 'organization.not_found');
    sameAsNowhere(
      await api('identity').get(orgUsers()).set(bearer(agent.token)),
      nowhere,
      reseller.tenantId,
      unknown,
    );

    // The authorization's event delivered again changes nothing: the access stays withdrawn.
    const [authorized] = await outboxPayloads(
      JOBS.partnershipAuthorized,
      'resellerTenantId',
      reseller.tenantId,
    );
    await replay(JOBS.partnershipAuthorized, authorized);
    expectApiError(
      await api('identity').get(orgUsers()).set(bearer(agent.token)),
      404,
      'organization.not_found',
    );
  });

  it('restores the access when the reseller authorizes the provider again, not the old minted user', async () => {
    expect(
      (
        await api('relationships')
          .delete(`/v1/relationships/${provider.tenantId}`)
          .set(bearer(reseller.token))
          .send({ confirm: true })
      ).status,
    ).toBe(204);
    await partner(provider, reseller);
    expectStatus(await api('identity').get(orgUsers()).set(bearer(agent.token)), 200);
    const grants = await dbRows<{ id: string; status: string }>(
      'identity',
      'select id, status from admin_access_grant where provider_tenant_id = $1 and reseller_tenant_id = $2 order by granted_at',
      [provider.tenantId, reseller.tenantId],
    );
    expect(grants.map((g) => g.status)).toEqual(['withdrawn', 'active']);
    expect(grants[0].id).toBe(first.delegation?.grantId);

    // The user minted under the withdrawn grant stays disabled.
    await expectStopped(first);

    const added = await mint(['HelpdeskAgent']);
    expect(added.user.delegation?.grantId).toBe(grants[1].id);
    second = await activate(added);
  });

  it('disables the users minted under the grant when the partnership is removed, and answers the provider 404', async () => {
    expect(
      (
        await api('relationships')
          .delete(`/v1/relationships/${reseller.tenantId}`)
          .set(bearer(provider.token))
          .send({ confirm: true })
      ).status,
    ).toBe(204);
    await disabledInTime(second);
    await expectStopped(second);
    expectApiError(
      await api('identity').get(orgUsers()).set(bearer(agent.token)),
      404,
      'organization.not_found',
    );
    const [grant] = await dbRows<{ status: string; withdrawn_at: Date | null }>(
      'identity',
      'select status, withdrawn_at from admin_access_grant where id = $1',
      [second.delegation?.grantId],
    );
    expect(grant).toMatchObject({ status: 'ended', withdrawn_at: expect.any(Date) });
    // The reseller's own users and its Global admin are untouched.
    const [admin] = await dbRows<{ disabled: boolean }>(
      'identity',
      'select disabled from user_account where email = $1',
      [reseller.email],
    );
    expect(admin.disabled).toBe(false);
  });
});

describe("a partner's users in a customer end with its delegated admin privileges (issue 9 points 3, 16)", () => {
  let owner: EnrolledPartner;
  let agent: { token: string };
  let coPartner: EnrolledPartner;
  let created: CreatedCustomer;
  let customerId: string;
  let customerAdmin: { token: string };
  let billing: Minted;

  const usersOf = (token: string, id: string) =>
    api('identity').get(`/v1/customers/${id}/users`).set(bearer(token));

  beforeAll(async () => {
    [owner, coPartner] = await Promise.all([
      enrollPartner({ partnerType: 'direct', name: uniqueName('Fabrikam') }),
      enrollPartner({ partnerType: 'direct', name: uniqueName('Litware') }),
    ]);
    agent = await addActiveUser(owner.token, ['AdminAgent'], { company: 'fabrikam' });
    created = await createCustomer(owner);
    customerId = created.id;
    customerAdmin = await activateUser(
      created.userCredentials.userName,
      created.userCredentials.password,
    );
    // The co-partner is a reseller of record of the same customer, without the privileges.
    const request = await draftRelationshipRequest(coPartner, {
      email: created.userCredentials.userName,
      delegatedAdmin: false,
    });
    await acceptRelationship(customerAdmin, tokenOfLink(request.draft.link));
  }, 90_000);

  it('records the grant on the user the partner creates, and grants neither Global admin nor User management admin', async () => {
    for (const role of ['GlobalAdmin', 'UserManagementAdmin']) {
      expectApiError(
        await api('identity')
          .post(`/v1/customers/${customerId}/users`)
          .set(bearer(agent.token))
          .send({
            firstName: 'Bo',
            lastName: 'Boss',
            email: uniqueEmail('boss', 'adatum'),
            roles: [role],
          }),
        403,
        'user.role_not_grantable',
      );
    }
    const added = await addCustomerUser(agent, customerId);
    const [relationship] = await dbRows<{ delegated_admin_grant_id: string }>(
      'relationships',
      'select delegated_admin_grant_id from reseller_relationship where partner_tenant_id = $1 and customer_id = $2',
      [owner.tenantId, customerId],
    );
    expect(added.user.delegation).toEqual({
      kind: 'delegated_admin',
      partnerTenantId: owner.tenantId,
      grantId: relationship.delegated_admin_grant_id,
    });
    billing = await activate(added);
  });

  it("answers a co-partner without the privileges 404 on the customer's users, exactly as an unknown id", async () => {
    const unknown = randomUUID();
    const nowhere = await usersOf(coPartner.token, unknown);
    expectApiError(nowhere, 404, 'customer.not_found', 'identity');
    const listed = await usersOf(coPartner.token, customerId);
    sameAsNowhere(listed, nowhere, customerId, unknown);
    expect(listed.text).not.toContain(created.userCredentials.userName);

    const email = uniqueEmail('intruder', 'litware');
    const body = { firstName: 'In', lastName: 'Truder', email, roles: ['BillingAdmin'] };
    sameAsNowhere(
      await api('identity')
        .post(`/v1/customers/${customerId}/users`)
        .set(bearer(coPartner.token))
        .send(body),
      await api('identity')
        .post(`/v1/customers/${unknown}/users`)
        .set(bearer(coPartner.token))
        .send(body),
      customerId,
      unknown,
    );
    expect(
      await dbRows('identity', 'select 1 from user_account where email = $1', [email]),
    ).toEqual([]);
    const before = await dbRows(
      'identity',
      'select password_hash from user_account where id = $1',
      [billing.id],
    );
    sameAsNowhere(
      await api('identity')
        .post(`/v1/customers/${customerId}/users/${billing.id}/password-reset`)
        .set(bearer(coPartner.token)),
      await api('identity')
        .post(`/v1/customers/${unknown}/users/${billing.id}/password-reset`)
        .set(bearer(coPartner.token)),
      customerId,
      unknown,
    );
    expect(
      await dbRows('identity', 'select password_hash from user_account where id = $1', [
        billing.id,
      ]),
    ).toEqual(before);
  });

  it('disables that user when the customer revokes the privileges; a redelivered event changes nothing', async () => {
    expectStatus(
      await api('relationships')
        .delete(`/v1/partners/${owner.tenantId}/delegated-admin`)
        .set(bearer(customerAdmin.token)),
      200,
    );
    await disabledInTime(billing);
    await expectStopped(billing);
    expectApiError(await usersOf(agent.token, customerId), 404, 'customer.not_found');
    const [ended] = await outboxPayloads<Record<string, unknown>>(
      JOBS.delegatedAdminEnded,
      'customerTenantId',
      customerId,
    );
    expect(ended).toMatchObject({
      partnerTenantId: owner.tenantId,
      customerTenantId: customerId,
      grantId: billing.delegation?.grantId,
      reason: 'revoked',
    });

    // The customer's own Global admin may enable the user again; a replayed event leaves it so.
    expectStatus(
      await api('identity').post(`/v1/users/${billing.id}/enable`).set(bearer(customerAdmin.token)),
      200,
    );
    await replay(JOBS.delegatedAdminEnded, ended);
    expect((await userRow(billing.id))?.disabled).toBe(false);
  });

  it('disables the users the partner created when its relationship with the customer is removed', async () => {
    const leaving = await createCustomer(owner, newCustomerBody({ subscriptions: [] }));
    const added = await activate(await addCustomerUser(agent, leaving.id));
    expectStatus(
      await api('relationships')
        .patch(`/v1/customers/${leaving.id}`)
        .set(bearer(owner.token))
        .send({ relationshipToPartner: 'none' }),
      200,
    );
    await disabledInTime(added);
    await expectStopped(added);
    const [ended] = await outboxPayloads<Record<string, unknown>>(
      JOBS.delegatedAdminEnded,
      'customerTenantId',
      leaving.id,
    );
    expect(ended).toMatchObject({
      grantId: added.delegation?.grantId,
      reason: 'relationship_removed',
    });
    expectApiError(await usersOf(agent.token, leaving.id), 404, 'customer.not_found');
  });
});
