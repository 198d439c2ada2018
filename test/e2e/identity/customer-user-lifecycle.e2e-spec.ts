import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import {
  acceptRelationship,
  activateUser,
  addActiveUser,
  addCustomerUser,
  api,
  bearer,
  createCustomer,
  dbRows,
  draftRelationshipRequest,
  enrollPartner,
  eventually,
  expectApiError,
  expectStatus,
  newCustomerBody,
  refresh,
  signInPair,
  tokenOfLink,
  uniqueName,
  type AddedUser,
  type Collection,
  type CreatedCustomer,
  type EnrolledPartner,
} from '../support';

/**
 * A customer's users and directory roles as Partner Center serves them (issue 11 "Customer users
 * and directory roles"; partner-center-api.md §10): CustomerUser with `state`; DELETE is a soft
 * deletion (state `inactive`, `softDeletionTime`, sign-in refused and sessions revoked at once),
 * PATCH `{ state: 'active' }` restores within the retention; the list filters by `UserState` as
 * Partner Center sends it and names an unknown field or operator (400); the customer's directory
 * roles (our roles by their Entra role template ids), their members (add, remove) and a user's
 * roles, under the role-grant rules (403) and the last Global admin rule (409). Only while the
 * partner holds delegated admin privileges: a stranger, a co-partner without them and a partner
 * whose privileges ended get 404 `customer.not_found`, as for an unknown customer.
 */

const COMPANY_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';
const USER_ACCOUNT_ADMINISTRATOR = 'fe930be7-5e62-47db-91af-98c3a49a38b1';
const BILLING_ADMINISTRATOR = 'b0f54661-2d74-4c50-afa3-1ec803f12efe';
const DIRECTORY_WRITERS = '9360feb5-f418-4baa-8175-e2a00bac4301';

interface CustomerUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  state: 'active' | 'inactive';
  softDeletionTime?: string;
  roles: string[];
  disabled: boolean;
  attributes: { objectType: string };
}

interface DirectoryRole {
  id: string;
  name: string;
  attributes: { objectType: string };
}

interface UserMember {
  id: string;
  displayName: string;
  userPrincipalName: string;
  roleId: string;
  attributes: { objectType: string };
}

const INACTIVE = JSON.stringify({ Field: 'UserState', Value: 'Inactive', Operator: 'equals' });

const usersPath = (customerId: string) => `/v1/customers/${customerId}/users`;

const list = (token: string, customerId: string, query: Record<string, string> = {}) =>
  api('identity').get(usersPath(customerId)).query(query).set(bearer(token));
const getUser = (token: string, customerId: string, userId: string) =>
  api('identity')
    .get(`${usersPath(customerId)}/${userId}`)
    .set(bearer(token));
const deleteUser = (token: string, customerId: string, userId: string) =>
  api('identity')
    .delete(`${usersPath(customerId)}/${userId}`)
    .set(bearer(token));
const restoreUser = (token: string, customerId: string, userId: string, body: object = {}) =>
  api('identity')
    .patch(`${usersPath(customerId)}/${userId}`)
    .set(bearer(token))
    .send({ state: 'Active', attributes: { objectType: 'CustomerUser' }, ...body });
const rolesOfUser = (token: string, customerId: string, userId: string) =>
  api('identity')
    .get(`${usersPath(customerId)}/${userId}/directoryroles`)
    .set(bearer(token));
const directoryRoles = (token: string, customerId: string) =>
  api('identity').get(`/v1/customers/${customerId}/directoryroles`).set(bearer(token));
const members = (token: string, customerId: string, roleId: string) =>
  api('identity')
    .get(`/v1/customers/${customerId}/directoryroles/${roleId}/usermembers`)
    .set(bearer(token));
const addMember = (token: string, customerId: string, roleId: string, userId: string) =>
  api('identity')
    .post(`/v1/customers/${customerId}/directoryroles/${roleId}/usermembers`)
    .set(bearer(token))
    .send({ id: userId, attributes: { objectType: 'UserMember' } });
const removeMember = (token: string, customerId: string, roleId: string, userId: string) =>
  api('identity')
    .delete(`/v1/customers/${customerId}/directoryroles/${roleId}/usermembers/${userId}`)
    .set(bearer(token));

async function userRow(id: string) {
  const [row] = await dbRows<{
    roles: string[];
    disabled: boolean;
    soft_deleted_at: Date | null;
    sessions_revoked_at: Date | null;
  }>(
    'identity',
    'select roles, disabled, soft_deleted_at, sessions_revoked_at from user_account where id = $1',
    [id],
  );
  return row;
}

/** `response` is the very answer `unknown` got: same status, same body. */
function expectSame(response: Response, unknown: Response, status: number, code: string): void {
  expectApiError(response, status, code, 'identity');
  expect(response.status).toBe(unknown.status);
  expect(response.text).toBe(unknown.text);
}

describe("a customer's users and directory roles as Partner Center serves them", () => {
  let owner: EnrolledPartner;
  let agent: { token: string };
  let coPartner: EnrolledPartner;
  let stranger: EnrolledPartner;
  let ended: EnrolledPartner;
  let customer: CreatedCustomer;
  let customerId: string;
  let customerAdmin: { token: string };
  let adminId: string;

  beforeAll(async () => {
    [owner, coPartner, stranger, ended] = await Promise.all([
      enrollPartner({ partnerType: 'indirect_reseller', name: uniqueName('Fabrikam') }),
      enrollPartner({ partnerType: 'direct', name: uniqueName('Wingtip') }),
      enrollPartner({ partnerType: 'direct', name: uniqueName('Tailspin') }),
      enrollPartner({ partnerType: 'direct', name: uniqueName('Northwind') }),
    ]);
    agent = await addActiveUser(owner.token, ['AdminAgent'], { company: 'fabrikam' });
    customer = await createCustomer(owner, newCustomerBody({ subscriptions: [] }));
    customerId = customer.id;
    customerAdmin = await activateUser(
      customer.userCredentials.userName,
      customer.userCredentials.password,
    );
    // A co-partner without delegated admin privileges; a partner whose privileges the customer
    // revoked.
    for (const [partner, delegatedAdmin] of [
      [coPartner, false],
      [ended, true],
    ] as const) {
      const sent = await draftRelationshipRequest(partner, {
        email: customer.userCredentials.userName,
        delegatedAdmin,
      });
      await acceptRelationship(customerAdmin, tokenOfLink(sent.draft.link));
    }
    expectStatus(await list(ended.token, customerId), 200);
    expectStatus(
      await api('relationships')
        .delete(`/v1/partners/${ended.tenantId}/delegated-admin`)
        .set(bearer(customerAdmin.token)),
      200,
    );
    await eventually('the revoked privileges refused', async () =>
      (await list(ended.token, customerId)).status === 404 ? true : undefined,
    );
    const users = expectStatus<Collection<CustomerUser>>(await list(agent.token, customerId), 200);
    adminId = users.items.find(
      (u) => u.userPrincipalName === customer.userCredentials.userName,
    )!.id;
  }, 180_000);

  it('answers CustomerUser items: active users by default, deleted ones with the UserState filter', async () => {
    const added = await addCustomerUser(agent, customerId);
    const page = expectStatus<Collection<CustomerUser>>(await list(agent.token, customerId), 200);
    expect(page.items.find((u) => u.id === added.user.id)).toMatchObject({
      userPrincipalName: added.user.email,
      displayName: 'Bea Billing',
      state: 'active',
      roles: ['BillingAdmin'],
      attributes: { objectType: 'CustomerUser' },
    });
    expect(
      expectStatus<Collection<CustomerUser>>(
        await list(agent.token, customerId, { filter: INACTIVE }),
        200,
      ).items.map((u) => u.id),
    ).not.toContain(added.user.id);
  });

  it('refuses an unknown filter field, operator or value with 400 naming it, never an unfiltered list', async () => {
    const cases: [object | string, string][] = [
      [{ Field: 'CompanyName', Value: 'Ada', Operator: 'equals' }, 'CompanyName'],
      [{ Field: 'UserState', Value: 'Inactive', Operator: 'starts_with' }, 'starts_with'],
      [{ Field: 'UserState', Value: 'Sleeping', Operator: 'equals' }, 'Sleeping'],
      [{ Field: 'UserState', Value: 'Inactive', Operator: 'equals', Sort: 'x' }, 'Sort'],
      ['not json', 'JSON'],
    ];
    for (const [filter, named] of cases) {
      const response = await list(agent.token, customerId, {
        filter: typeof filter === 'string' ? filter : JSON.stringify(filter),
      });
      const error = expectApiError(response, 400, 'customer_user.invalid_filter', 'identity');
      expect(error.description).toContain(named);
    }
    expectApiError(
      await list(agent.token, customerId, { state: 'inactive' }),
      400,
      'request.invalid',
    );
  });

  it('deletes softly: inactive with softDeletionTime, sign-in refused and sessions revoked at once, restorable', async () => {
    const added = await addCustomerUser(agent, customerId);
    const { password } = await activateUser(added.user.email, added.temporaryPassword);
    const session = await signInPair(added.user.email, password);

    expect((await deleteUser(agent.token, customerId, added.user.id)).status).toBe(204);
    const row = await userRow(added.user.id);
    expect(row).toMatchObject({ disabled: true });
    expect(row.soft_deleted_at).toBeInstanceOf(Date);
    expect(row.sessions_revoked_at).toBeInstanceOf(Date);
    expectApiError(await refresh(session.refreshToken), 401, 'auth.invalid_refresh_token');
    expectApiError(
      await api('identity').post('/v1/auth/token').send({ email: added.user.email, password }),
      401,
      'auth.invalid_credentials',
    );
    await eventually(
      'the access token refused',
      async () => {
        const response = await api('identity').get('/v1/me').set(bearer(session.accessToken));
        return response.status === 401 ? response : undefined;
      },
      5_000,
      250,
    );

    const deleted = expectStatus<CustomerUser>(
      await getUser(agent.token, customerId, added.user.id),
      200,
    );
    expect(deleted).toMatchObject({ id: added.user.id, state: 'inactive', disabled: true });
    expect(typeof deleted.softDeletionTime).toBe('string');
    expect(
      expectStatus<Collection<CustomerUser>>(await list(agent.token, customerId), 200).items.map(
        (u) => u.id,
      ),
    ).not.toContain(added.user.id);
    expect(
      expectStatus<Collection<CustomerUser>>(
        await list(agent.token, customerId, { filter: INACTIVE }),
        200,
      ).items.find((u) => u.id === added.user.id),
    ).toMatchObject({ state: 'inactive', softDeletionTime: deleted.softDeletionTime });
    // Nothing else changes a deleted user: a second delete, a password reset, a role.
    expectApiError(await deleteUser(agent.token, customerId, added.user.id), 404, 'user.not_found');
    expectApiError(
      await api('identity')
        .post(`${usersPath(customerId)}/${added.user.id}/password-reset`)
        .set(bearer(agent.token)),
      404,
      'user.not_found',
    );
    expectApiError(
      await removeMember(agent.token, customerId, BILLING_ADMINISTRATOR, added.user.id),
      404,
      'user.not_found',
    );

    // Restore: active and enabled again, the old password signs in.
    const restored = expectStatus<CustomerUser>(
      await restoreUser(agent.token, customerId, added.user.id),
      200,
    );
    expect(restored).toMatchObject({ state: 'active', disabled: false });
    expect(restored.softDeletionTime).toBeUndefined();
    expect(await userRow(added.user.id)).toMatchObject({ disabled: false, soft_deleted_at: null });
    expect((await signInPair(added.user.email, password)).accessToken).toEqual(expect.any(String));
    // Restoring an active user answers it as it is.
    expect(
      expectStatus<CustomerUser>(await restoreUser(agent.token, customerId, added.user.id), 200)
        .state,
    ).toBe('active');
    // A PATCH makes no other change.
    expectApiError(
      await restoreUser(agent.token, customerId, added.user.id, { state: 'inactive' }),
      400,
      'request.invalid',
    );
    expectApiError(
      await restoreUser(agent.token, customerId, added.user.id, { firstName: 'Eve' }),
      400,
      'request.invalid',
    );
  });

  it('keeps a deleted user restorable for the retention only: older, it is not found', async () => {
    const added = await addCustomerUser(agent, customerId);
    expect((await deleteUser(agent.token, customerId, added.user.id)).status).toBe(204);
    await dbRows(
      'identity',
      `update user_account set soft_deleted_at = now() - interval '31 days' where id = $1`,
      [added.user.id],
    );
    expectApiError(
      await restoreUser(agent.token, customerId, added.user.id),
      404,
      'user.not_found',
    );
    expect(await userRow(added.user.id)).toMatchObject({ disabled: true });
    // The shared system's purge would delete this backdated row at its next tick, in the middle of
    // whichever test runs then (the fuzz run counts every write); remove it now, as the purge would
    // (the purge itself: test/integration/retention.int-spec.ts).
    await dbRows('identity', 'delete from user_account where id = $1', [added.user.id]);
  });

  it('refuses to delete a Global admin (403) and to delete or demote the last one (409); nothing written', async () => {
    const before = await userRow(adminId);
    expectApiError(
      await deleteUser(agent.token, customerId, adminId),
      409,
      'user.last_global_admin',
    );
    expectApiError(
      await removeMember(agent.token, customerId, COMPANY_ADMINISTRATOR, adminId),
      409,
      'user.last_global_admin',
    );
    const second = await addActiveUser(customerAdmin.token, ['GlobalAdmin'], { company: 'adatum' });
    expectApiError(
      await deleteUser(agent.token, customerId, second.user.id),
      403,
      'user.role_not_grantable',
    );
    const manager = await addActiveUser(customerAdmin.token, ['UserManagementAdmin'], {
      company: 'adatum',
    });
    expectApiError(
      await deleteUser(agent.token, customerId, manager.user.id),
      403,
      'user.role_not_grantable',
    );
    expect(await userRow(adminId)).toEqual(before);
    expect(await userRow(second.user.id)).toMatchObject({ soft_deleted_at: null });
  });

  it("lists the customer's directory roles by their Entra role template ids, and a user's roles", async () => {
    const roles = expectStatus<Collection<DirectoryRole>>(
      await directoryRoles(agent.token, customerId),
      200,
    );
    expect(roles.items).toEqual([
      {
        id: COMPANY_ADMINISTRATOR,
        name: 'Company Administrator',
        attributes: { objectType: 'DirectoryRole' },
      },
      {
        id: USER_ACCOUNT_ADMINISTRATOR,
        name: 'User Account Administrator',
        attributes: { objectType: 'DirectoryRole' },
      },
      {
        id: BILLING_ADMINISTRATOR,
        name: 'Billing Administrator',
        attributes: { objectType: 'DirectoryRole' },
      },
    ]);
    expect(
      expectStatus<Collection<DirectoryRole>>(
        await rolesOfUser(agent.token, customerId, adminId),
        200,
      ).items.map((r) => r.id),
    ).toEqual([COMPANY_ADMINISTRATOR]);
    const admins = expectStatus<Collection<UserMember>>(
      await members(agent.token, customerId, COMPANY_ADMINISTRATOR),
      200,
    );
    expect(admins.items.find((m) => m.id === adminId)).toEqual({
      id: adminId,
      displayName: expect.any(String) as unknown,
      userPrincipalName: customer.userCredentials.userName,
      roleId: COMPANY_ADMINISTRATOR,
      attributes: { objectType: 'UserMember' },
    });
    expectApiError(
      await members(agent.token, customerId, DIRECTORY_WRITERS),
      404,
      'directory_role.not_found',
    );
    expectApiError(await rolesOfUser(agent.token, customerId, randomUUID()), 404, 'user.not_found');
  });

  it('adds and removes role members under the role-grant rules', async () => {
    const plain = await addCustomerUser(agent, customerId, []);
    expect(plain.user.roles).toEqual([]);

    const added = expectStatus<UserMember>(
      await addMember(agent.token, customerId, BILLING_ADMINISTRATOR, plain.user.id),
      201,
    );
    expect(added).toMatchObject({
      id: plain.user.id,
      userPrincipalName: plain.user.email,
      roleId: BILLING_ADMINISTRATOR,
      attributes: { objectType: 'UserMember' },
    });
    expect((await userRow(plain.user.id)).roles).toEqual(['BillingAdmin']);
    expect(
      expectStatus<Collection<UserMember>>(
        await members(agent.token, customerId, BILLING_ADMINISTRATOR),
        200,
      ).items.map((m) => m.id),
    ).toContain(plain.user.id);
    expectApiError(
      await addMember(agent.token, customerId, BILLING_ADMINISTRATOR, plain.user.id),
      409,
      'directory_role.member_exists',
    );
    // A partner grants neither Global admin nor User management admin.
    for (const roleId of [COMPANY_ADMINISTRATOR, USER_ACCOUNT_ADMINISTRATOR]) {
      expectApiError(
        await addMember(agent.token, customerId, roleId, plain.user.id),
        403,
        'user.role_not_grantable',
      );
    }
    expect((await userRow(plain.user.id)).roles).toEqual(['BillingAdmin']);

    expect(
      (await removeMember(agent.token, customerId, BILLING_ADMINISTRATOR, plain.user.id)).status,
    ).toBe(204);
    expect((await userRow(plain.user.id)).roles).toEqual([]);
    expectApiError(
      await removeMember(agent.token, customerId, BILLING_ADMINISTRATOR, plain.user.id),
      404,
      'directory_role.member_not_found',
    );
    // No partner takes Global admin from anyone (the customer has two by now).
    expectApiError(
      await removeMember(agent.token, customerId, COMPANY_ADMINISTRATOR, adminId),
      403,
      'user.role_not_grantable',
    );
    expect((await userRow(adminId)).roles).toEqual(['GlobalAdmin']);
    expectApiError(
      await addMember(agent.token, customerId, BILLING_ADMINISTRATOR, randomUUID()),
      404,
      'user.not_found',
    );
    expectApiError(
      await addMember(agent.token, customerId, DIRECTORY_WRITERS, plain.user.id),
      404,
      'directory_role.not_found',
    );
  });

  it('answers a stranger, a co-partner without privileges and a partner whose privileges ended as for an unknown customer', async () => {
    const target: AddedUser = await addCustomerUser(agent, customerId);
    const before = await userRow(target.user.id);
    const calls: ((token: string, id: string) => Promise<Response>)[] = [
      (token, id) => getUser(token, id, target.user.id),
      (token, id) => deleteUser(token, id, target.user.id),
      (token, id) => restoreUser(token, id, target.user.id),
      (token, id) => rolesOfUser(token, id, target.user.id),
      (token, id) => directoryRoles(token, id),
      (token, id) => members(token, id, BILLING_ADMINISTRATOR),
      (token, id) => addMember(token, id, BILLING_ADMINISTRATOR, target.user.id),
      (token, id) => removeMember(token, id, BILLING_ADMINISTRATOR, target.user.id),
      (token, id) => list(token, id, { filter: INACTIVE }),
    ];
    for (const outsider of [stranger, coPartner, ended]) {
      for (const call of calls) {
        const response = await call(outsider.token, customerId);
        expectSame(response, await call(outsider.token, randomUUID()), 404, 'customer.not_found');
        expect(response.text).not.toContain(target.user.email);
      }
    }
    expect(await userRow(target.user.id)).toEqual(before);
  });

  it("lets only the partner's Global admin and Admin agents act through its delegated admin privileges (the other roles: as for a customer that exists nowhere)", async () => {
    const [sales, helpdesk, billing, users] = await Promise.all(
      [['SalesAgent'], ['HelpdeskAgent'], ['BillingAdmin'], ['UserManagementAdmin']].map((roles) =>
        addActiveUser(owner.token, roles, { company: 'fabrikam' }),
      ),
    );
    const target = await addCustomerUser(agent, customerId);
    for (const caller of [sales, helpdesk, billing, users]) {
      expectApiError(await directoryRoles(caller.token, customerId), 404, 'customer.not_found');
      expectApiError(
        await deleteUser(caller.token, customerId, target.user.id),
        404,
        'customer.not_found',
      );
      expectApiError(
        await addMember(caller.token, customerId, BILLING_ADMINISTRATOR, target.user.id),
        404,
        'customer.not_found',
      );
    }
    expectStatus(await directoryRoles(owner.token, customerId), 200);
    expect((await deleteUser(owner.token, customerId, target.user.id)).status).toBe(204);
    expectStatus(await restoreUser(owner.token, customerId, target.user.id), 200);
    // The customer's own admins use /v1/users, not the partner's route.
    expectApiError(await directoryRoles(customerAdmin.token, customerId), 403, 'auth.forbidden');
  });
});
