import { randomUUID } from 'node:crypto';
import {
  addUser,
  api,
  bearer,
  dbRows,
  enrollPartner,
  eventually,
  expectApiError,
  expectStatus,
  newCustomerUserBody,
  uniqueName,
  type AddedUser,
} from '../support';
import {
  GDAP_PATH,
  ROLE,
  activeGdap,
  gdapChannel,
  gdapRequest,
  type GdapChannel,
  type GdapRelationship,
} from '../support/relationships/gdap';
import {
  assign,
  createGroup,
  deleteAssignment,
  getAssignment,
  groupMember,
  removeMember,
} from '../support/relationships/gdap-access';

/**
 * Issue 10 part 2: every delegated call (a partner user acting in a customer's organisation with
 * its own identity: the customer-users routes) is checked at the time of the call. Through GDAP:
 * an active, unexpired relationship, membership of a security group with an active access
 * assignment on it, and a role of that assignment allowing the operation (users.read: Directory
 * Readers, Helpdesk/User/Global Administrator; users.create: User/Global Administrator;
 * users.password_reset: Helpdesk/User/Global Administrator, Helpdesk only for users holding no
 * administrator role). Every refusal is tried with the same caller that succeeded a moment before,
 * with dates written into rows (never waiting): no relationship, expired, without the role,
 * without membership, after termination, after the assignment's removal, after the membership's
 * removal, after the user's disabling.
 */

const usersPath = (customerTenantId: string) => `/v1/customers/${customerTenantId}/users`;

function listUsers(token: string, customerTenantId: string) {
  return api('identity').get(usersPath(customerTenantId)).set(bearer(token));
}
function createUser(token: string, customerTenantId: string, roles = ['BillingAdmin']) {
  return api('identity')
    .post(usersPath(customerTenantId))
    .set(bearer(token))
    .send(newCustomerUserBody(roles));
}
function resetPassword(token: string, customerTenantId: string, userId: string) {
  return api('identity')
    .post(`${usersPath(customerTenantId)}/${userId}/password-reset`)
    .set(bearer(token));
}

describe('GDAP enforcement of delegated calls (issue 10 part 2)', () => {
  let channel: GdapChannel;
  let relationship: GdapRelationship;
  let billing: AddedUser;

  beforeAll(async () => {
    channel = await gdapChannel();
    relationship = await activeGdap(channel, {
      accessDetails: {
        unifiedRoles: [
          { roleDefinitionId: ROLE.userAdministrator },
          { roleDefinitionId: ROLE.helpdeskAdministrator },
          { roleDefinitionId: ROLE.directoryReaders },
        ],
      },
    });
    billing = await addUser(channel.customer.token, ['BillingAdmin']);
  }, 180_000);

  /** A new group of the partner with a new Helpdesk agent in it, assigned `roles`. */
  async function member(roles: string[]) {
    const group = await createGroup(channel.partner.token);
    const user = await groupMember(channel.partner, 'HelpdeskAgent', group.id);
    const assignment = await assign(channel.partner.token, relationship.id, group.id, roles);
    expect(assignment.status).toBe('active');
    return { group, user, assignment };
  }

  it('lets a User Administrator list, create customer-owned users and reset a Billing admin, in both trails', async () => {
    const { partner, customer } = channel;
    const { user } = await member([ROLE.userAdministrator]);
    const list = expectStatus<{ items: { id: string }[] }>(
      await listUsers(user.token, customer.tenantId),
      200,
    );
    expect(list.items.map((u) => u.id)).toContain(billing.user.id);

    const created = expectStatus<AddedUser>(await createUser(user.token, customer.tenantId), 201);
    const [row] = await dbRows<{
      tenant_id: string;
      delegation_kind: string;
      delegation_grant_id: string;
      delegated_by_tenant_id: string;
    }>(
      'identity',
      'select tenant_id, delegation_kind, delegation_grant_id, delegated_by_tenant_id from user_account where id = $1',
      [created.user.id],
    );
    // The customer owns the user; the record names the relationship it was created through.
    expect(row).toEqual({
      tenant_id: customer.tenantId,
      delegation_kind: 'gdap',
      delegation_grant_id: relationship.id,
      delegated_by_tenant_id: partner.tenantId,
    });

    const reset = expectStatus<{ temporaryPassword: string }>(
      await resetPassword(user.token, customer.tenantId, billing.user.id),
      200,
    );
    expect(reset.temporaryPassword).toEqual(expect.any(String));
    // Never a password of a user at or above the partner's access: the customer's Global admin.
    expectApiError(
      await resetPassword(user.token, customer.tenantId, customer.userId),
      403,
      'user.role_not_grantable',
    );
    // Nor may it create one.
    expectApiError(
      await createUser(user.token, customer.tenantId, ['GlobalAdmin']),
      403,
      'user.role_not_grantable',
    );

    const entries = await eventually('the reset in both trails', async () => {
      const rows = await dbRows<{ tenant_ids: string[] }>(
        'relationships',
        `select tenant_ids from activity_log_entry where type = 'user.password_reset' and resource_id = $1`,
        [billing.user.id],
      );
      return rows.length > 0 ? rows : undefined;
    });
    expect(entries[0].tenant_ids.sort()).toEqual([partner.tenantId, customer.tenantId].sort());
  });

  it('refuses an operation outside the assigned roles (Directory Readers read only; Helpdesk Administrator resets no administrator)', async () => {
    const { customer } = channel;
    const reader = await member([ROLE.directoryReaders]);
    expectStatus(await listUsers(reader.user.token, customer.tenantId), 200);
    expectApiError(
      await createUser(reader.user.token, customer.tenantId),
      403,
      'gdap.access_denied',
    );
    expectApiError(
      await resetPassword(reader.user.token, customer.tenantId, billing.user.id),
      403,
      'gdap.access_denied',
    );

    const helpdesk = await member([ROLE.helpdeskAdministrator]);
    expectStatus(await listUsers(helpdesk.user.token, customer.tenantId), 200);
    expectApiError(
      await createUser(helpdesk.user.token, customer.tenantId),
      403,
      'gdap.access_denied',
    );
    // Every customer role is an administrator role: a Helpdesk Administrator resets none of them.
    for (const target of [customer.userId, billing.user.id]) {
      expectApiError(
        await resetPassword(helpdesk.user.token, customer.tenantId, target),
        403,
        'user.role_not_grantable',
      );
    }
  });

  it('refuses a partner user who is in no group with an assignment, and a partner with no relationship as for a customer that exists nowhere', async () => {
    const { partner, customer } = channel;
    const outsider = await groupMember(partner, 'HelpdeskAgent');
    expectApiError(await listUsers(outsider.token, customer.tenantId), 403, 'gdap.access_denied');
    const group = await createGroup(partner.token);
    const unassigned = await groupMember(partner, 'SalesAgent', group.id);
    expectApiError(await listUsers(unassigned.token, customer.tenantId), 403, 'gdap.access_denied');

    const stranger = await enrollPartner({ partnerType: 'direct', name: uniqueName('Stranger') });
    const theirs = expectApiError(
      await listUsers(stranger.token, customer.tenantId),
      404,
      'customer.not_found',
    );
    const nowhere = expectApiError(
      await listUsers(stranger.token, randomUUID()),
      404,
      'customer.not_found',
    );
    expect(theirs).toEqual(nowhere);
  });

  it('refuses at once after the membership is removed, the assignment removed, or the user disabled', async () => {
    const { partner, customer } = channel;
    const first = await member([ROLE.userAdministrator]);
    expectStatus(await listUsers(first.user.token, customer.tenantId), 200);
    expectStatus(await removeMember(partner.token, first.group.id, first.user.user.id), 204);
    expectApiError(await listUsers(first.user.token, customer.tenantId), 403, 'gdap.access_denied');

    const second = await member([ROLE.userAdministrator]);
    expectStatus(await listUsers(second.user.token, customer.tenantId), 200);
    const current = await getAssignment(partner.token, relationship.id, second.assignment.id);
    expectStatus(
      await deleteAssignment(
        partner.token,
        relationship.id,
        second.assignment.id,
        current['@odata.etag'],
      ),
      204,
    );
    expectApiError(
      await listUsers(second.user.token, customer.tenantId),
      403,
      'gdap.access_denied',
    );

    const third = await member([ROLE.userAdministrator]);
    expectStatus(await listUsers(third.user.token, customer.tenantId), 200);
    // The user's disabling, written into its row (the check reads it on every call).
    await dbRows('identity', 'update user_account set disabled = true where id = $1', [
      third.user.user.id,
    ]);
    expectApiError(await listUsers(third.user.token, customer.tenantId), 403, 'gdap.access_denied');
  });

  it('refuses once the relationship is past its end, and after termination', async () => {
    const expiring = await gdapChannel();
    const rel = await activeGdap(expiring, {
      accessDetails: { unifiedRoles: [{ roleDefinitionId: ROLE.userAdministrator }] },
    });
    const group = await createGroup(expiring.partner.token);
    const user = await groupMember(expiring.partner, 'HelpdeskAgent', group.id);
    await assign(expiring.partner.token, rel.id, group.id, [ROLE.userAdministrator]);
    expectStatus(await listUsers(user.token, expiring.customer.tenantId), 200);

    // Past endDateTime before the lifecycle job moved it: refused already.
    await dbRows(
      'relationships',
      `update delegated_admin_relationship set end_at = now() - interval '1 minute' where id = $1`,
      [rel.id],
    );
    expectApiError(
      await listUsers(user.token, expiring.customer.tenantId),
      403,
      'gdap.access_denied',
    );
    await dbRows(
      'relationships',
      `update delegated_admin_relationship set end_at = now() + interval '30 days' where id = $1`,
      [rel.id],
    );
    expectStatus(await listUsers(user.token, expiring.customer.tenantId), 200);
    await dbRows(
      'relationships',
      `update delegated_admin_relationship set status = 'expired' where id = $1`,
      [rel.id],
    );
    expectApiError(
      await listUsers(user.token, expiring.customer.tenantId),
      403,
      'gdap.access_denied',
    );

    // Termination (by the customer), on the shared channel's relationship.
    const { partner, customer } = channel;
    const live = await member([ROLE.userAdministrator]);
    expectStatus(await listUsers(live.user.token, customer.tenantId), 200);
    expectStatus(await gdapRequest(customer.token, relationship.id, 'terminate'), 201);
    expectApiError(await listUsers(live.user.token, customer.tenantId), 403, 'gdap.access_denied');
    expectApiError(
      await resetPassword(live.user.token, customer.tenantId, billing.user.id),
      403,
      'gdap.access_denied',
    );
    // Its assignments can no longer be created.
    const group2 = await createGroup(partner.token);
    const refused = await api('relationships')
      .post(`${GDAP_PATH}/${relationship.id}/accessAssignments`)
      .set(bearer(partner.token))
      .send({
        accessContainer: { accessContainerId: group2.id, accessContainerType: 'securityGroup' },
        accessDetails: { unifiedRoles: [{ roleDefinitionId: ROLE.userAdministrator }] },
      });
    expect(refused.status).toBe(409);
  });
});
