import type { Response } from 'supertest';
import {
  activePartner,
  addActiveUser,
  addUser,
  api,
  bearer,
  countRows,
  dbRows,
  enrollPartner,
  expectApiError,
  expectStatus,
  signIn,
  signUpCustomer,
  uniqueEmail,
  uniqueName,
  type ActivePartner,
  type AddedUser,
  type ApiError,
  type Collection,
  type EnrolledPartner,
  type SignedUpCustomer,
  type UserView,
  errorCode,
} from '../support';

/**
 * User management of an organisation (seed 004 "Add a new user", "Assign user permissions";
 * DESIGN.md "User", "Roles"), `/v1/users`: a user added with a temporary password shown once and
 * stored as a hash only, listed, its roles changed (only roles of the tenant's kind), removed;
 * password reset with a new temporary password, disable and enable, the status in the list; the
 * last Global admin is never demoted, disabled nor removed (also under concurrency); the
 * permission and the role-grant table (a User management admin neither grants Global admin nor
 * changes a Global admin; a demoted admin loses its reach at once); another tenant's user is 404.
 * The same routes for a provider in its reseller's organisation are in admin-access.e2e-spec.ts,
 * for a partner in its customer's in customer-users.e2e-spec.ts.
 */

interface UserRow {
  roles: string[];
  disabled: boolean;
  password_temporary: boolean;
  sessions_revoked_at: Date | null;
  password_hash: string;
}

async function userRow(id: string): Promise<UserRow | undefined> {
  const [row] = await dbRows<UserRow>(
    'identity',
    'select roles, disabled, password_temporary, sessions_revoked_at, password_hash from user_account where id = $1',
    [id],
  );
  return row;
}

async function enabledGlobalAdmins(tenantId: string): Promise<string[]> {
  const rows = await dbRows<{ id: string }>(
    'identity',
    `select id from user_account where tenant_id = $1 and not disabled and roles @> '["GlobalAdmin"]'::jsonb`,
    [tenantId],
  );
  return rows.map((r) => r.id);
}

const post = (token: string, path: string) => api('identity').post(path).set(bearer(token));

const patchRoles = (token: string, id: string, roles: string[]) =>
  api('identity').patch(`/v1/users/${id}`).set(bearer(token)).send({ roles });

async function listUsers(token: string): Promise<UserView[]> {
  return expectStatus<Collection<UserView>>(
    await api('identity').get('/v1/users?size=100').set(bearer(token)),
    200,
  ).items;
}

/** Signing in answers this (a 401 of the same body for every wrong credential). */
async function signInResponse(email: string, password: string): Promise<Response> {
  return api('identity').post('/v1/auth/token').send({ email, password });
}

/** An indirect provider in New Zealand, active: another tenant. */
let provider: ActivePartner;
/** An indirect reseller in New Zealand, active. */
let reseller: ActivePartner;
/** An indirect reseller whose users the password, disable and role-grant tests change. */
let partner: EnrolledPartner;

beforeAll(async () => {
  [provider, reseller, partner] = await Promise.all([
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
    enrollPartner({ partnerType: 'indirect_reseller', name: uniqueName('Fabrikam') }),
  ]);
}, 120_000);

describe('user management (/v1/users)', () => {
  it('adds a user with a temporary password shown once, lists, changes roles and removes it', async () => {
    const email = uniqueEmail('helpdesk', 'fabrikam');
    const response = await api('identity')
      .post('/v1/users')
      .set(bearer(reseller.token))
      .send({ firstName: 'Hana', lastName: 'Helpdesk', email, roles: ['HelpdeskAgent'] });
    const added = expectStatus<AddedUser>(response, 201);
    expect(added.user).toMatchObject({
      email,
      firstName: 'Hana',
      lastName: 'Helpdesk',
      roles: ['HelpdeskAgent'],
      passwordTemporary: true,
      disabled: false,
    });
    expect(added.temporaryPassword).toEqual(expect.any(String));
    expect(added.temporaryPassword.length).toBeGreaterThanOrEqual(12);
    // Stored only as a hash.
    const stored = await dbRows<{ password_hash: string; tenant_id: string }>(
      'identity',
      'select "password_hash", "tenant_id" from "user_account" where "email" = $1',
      [email],
    );
    expect(stored).toHaveLength(1);
    expect(stored[0].tenant_id).toBe(reseller.tenantId);
    expect(stored[0].password_hash).not.toContain(added.temporaryPassword);
    expect(stored[0].password_hash).toMatch(/^\$argon2id\$/);

    const list = await api('identity').get('/v1/users').set(bearer(reseller.token));
    const users = expectStatus<Collection<UserView>>(list, 200);
    expect(users.attributes.objectType).toBe('Collection');
    const listed = users.items.find((u) => u.id === added.user.id);
    expect(listed).toMatchObject({ email, roles: ['HelpdeskAgent'], passwordTemporary: true });
    expect(users.items.map((u) => u.email)).toEqual(expect.arrayContaining([reseller.adminEmail]));
    // The temporary password (and any hash) is never shown again.
    expect(list.text).not.toContain(added.temporaryPassword);
    expect(list.text).not.toMatch(/password_?hash|argon2/i);
    expect(Object.keys(listed ?? {})).not.toContain('temporaryPassword');

    // The same email again is refused.
    expectApiError(
      await api('identity')
        .post('/v1/users')
        .set(bearer(reseller.token))
        .send({ firstName: 'Hana', lastName: 'Again', email, roles: ['HelpdeskAgent'] }),
      409,
      'user.email_taken',
    );

    const updated = expectStatus<UserView>(
      await api('identity')
        .patch(`/v1/users/${added.user.id}`)
        .set(bearer(reseller.token))
        .send({ roles: ['SalesAgent', 'BillingAdmin'] }),
      200,
    );
    expect([...updated.roles].sort()).toEqual(['BillingAdmin', 'SalesAgent']);
    const after = expectStatus<Collection<UserView>>(
      await api('identity').get('/v1/users').set(bearer(reseller.token)),
      200,
    );
    expect([...(after.items.find((u) => u.id === added.user.id)?.roles ?? [])].sort()).toEqual([
      'BillingAdmin',
      'SalesAgent',
    ]);

    expect(
      (await api('identity').delete(`/v1/users/${added.user.id}`).set(bearer(reseller.token)))
        .status,
    ).toBe(204);
    const remaining = expectStatus<Collection<UserView>>(
      await api('identity').get('/v1/users').set(bearer(reseller.token)),
      200,
    );
    expect(remaining.items.some((u) => u.id === added.user.id)).toBe(false);
    expect(
      await countRows('identity', 'select count(*) as n from "user_account" where "id" = $1', [
        added.user.id,
      ]),
    ).toBe(0);
    expectApiError(
      await api('identity').delete(`/v1/users/${added.user.id}`).set(bearer(reseller.token)),
      404,
      'user.not_found',
    );
  });

  it('refuses a role that the tenant kind does not have (400)', async () => {
    const customer = await signUpCustomer();
    for (const [token, roles, company] of [
      [reseller.token, ['Operator'], 'fabrikam'],
      [reseller.token, ['GlobalAdmin', 'Superuser'], 'fabrikam'],
      [reseller.token, [], 'fabrikam'],
      [customer.token, ['AdminAgent'], 'northwind'],
      [customer.token, ['SalesAgent'], 'northwind'],
    ] as const) {
      const email = uniqueEmail('role', company);
      expectApiError(
        await api('identity')
          .post('/v1/users')
          .set(bearer(token))
          .send({ firstName: 'Rae', lastName: 'Role', email, roles }),
        400,
        'user.invalid_role',
      );
      expect(
        await countRows('identity', 'select count(*) as n from "user_account" where "email" = $1', [
          email,
        ]),
      ).toBe(0);
    }
    // A change of roles is checked the same way and changes nothing.
    const added = await addUser(customer.token, ['BillingAdmin'], { company: 'northwind' });
    expectApiError(
      await api('identity')
        .patch(`/v1/users/${added.user.id}`)
        .set(bearer(customer.token))
        .send({ roles: ['HelpdeskAgent'] }),
      400,
      'user.invalid_role',
    );
    const roles = await dbRows<{ roles: string[] }>(
      'identity',
      'select "roles" from "user_account" where "id" = $1',
      [added.user.id],
    );
    expect(roles[0]?.roles).toEqual(['BillingAdmin']);
    // A customer's own roles are accepted.
    expectStatus(
      await api('identity')
        .patch(`/v1/users/${added.user.id}`)
        .set(bearer(customer.token))
        .send({ roles: ['UserManagementAdmin'] }),
      200,
    );
  });

  it('never demotes nor removes the last Global admin (409)', async () => {
    const customer: SignedUpCustomer = await signUpCustomer();
    expectApiError(
      await api('identity')
        .patch(`/v1/users/${customer.userId}`)
        .set(bearer(customer.token))
        .send({ roles: ['UserManagementAdmin'] }),
      409,
      'user.last_global_admin',
    );
    expectApiError(
      await api('identity').delete(`/v1/users/${customer.userId}`).set(bearer(customer.token)),
      409,
      'user.last_global_admin',
    );
    const row = await dbRows<{ roles: string[] }>(
      'identity',
      'select "roles" from "user_account" where "id" = $1',
      [customer.userId],
    );
    expect(row[0]?.roles).toEqual(['GlobalAdmin']);
    // With a second Global admin, the first may step down.
    await addUser(customer.token, ['GlobalAdmin'], { company: 'northwind' });
    const demoted = expectStatus<UserView>(
      await api('identity')
        .patch(`/v1/users/${customer.userId}`)
        .set(bearer(customer.token))
        .send({ roles: ['UserManagementAdmin'] }),
      200,
    );
    expect(demoted.roles).toEqual(['UserManagementAdmin']);
  });

  it('refuses a role without the permission (a Sales agent adding a user: 403)', async () => {
    const sales = await addActiveUser(reseller.token, ['SalesAgent'], { company: 'fabrikam' });
    const email = uniqueEmail('sneaky', 'fabrikam');
    const error = expectApiError(
      await api('identity')
        .post('/v1/users')
        .set(bearer(sales.token))
        .send({ firstName: 'Sly', lastName: 'Sales', email, roles: ['GlobalAdmin'] }),
      403,
      'auth.forbidden',
    );
    expect(error.data).toMatchObject([{ permission: 'users.manage' }]);
    expect(
      await countRows('identity', 'select count(*) as n from "user_account" where "email" = $1', [
        email,
      ]),
    ).toBe(0);
    expectApiError(
      await api('identity').get('/v1/users').set(bearer(sales.token)),
      403,
      'auth.forbidden',
    );
  });

  it("answers another tenant's user id with 404 and nothing about it", async () => {
    const victim = await addUser(provider.token, ['HelpdeskAgent']);
    for (const response of [
      await api('identity')
        .patch(`/v1/users/${victim.user.id}`)
        .set(bearer(reseller.token))
        .send({ roles: ['GlobalAdmin'] }),
      await api('identity').delete(`/v1/users/${victim.user.id}`).set(bearer(reseller.token)),
    ]) {
      expectApiError(response, 404, 'user.not_found');
      expect(response.text).not.toContain(victim.user.email);
      expect(response.text).not.toContain(victim.user.id);
      expect(response.text).not.toContain(provider.tenantId);
    }
    const row = await dbRows<{ roles: string[]; tenant_id: string }>(
      'identity',
      'select "roles", "tenant_id" from "user_account" where "id" = $1',
      [victim.user.id],
    );
    expect(row).toEqual([{ roles: ['HelpdeskAgent'], tenant_id: provider.tenantId }]);
    // An unknown id answers exactly the same.
    const unknown = await api('identity')
      .delete('/v1/users/00000000-0000-4000-8000-000000000000')
      .set(bearer(reseller.token));
    expect(unknown.status).toBe(404);
    expect((unknown.body as ApiError).description).toBe(
      (
        (await api('identity').delete(`/v1/users/${victim.user.id}`).set(bearer(reseller.token)))
          .body as ApiError
      ).description,
    );
  });

  it('answers 401 without a token or with a malformed one', async () => {
    expectApiError(await api('identity').get('/v1/users'), 401, 'auth.unauthenticated');
    expectApiError(
      await api('identity')
        .post('/v1/users')
        .send({ firstName: 'No', lastName: 'Token', email: uniqueEmail(), roles: ['SalesAgent'] }),
      401,
      'auth.unauthenticated',
    );
    expectApiError(
      await api('identity').get('/v1/users').set('Authorization', 'Bearer not-a-jwt'),
      401,
      'auth.unauthenticated',
    );
    expectApiError(
      await api('identity').get('/v1/users').set('Authorization', reseller.token),
      401,
      'auth.unauthenticated',
    );
  });
});

describe('password reset (POST /v1/users/{id}/password-reset)', () => {
  it('sets a new temporary password shown once, revokes sessions, and the user must change it', async () => {
    const user = await addActiveUser(partner.token, ['SalesAgent'], { company: 'fabrikam' });
    // Changing the temporary password (addActiveUser) already revoked the earlier sessions.
    const revokedBefore = (await userRow(user.user.id))?.sessions_revoked_at as Date | null;

    const response = await post(partner.token, `/v1/users/${user.user.id}/password-reset`);
    const reset = expectStatus<AddedUser>(response, 200);
    expect(Object.keys(reset).sort()).toEqual(['temporaryPassword', 'user']);
    expect(reset.user).toMatchObject({
      id: user.user.id,
      passwordTemporary: true,
      status: 'password_change_required',
      disabled: false,
    });
    expect(reset.temporaryPassword.length).toBeGreaterThanOrEqual(12);
    const row = await userRow(user.user.id);
    expect(row?.password_temporary).toBe(true);
    expect(row?.sessions_revoked_at).toBeInstanceOf(Date);
    expect((row?.sessions_revoked_at as Date).getTime()).toBeGreaterThan(
      revokedBefore?.getTime() ?? 0,
    );
    expect(row?.password_hash).toMatch(/^\$argon2id\$/);
    expect(row?.password_hash).not.toContain(reset.temporaryPassword);

    // The chosen password no longer works; the temporary one signs in for a change only.
    expectApiError(
      await signInResponse(user.user.email, user.password),
      401,
      'auth.invalid_credentials',
    );
    const session = await signIn(user.user.email, reset.temporaryPassword);
    expect(session.passwordChangeRequired).toBe(true);
    expectApiError(
      await api('identity').get('/v1/partner-profile').set(bearer(session.accessToken)),
      403,
      'auth.password_change_required',
    );
    // Shown once: the list never carries it.
    const list = await api('identity').get('/v1/users?size=100').set(bearer(partner.token));
    expect(list.text).not.toContain(reset.temporaryPassword);
  });

  it("refuses the caller's own account (409 user.own_account) and another tenant's user (404)", async () => {
    const [me] = (await listUsers(partner.token)).filter((u) => u.email === partner.email);
    const before = await userRow(me.id);
    const error = expectApiError(
      await post(partner.token, `/v1/users/${me.id}/password-reset`),
      409,
      'user.own_account',
    );
    expect(error.description).toContain('/v1/auth/password');
    expect((await userRow(me.id))?.password_hash).toBe(before?.password_hash);

    const customer = await signUpCustomer();
    const response = await post(partner.token, `/v1/users/${customer.userId}/password-reset`);
    expectApiError(response, 404, 'user.not_found');
    expect(response.text).not.toContain(customer.email);
    expect((await signIn(customer.email, customer.password)).passwordChangeRequired).toBe(false);
  });
});

describe('disable and enable (POST /v1/users/{id}/disable, /enable)', () => {
  it('a disabled user cannot sign in, is listed as disabled, and signs in again once enabled', async () => {
    const user = await addActiveUser(partner.token, ['HelpdeskAgent'], { company: 'fabrikam' });
    const disabled = expectStatus<UserView>(
      await post(partner.token, `/v1/users/${user.user.id}/disable`),
      200,
    );
    expect(disabled).toMatchObject({ id: user.user.id, disabled: true, status: 'disabled' });
    const row = await userRow(user.user.id);
    expect(row).toMatchObject({ disabled: true });
    expect(row?.sessions_revoked_at).toBeInstanceOf(Date);

    // The same 401 as a wrong password: nothing tells that the account exists.
    const refused = expectApiError(
      await signInResponse(user.user.email, user.password),
      401,
      'auth.invalid_credentials',
    );
    const wrong = (await signInResponse(user.user.email, `${user.password}x`)).body as ApiError;
    expect(refused.description).toBe(wrong.description);

    const listed = (await listUsers(partner.token)).find((u) => u.id === user.user.id);
    expect(listed).toMatchObject({ roles: ['HelpdeskAgent'], disabled: true, status: 'disabled' });
    const others = (await listUsers(partner.token)).find((u) => u.email === partner.email);
    expect(others).toMatchObject({ disabled: false, status: 'active' });

    // Idempotent.
    expectStatus(await post(partner.token, `/v1/users/${user.user.id}/disable`), 200);

    const enabled = expectStatus<UserView>(
      await post(partner.token, `/v1/users/${user.user.id}/enable`),
      200,
    );
    expect(enabled).toMatchObject({ disabled: false, status: 'active' });
    expect((await signIn(user.user.email, user.password)).passwordChangeRequired).toBe(false);
  });

  it('refuses to disable yourself (409 user.own_account)', async () => {
    const customer = await signUpCustomer();
    await addUser(customer.token, ['GlobalAdmin'], { company: 'northwind' });
    expectApiError(
      await post(customer.token, `/v1/users/${customer.userId}/disable`),
      409,
      'user.own_account',
    );
    expect((await userRow(customer.userId))?.disabled).toBe(false);
  });

  it('a disabled Global admin no longer counts: the last enabled one can be neither demoted nor removed', async () => {
    const customer = await signUpCustomer();
    const second = await addActiveUser(customer.token, ['GlobalAdmin'], { company: 'northwind' });
    expectStatus(await post(customer.token, `/v1/users/${second.user.id}/disable`), 200);
    // The disabled Global admin may be demoted or removed; the first is now the last.
    expectApiError(
      await patchRoles(customer.token, customer.userId, ['UserManagementAdmin']),
      409,
      'user.last_global_admin',
    );
    // Enabling the second makes it count again.
    expectStatus(await post(customer.token, `/v1/users/${second.user.id}/enable`), 200);
    expect((await enabledGlobalAdmins(customer.tenantId)).sort()).toEqual(
      [customer.userId, second.user.id].sort(),
    );
    expectStatus(await patchRoles(customer.token, customer.userId, ['UserManagementAdmin']), 200);
    expect(await enabledGlobalAdmins(customer.tenantId)).toEqual([second.user.id]);
  });
});

describe('the last Global admin under concurrency', () => {
  /** A customer with exactly two Global admins, both signed in. */
  async function twoGlobalAdmins(): Promise<{
    customer: SignedUpCustomer;
    other: { token: string; user: UserView };
  }> {
    const customer = await signUpCustomer();
    const other = await addActiveUser(customer.token, ['GlobalAdmin'], { company: 'northwind' });
    return { customer, other };
  }

  it('two Global admins demoting each other at once leave one (200 and 409), in every attempt', async () => {
    const orgs = await Promise.all(Array.from({ length: 4 }, () => twoGlobalAdmins()));
    const outcomes = await Promise.all(
      orgs.map(({ customer, other }) =>
        Promise.all([
          patchRoles(customer.token, other.user.id, ['UserManagementAdmin']),
          patchRoles(other.token, customer.userId, ['UserManagementAdmin']),
        ]),
      ),
    );
    for (const [i, responses] of outcomes.entries()) {
      expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
      const loser = responses.find((r) => r.status === 409);
      expect((loser?.body as ApiError).code).toBe(errorCode('user.last_global_admin'));
      expect(await enabledGlobalAdmins(orgs[i].customer.tenantId)).toHaveLength(1);
    }
  });

  it('two Global admins disabling or removing each other at once leave one', async () => {
    const orgs = await Promise.all(Array.from({ length: 4 }, () => twoGlobalAdmins()));
    const outcomes = await Promise.all(
      orgs.map(({ customer, other }, i) =>
        Promise.all([
          i % 2 === 0
            ? post(customer.token, `/v1/users/${other.user.id}/disable`)
            : api('identity').delete(`/v1/users/${other.user.id}`).set(bearer(customer.token)),
          post(other.token, `/v1/users/${customer.userId}/disable`),
        ]),
      ),
    );
    for (const [i, responses] of outcomes.entries()) {
      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((s) => s === 200 || s === 204)).toHaveLength(1);
      const loser = responses.find((r) => r.status !== 200 && r.status !== 204);
      // The loser is refused because it would leave no Global admin, or because it was itself
      // disabled or removed a moment ago.
      expect(['user.last_global_admin', 'auth.unauthenticated'].map(errorCode)).toContain(
        (loser?.body as ApiError).code,
      );
      expect(await enabledGlobalAdmins(orgs[i].customer.tenantId)).toHaveLength(1);
    }
  });
});

describe('the role-grant table (403 user.role_not_grantable)', () => {
  let userAdmin: { token: string; user: UserView };
  let globalAdminId: string;

  beforeAll(async () => {
    userAdmin = await addActiveUser(partner.token, ['UserManagementAdmin'], {
      company: 'fabrikam',
    });
    // A second Global admin: the first is not the last one, so only the grant table refuses.
    globalAdminId = (await addUser(partner.token, ['GlobalAdmin'], { company: 'fabrikam' })).user
      .id;
  });

  it('lets a User management admin add, change and reset users below Global admin', async () => {
    const added = expectStatus<AddedUser>(
      await api('identity')
        .post('/v1/users')
        .set(bearer(userAdmin.token))
        .send({
          firstName: 'Sal',
          lastName: 'Sales',
          email: uniqueEmail('sal', 'fabrikam'),
          roles: ['SalesAgent', 'BillingAdmin'],
        }),
      201,
    );
    expectStatus(
      await patchRoles(userAdmin.token, added.user.id, ['AdminAgent', 'UserManagementAdmin']),
      200,
    );
    expectStatus(await post(userAdmin.token, `/v1/users/${added.user.id}/password-reset`), 200);
    expectStatus(await post(userAdmin.token, `/v1/users/${added.user.id}/disable`), 200);
    expect(
      (await api('identity').delete(`/v1/users/${added.user.id}`).set(bearer(userAdmin.token)))
        .status,
    ).toBe(204);
  });

  it('refuses a User management admin to grant Global admin, naming the role, and writes nothing', async () => {
    const email = uniqueEmail('ga', 'fabrikam');
    const error = expectApiError(
      await api('identity')
        .post('/v1/users')
        .set(bearer(userAdmin.token))
        .send({ firstName: 'Gus', lastName: 'Grab', email, roles: ['SalesAgent', 'GlobalAdmin'] }),
      403,
      'user.role_not_grantable',
    );
    expect(error.description).toContain('GlobalAdmin');
    expect(error.data).toMatchObject([{ roles: ['GlobalAdmin'] }]);
    expect((error.data[0] as { grantable: string[] }).grantable).not.toContain('GlobalAdmin');
    expect(
      await dbRows('identity', 'select 1 from user_account where email = $1', [email]),
    ).toEqual([]);

    const sales = await addUser(partner.token, ['SalesAgent'], { company: 'fabrikam' });
    expectApiError(
      await patchRoles(userAdmin.token, sales.user.id, ['SalesAgent', 'GlobalAdmin']),
      403,
      'user.role_not_grantable',
    );
    expect((await userRow(sales.user.id))?.roles).toEqual(['SalesAgent']);
    // Nor promote itself.
    expectApiError(
      await patchRoles(userAdmin.token, userAdmin.user.id, ['UserManagementAdmin', 'GlobalAdmin']),
      403,
      'user.role_not_grantable',
    );
  });

  it('refuses a User management admin to change a Global admin in any way', async () => {
    const before = await userRow(globalAdminId);
    for (const response of [
      await patchRoles(userAdmin.token, globalAdminId, ['GlobalAdmin', 'SalesAgent']),
      await post(userAdmin.token, `/v1/users/${globalAdminId}/password-reset`),
      await post(userAdmin.token, `/v1/users/${globalAdminId}/disable`),
      await api('identity').delete(`/v1/users/${globalAdminId}`).set(bearer(userAdmin.token)),
    ]) {
      const error = expectApiError(response, 403, 'user.role_not_grantable');
      expect(error.data).toMatchObject([{ roles: ['GlobalAdmin'] }]);
    }
    expect(await userRow(globalAdminId)).toEqual(before);
  });

  it('refuses the token of a demoted admin at once (its roles were taken away, issue 9 point 11)', async () => {
    const customer = await signUpCustomer();
    const demoted = await addActiveUser(customer.token, ['GlobalAdmin'], { company: 'northwind' });
    expectStatus(await patchRoles(customer.token, demoted.user.id, ['UserManagementAdmin']), 200);
    // Its token still says Global admin: it is revoked, so it reaches nothing (the service would
    // judge by the roles the caller holds now anyway).
    expectApiError(
      await api('identity')
        .post('/v1/users')
        .set(bearer(demoted.token))
        .send({
          firstName: 'Old',
          lastName: 'Token',
          email: uniqueEmail('old', 'northwind'),
          roles: ['GlobalAdmin'],
        }),
      401,
      'auth.unauthenticated',
    );
    expectApiError(
      await post(demoted.token, `/v1/users/${customer.userId}/password-reset`),
      401,
      'auth.unauthenticated',
    );
    // A removed user's token changes nothing either.
    const removed = await addActiveUser(customer.token, ['GlobalAdmin'], { company: 'northwind' });
    expect(
      (await api('identity').delete(`/v1/users/${removed.user.id}`).set(bearer(customer.token)))
        .status,
    ).toBe(204);
    expectApiError(
      await post(removed.token, `/v1/users/${demoted.user.id}/disable`),
      401,
      'auth.unauthenticated',
    );
    expect((await userRow(demoted.user.id))?.disabled).toBe(false);
  });
});
