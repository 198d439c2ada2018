import { randomUUID } from 'node:crypto';
import request from 'supertest';
import {
  activateUser,
  addActiveUser,
  api,
  bearer,
  dbRows,
  enrollPartner,
  expectApiError,
  expectStatus,
  askRaw,
  signIn,
  signUpCustomer,
  startExtraInstance,
  tokenIn,
  uniqueEmail,
  uniqueName,
  uniqueSuffix,
  waitForEmail,
  type AddedUser,
  type Collection,
  type CreatedCustomer,
  type EnrolledPartner,
  type ExtraInstance,
  type RelationshipRequestSent,
  type SignedUpCustomer,
  type UserView,
  newCustomerBody,
} from '../support';

/**
 * A partner's Admin agent manages a customer's users (list, add with a temporary password, reset a
 * password) only while the partner holds an active reseller relationship with delegated admin
 * privileges for that customer (seeds 000/004: "manage the customer's account, services, users,
 * and licenses"); identity asks relationships over `relationships.delegated-admin.status` and
 * answers 404 `customer.not_found` otherwise, as for an unknown id (issue 9 point 16). The partner
 * grants Billing admin only: never Global admin or User management admin, nor resets them.
 */

const DELEGATED_ADMIN_STATUS = 'relationships.delegated-admin.status';

/**
 * `POST /v1/customers` by `partner`: a new customer, relationship with DAP at once (seed 002), with
 * one subscription unless `subscriptions` is false.
 */
async function createCustomer(
  partner: EnrolledPartner,
  options: { subscriptions?: boolean } = {},
): Promise<CreatedCustomer> {
  return expectStatus<CreatedCustomer>(
    await api('relationships')
      .post('/v1/customers')
      .set(bearer(partner.token))
      .send(
        newCustomerBody({
          country: partner.country,
          subscriptions:
            options.subscriptions === false
              ? []
              : [{ offerId: 'microsoft-365-business-basic', quantity: 5 }],
        }),
      ),
    201,
  );
}

/** A reseller relationship requested by `partner` and accepted by `customer` (seed 001). */
async function establish(
  partner: EnrolledPartner,
  customer: SignedUpCustomer,
  delegatedAdmin: boolean,
): Promise<void> {
  const sent = expectStatus<RelationshipRequestSent>(
    await api('relationships')
      .post('/v1/customers/relationship-requests')
      .set(bearer(partner.token))
      .send({ email: customer.email, delegatedAdmin }),
    201,
  );
  const email = await waitForEmail({ to: customer.email, subjectIncludes: sent.draft.subject });
  expectStatus(
    await api('relationships')
      .post('/v1/customers/relationship-requests/accept')
      .set(bearer(customer.token))
      .send({ token: tokenIn(email), acceptCustomerAgreement: true }),
    200,
  );
}

const usersOf = (token: string, customerId: string) =>
  api('identity').get(`/v1/customers/${customerId}/users`).set(bearer(token));

const addTo = (token: string, customerId: string, body: Record<string, unknown>) =>
  api('identity').post(`/v1/customers/${customerId}/users`).set(bearer(token)).send(body);

const resetIn = (token: string, customerId: string, userId: string) =>
  api('identity')
    .post(`/v1/customers/${customerId}/users/${userId}/password-reset`)
    .set(bearer(token));

function newUser(roles: string[]) {
  return { firstName: 'Bea', lastName: 'Billing', email: uniqueEmail('bea', 'adatum'), roles };
}

async function userRow(email: string) {
  const [row] = await dbRows<{
    tenant_id: string;
    roles: string[];
    password_temporary: boolean;
    sessions_revoked_at: Date | null;
  }>(
    'identity',
    'select tenant_id, roles, password_temporary, sessions_revoked_at from user_account where email = $1',
    [email.toLowerCase()],
  );
  return row;
}

describe("a partner's Admin agent manages a customer's users through delegated admin privileges", () => {
  let partner: EnrolledPartner;
  let agent: { token: string };
  let customer: CreatedCustomer;
  let customerId: string;

  beforeAll(async () => {
    partner = await enrollPartner({
      partnerType: 'indirect_reseller',
      name: uniqueName('Fabrikam'),
    });
    agent = await addActiveUser(partner.token, ['AdminAgent'], { company: 'fabrikam' });
    customer = await createCustomer(partner);
    customerId = customer.id;
  }, 60_000);

  it('lists, adds with a temporary password and resets a password', async () => {
    const listed = expectStatus<Collection<UserView>>(await usersOf(agent.token, customerId), 200);
    expect(listed.attributes.objectType).toBe('Collection');
    expect(listed.items).toEqual([
      expect.objectContaining({
        userPrincipalName: customer.userCredentials.userName,
        roles: ['GlobalAdmin'],
        status: 'password_change_required',
      }),
    ]);

    const body = newUser(['BillingAdmin']);
    const added = expectStatus<AddedUser>(await addTo(agent.token, customerId, body), 201);
    expect(added.user).toMatchObject({
      email: body.email,
      roles: ['BillingAdmin'],
      passwordTemporary: true,
      status: 'password_change_required',
    });
    expect(await userRow(body.email)).toMatchObject({
      tenant_id: customerId,
      password_temporary: true,
    });
    // The user belongs to the customer and must change the password first.
    const first = await signIn(body.email, added.temporaryPassword);
    expect(first.passwordChangeRequired).toBe(true);
    const me = expectStatus<{ tenant: { id: string; kind: string } }>(
      await api('identity').get('/v1/me').set(bearer(first.accessToken)),
      200,
    );
    expect(me.tenant).toMatchObject({ id: customerId, kind: 'customer' });
    // Not a user of the partner.
    const own = expectStatus<Collection<UserView>>(
      await api('identity').get('/v1/users?size=100').set(bearer(partner.token)),
      200,
    );
    expect(own.items.map((u) => u.email)).not.toContain(body.email);

    const reset = expectStatus<AddedUser>(
      await resetIn(agent.token, customerId, added.user.id),
      200,
    );
    expect(reset.user).toMatchObject({ id: added.user.id, passwordTemporary: true });
    expect(reset.temporaryPassword).not.toBe(added.temporaryPassword);
    expectApiError(
      await api('identity')
        .post('/v1/auth/token')
        .send({ email: body.email, password: added.temporaryPassword }),
      401,
      'auth.invalid_credentials',
    );
    expect((await signIn(body.email, reset.temporaryPassword)).passwordChangeRequired).toBe(true);
    expect((await userRow(body.email))?.sessions_revoked_at).toBeInstanceOf(Date);

    // A partner Global admin holds the permission too.
    expectStatus(await usersOf(partner.token, customerId), 200);
  });

  it('neither grants Global admin or User management admin nor resets a Global admin (403 user.role_not_grantable)', async () => {
    for (const role of ['GlobalAdmin', 'UserManagementAdmin']) {
      const body = newUser([role]);
      const error = expectApiError(
        await addTo(agent.token, customerId, body),
        403,
        'user.role_not_grantable',
      );
      expect(error.data).toEqual([{ roles: [role], grantable: ['BillingAdmin'] }]);
      expect(await userRow(body.email)).toBeUndefined();
    }

    const [admin] = await dbRows<{ id: string; password_hash: string }>(
      'identity',
      'select id, password_hash from user_account where email = $1',
      [customer.userCredentials.userName],
    );
    expectApiError(
      await resetIn(agent.token, customerId, admin.id),
      403,
      'user.role_not_grantable',
    );
    const [after] = await dbRows<{ password_hash: string }>(
      'identity',
      'select password_hash from user_account where id = $1',
      [admin.id],
    );
    expect(after.password_hash).toBe(admin.password_hash);
    // An agent role of a partner is no customer role.
    expectApiError(
      await addTo(agent.token, customerId, newUser(['AdminAgent'])),
      400,
      'user.invalid_role',
    );
    // Another organisation's user through this customer's route: 404.
    const partnerUser = await dbRows<{ id: string }>(
      'identity',
      'select id from user_account where email = $1',
      [partner.email],
    );
    expectApiError(
      await resetIn(agent.token, customerId, partnerUser[0].id),
      404,
      'user.not_found',
    );
  });

  it('refuses a customer without delegated admin privileges like an unknown one (404), another partner and other roles', async () => {
    // A reseller relationship without delegated admin privileges.
    const plain = await signUpCustomer();
    await establish(partner, plain, false);
    const body = newUser(['BillingAdmin']);
    const unknown = randomUUID();
    const nowhere = await usersOf(agent.token, unknown);
    expectApiError(nowhere, 404, 'customer.not_found', 'identity');
    for (const response of [
      await usersOf(agent.token, plain.tenantId),
      await addTo(agent.token, plain.tenantId, body),
      await resetIn(agent.token, plain.tenantId, plain.userId),
    ]) {
      expectApiError(response, 404, 'customer.not_found', 'identity');
      expect(response.text).not.toContain(plain.email);
      // Exactly the body of an id that exists nowhere (issue 9 point 16).
      expect(response.text.replaceAll(plain.tenantId, unknown)).toBe(nowhere.text);
    }
    expect(await userRow(body.email)).toBeUndefined();

    // A tenant that is not a customer: 404.
    expectApiError(await usersOf(agent.token, partner.tenantId), 404, 'customer.not_found');
    expectApiError(await usersOf(agent.token, 'not-a-uuid'), 400, 'request.invalid');

    // A partner with no relationship with the customer.
    const stranger = await enrollPartner({ partnerType: 'direct', name: uniqueName('Litware') });
    expectApiError(await usersOf(stranger.token, customerId), 404, 'customer.not_found');

    // A Sales agent of the partner (DAP is for Global admins and Admin agents, and the partner
    // holds no GDAP relationship: as for an unknown customer, issue 10 part 2), the customer's own
    // admin.
    const sales = await addActiveUser(partner.token, ['SalesAgent'], { company: 'fabrikam' });
    expectApiError(await usersOf(sales.token, customerId), 404, 'customer.not_found');
    expectApiError(await usersOf(plain.token, plain.tenantId), 403, 'auth.forbidden');
  });

  it('stops as soon as the customer revokes delegated admin privileges or the relationship is removed', async () => {
    const revoking = await createCustomer(partner);
    expectStatus(await usersOf(agent.token, revoking.id), 200);
    const admin = await activateUser(
      revoking.userCredentials.userName,
      revoking.userCredentials.password,
    );
    expectStatus(
      await api('relationships')
        .delete(`/v1/partners/${partner.tenantId}/delegated-admin`)
        .set(bearer(admin.token)),
      200,
    );
    expectApiError(await usersOf(agent.token, revoking.id), 404, 'customer.not_found');

    // Without subscriptions: active ones would keep the relationship (409).
    const leaving = await createCustomer(partner, { subscriptions: false });
    expectStatus(await usersOf(agent.token, leaving.id), 200);
    expectStatus(
      await api('relationships')
        .patch(`/v1/customers/${leaving.id}`)
        .set(bearer(partner.token))
        .send({ relationshipToPartner: 'none' }),
      200,
    );
    // Delegated admin privileges stay on the removed relationship (seed 000), but without an
    // active relationship the partner no longer manages the customer's users.
    const [row] = await dbRows<{ status: string; delegated_admin_status: string }>(
      'relationships',
      'select status, delegated_admin_status from reseller_relationship where partner_tenant_id = $1 and customer_id = $2',
      [partner.tenantId, leaving.id],
    );
    expect(row).toEqual({ status: 'removed', delegated_admin_status: 'active' });
    expectApiError(
      await addTo(agent.token, leaving.id, newUser(['BillingAdmin'])),
      404,
      'customer.not_found',
    );
  });

  describe('the request/response message', () => {
    /** Sends a request on the pattern's subject as a caller would and awaits its answer. */
    const ask = (data: unknown) => askRaw(DELEGATED_ADMIN_STATUS, data);

    it('answers whether the partner holds active delegated admin privileges', async () => {
      const [relationship] = await dbRows<{ id: string; delegated_admin_grant_id: string }>(
        'relationships',
        'select id, delegated_admin_grant_id from reseller_relationship where partner_tenant_id = $1 and customer_id = $2',
        [partner.tenantId, customerId],
      );
      expect(relationship.delegated_admin_grant_id).toEqual(expect.any(String));
      expect(
        await ask({ partnerTenantId: partner.tenantId, customerTenantId: customerId }),
      ).toEqual({
        ok: true,
        data: {
          active: true,
          relationshipId: relationship.id,
          grantId: relationship.delegated_admin_grant_id,
        },
      });
      expect(await ask({ partnerTenantId: randomUUID(), customerTenantId: customerId })).toEqual({
        ok: true,
        data: { active: false },
      });
    });

    it('refuses a payload that fails the contract schema', async () => {
      expect(await ask({ partnerTenantId: 'nope', customerTenantId: customerId })).toMatchObject({
        ok: false,
        error: { code: 'message.invalid', status: 400 },
      });
    });
  });

  describe('when relationships does not answer', () => {
    let isolated: ExtraInstance;

    beforeAll(async () => {
      isolated = await startExtraInstance('identity', (s) => ({
        messageNamespace: `${s.messageNamespace}isolated-${uniqueSuffix()}:`,
        rpcTimeoutMs: 1000,
      }));
    }, 90_000);

    afterAll(async () => {
      await isolated?.stop();
    }, 30_000);

    it('answers 503 dependency.unavailable and writes nothing', async () => {
      const body = newUser(['BillingAdmin']);
      const response = await request(isolated.url)
        .post(`/v1/customers/${customerId}/users`)
        .set(bearer(agent.token))
        .send(body);
      const error = expectApiError(response, 503, 'dependency.unavailable', 'identity');
      expect(error.data).toEqual([{ pattern: DELEGATED_ADMIN_STATUS }]);
      expect(await userRow(body.email)).toBeUndefined();
    });
  });
});
