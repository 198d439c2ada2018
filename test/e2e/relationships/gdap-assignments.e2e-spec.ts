import { randomUUID } from 'node:crypto';
import {
  addActiveUser,
  api,
  bearer,
  createCustomer,
  newCustomerBody,
  dbRows,
  enrollPartner,
  eventually,
  expectApiError,
  expectStatus,
  uniqueName,
} from '../support';
import {
  GDAP_PATH,
  ROLE,
  activeGdap,
  createGdap,
  expectGraphError,
  gdapBody,
  gdapChannel,
  gdapRequest,
  getGdap,
  type GdapChannel,
  type GdapRelationship,
} from '../support/relationships/gdap';
import {
  addMember,
  assign,
  createGroup,
  deleteAssignment,
  getAssignment,
  patchAssignment,
  postAssignment,
  removeMember,
  type AccessAssignment,
  type SecurityGroup,
} from '../support/relationships/gdap-access';

/**
 * Issue 10 part 2: partner security groups (identity) and access assignments on delegated admin
 * relationships (Graph `delegatedAdminAccessAssignment`): create (pending until the relationship
 * is active, active at once on an active one), the role subset, one live assignment per group,
 * list and filter, PATCH → 202 with an operation (200 when nothing changes), DELETE, the etag
 * rules, scoping, both trails; `enableGDAPByDefault` on customer creation.
 */

async function entriesOf(id: string): Promise<{ type: string; tenant_ids: string[] }[]> {
  return dbRows<{ type: string; tenant_ids: string[] }>(
    'relationships',
    'select type, tenant_ids from activity_log_entry where resource_id = $1 order by occurred_at, id',
    [id],
  );
}

describe('GDAP: security groups and access assignments (issue 10 part 2)', () => {
  let channel: GdapChannel;
  let relationship: GdapRelationship;
  let group: SecurityGroup;

  beforeAll(async () => {
    channel = await gdapChannel();
    relationship = await activeGdap(channel, {
      accessDetails: {
        unifiedRoles: [
          { roleDefinitionId: ROLE.userAdministrator },
          { roleDefinitionId: ROLE.directoryReaders },
        ],
      },
    });
    group = await createGroup(channel.partner.token);
  }, 180_000);

  describe('security groups', () => {
    it('creates, lists, reads, adds and removes members of the partner only, in its trail', async () => {
      const { partner, customer } = channel;
      const created = await api('identity')
        .post('/v1/security-groups')
        .set(bearer(partner.token))
        .send({ displayName: 'Helpdesk agents', description: 'Tier 1' });
      const body = expectStatus<SecurityGroup>(created, 201);
      expect(created.headers.location).toBe(`/v1/security-groups/${body.id}`);
      expect(body).toMatchObject({
        displayName: 'Helpdesk agents',
        description: 'Tier 1',
        securityEnabled: true,
        members: [],
      });
      const user = await addActiveUser(partner.token, ['HelpdeskAgent'], { company: 'fabrikam' });
      expectStatus(await addMember(partner.token, body.id, user.user.id), 204);
      expectStatus(await addMember(partner.token, body.id, user.user.id), 204); // idempotent
      const read = expectStatus<SecurityGroup>(
        await api('identity').get(`/v1/security-groups/${body.id}`).set(bearer(partner.token)),
        200,
      );
      expect(read.members.map((m) => m.id)).toEqual([user.user.id]);
      const list = expectStatus<{ items: { id: string }[] }>(
        await api('identity').get('/v1/security-groups').set(bearer(partner.token)),
        200,
      );
      expect(list.items.map((g) => g.id)).toContain(body.id);

      // A customer's user is no member of a partner's group; a customer has no groups.
      expectApiError(
        await addMember(partner.token, body.id, customer.userId),
        404,
        'user.not_found',
      );
      expectApiError(
        await api('identity')
          .post('/v1/security-groups')
          .set(bearer(customer.token))
          .send({ displayName: 'x' }),
        403,
        'auth.forbidden',
      );
      // Another partner's group answers as one that exists nowhere.
      const stranger = await enrollPartner({ partnerType: 'direct', name: uniqueName('Stranger') });
      const theirs = expectApiError(
        await api('identity').get(`/v1/security-groups/${body.id}`).set(bearer(stranger.token)),
        404,
        'security_group.not_found',
      );
      const nowhere = expectApiError(
        await api('identity')
          .get(`/v1/security-groups/${randomUUID()}`)
          .set(bearer(stranger.token)),
        404,
        'security_group.not_found',
      );
      expect(theirs).toEqual(nowhere);
      expectApiError(
        await addMember(stranger.token, body.id, user.user.id),
        404,
        'security_group.not_found',
      );
      // Unknown fields refused.
      expectApiError(
        await api('identity')
          .post('/v1/security-groups')
          .set(bearer(partner.token))
          .send({ displayName: 'x', owner: 'y' }),
        400,
        'request.invalid',
      );

      expectStatus(await removeMember(partner.token, body.id, user.user.id), 204);
      expectApiError(
        await removeMember(partner.token, body.id, user.user.id),
        404,
        'security_group.member_not_found',
      );
      expectStatus(
        await api('identity').delete(`/v1/security-groups/${body.id}`).set(bearer(partner.token)),
        204,
      );
      const types = await eventually('the group events in the trail', async () => {
        const rows = await entriesOf(body.id);
        return rows.length >= 4 ? rows : undefined;
      });
      expect(types.map((e) => e.type)).toEqual([
        'security_group.created',
        'security_group.member_added',
        'security_group.member_removed',
        'security_group.deleted',
      ]);
      for (const entry of types) expect(entry.tenant_ids).toEqual([partner.tenantId]);
    });

    it('lets only Global admins and User management admins change groups; Admin agents read', async () => {
      const { partner } = channel;
      const agent = await addActiveUser(partner.token, ['AdminAgent'], { company: 'fabrikam' });
      expectStatus(
        await api('identity').get(`/v1/security-groups/${group.id}`).set(bearer(agent.token)),
        200,
      );
      expectApiError(
        await api('identity')
          .post('/v1/security-groups')
          .set(bearer(agent.token))
          .send({ displayName: 'x' }),
        403,
        'auth.forbidden',
      );
      const manager = await addActiveUser(partner.token, ['UserManagementAdmin'], {
        company: 'fabrikam',
      });
      expectStatus(
        await api('identity')
          .post('/v1/security-groups')
          .set(bearer(manager.token))
          .send({ displayName: 'y' }),
        201,
      );
    });
  });

  describe('access assignments', () => {
    it('creates an active assignment on an active relationship with Location, in both trails; the group is checked with identity', async () => {
      const { partner, customer } = channel;
      const g = await createGroup(partner.token);
      const response = await postAssignment(partner.token, relationship.id, g.id, [
        ROLE.directoryReaders,
      ]);
      const body = expectStatus<AccessAssignment>(response, 201);
      expect(response.headers.location).toMatch(
        new RegExp(`${GDAP_PATH}/${relationship.id}/accessAssignments/${body.id}$`),
      );
      expect(body).toMatchObject({
        status: 'active',
        accessContainer: { accessContainerId: g.id, accessContainerType: 'securityGroup' },
        accessDetails: { unifiedRoles: [{ roleDefinitionId: ROLE.directoryReaders }] },
      });
      expect(body['@odata.etag']).toMatch(/^W\/".+"$/);
      const [entry] = await entriesOf(body.id);
      expect(entry.type).toBe('delegated_admin_access_assignment.created');
      expect(entry.tenant_ids.sort()).toEqual([partner.tenantId, customer.tenantId].sort());

      // One live assignment per group.
      expectGraphError(
        await postAssignment(partner.token, relationship.id, g.id, [ROLE.userAdministrator]),
        409,
        'gdap.assignment_exists',
      );
      // A role outside the relationship's: 400, nothing written.
      const g2 = await createGroup(partner.token);
      expectGraphError(
        await postAssignment(partner.token, relationship.id, g2.id, [ROLE.globalAdministrator]),
        400,
        'gdap.role_not_in_relationship',
      );
      // Another partner's group, and one that exists nowhere: the same 422.
      const stranger = await enrollPartner({ partnerType: 'direct', name: uniqueName('Stranger') });
      const theirGroup = await createGroup(stranger.token);
      for (const id of [theirGroup.id, randomUUID()]) {
        expectGraphError(
          await postAssignment(partner.token, relationship.id, id, [ROLE.directoryReaders]),
          422,
          'gdap.security_group_not_found',
        );
      }
      const rows = await dbRows(
        'relationships',
        'select id from delegated_admin_access_assignment where group_id = any($1::uuid[])',
        [[g2.id, theirGroup.id]],
      );
      expect(rows).toHaveLength(0);
      // Another partner, and the customer, reach no assignment of the relationship.
      for (const token of [stranger.token, customer.token]) {
        expectGraphError(
          await api('relationships')
            .get(`${GDAP_PATH}/${relationship.id}/accessAssignments/${body.id}`)
            .set(bearer(token)),
          404,
          'gdap.relationship_not_found',
        );
      }
    });

    it('is pending until the customer approves, then active', async () => {
      const { partner, customer } = channel;
      const created = await createGdap(partner.token, gdapBody(customer.tenantId));
      const g = await createGroup(partner.token);
      const pending = await assign(partner.token, created.id, g.id, [ROLE.userAdministrator]);
      expect(pending.status).toBe('pending');
      expectStatus(await gdapRequest(partner.token, created.id, 'lockForApproval'), 201);
      expectStatus(await gdapRequest(customer.token, created.id, 'approve'), 201);
      const after = await getAssignment(partner.token, created.id, pending.id);
      expect(after.status).toBe('active');
      expect(after['@odata.etag']).not.toBe(pending['@odata.etag']);
    });

    it('lists with $top, nextLink and $filter on status; refuses other options', async () => {
      const { partner } = channel;
      const created = await createGdap(partner.token, gdapBody(channel.customer.tenantId));
      const ids: string[] = [];
      for (let i = 0; i < 3; i += 1) {
        const g = await createGroup(partner.token);
        ids.push((await assign(partner.token, created.id, g.id, [ROLE.userAdministrator])).id);
      }
      const page = expectStatus<{ value: AccessAssignment[]; '@odata.nextLink'?: string }>(
        await api('relationships')
          .get(`${GDAP_PATH}/${created.id}/accessAssignments`)
          .query({ $top: '2' })
          .set(bearer(partner.token)),
        200,
      );
      expect(page.value.map((a) => a.id)).toEqual(ids.slice(0, 2));
      const next = new URL(page['@odata.nextLink']!);
      const rest = expectStatus<{ value: AccessAssignment[] }>(
        await api('relationships').get(`${next.pathname}${next.search}`).set(bearer(partner.token)),
        200,
      );
      expect(rest.value.map((a) => a.id)).toEqual(ids.slice(2));
      const first = await getAssignment(partner.token, created.id, ids[0]);
      expectStatus(
        await deleteAssignment(partner.token, created.id, ids[0], first['@odata.etag']),
        204,
      );
      const deleted = expectStatus<{ value: AccessAssignment[] }>(
        await api('relationships')
          .get(`${GDAP_PATH}/${created.id}/accessAssignments`)
          .query({ $filter: "status eq 'deleted'" })
          .set(bearer(partner.token)),
        200,
      );
      expect(deleted.value.map((a) => [a.id, a.status])).toEqual([[ids[0], 'deleted']]);
      for (const query of [{ $top: '301' }, { $filter: "displayName eq 'x'" }, { $select: 'id' }]) {
        expectGraphError(
          await api('relationships')
            .get(`${GDAP_PATH}/${created.id}/accessAssignments`)
            .query(query)
            .set(bearer(partner.token)),
          400,
          'request.invalid',
        );
      }
    });

    it('PATCH: If-Match required, 202 with an operation and Retry-After, 200 when unchanged; DELETE: 204, deleted', async () => {
      const { partner, customer } = channel;
      const g = await createGroup(partner.token);
      const created = await assign(partner.token, relationship.id, g.id, [ROLE.directoryReaders]);
      expectGraphError(
        await patchAssignment(partner.token, relationship.id, created.id, [ROLE.userAdministrator]),
        428,
        'request.precondition_required',
      );
      expectGraphError(
        await patchAssignment(
          partner.token,
          relationship.id,
          created.id,
          [ROLE.userAdministrator],
          'W/"stale"',
        ),
        412,
        'request.etag_mismatch',
      );
      const same = await patchAssignment(
        partner.token,
        relationship.id,
        created.id,
        [ROLE.directoryReaders],
        created['@odata.etag'],
      );
      expect(expectStatus<AccessAssignment>(same, 200)).toEqual(created);
      expectGraphError(
        await patchAssignment(
          partner.token,
          relationship.id,
          created.id,
          [ROLE.globalAdministrator],
          created['@odata.etag'],
        ),
        400,
        'gdap.role_not_in_relationship',
      );
      const changed = await patchAssignment(
        partner.token,
        relationship.id,
        created.id,
        [ROLE.userAdministrator, ROLE.directoryReaders],
        created['@odata.etag'],
      );
      expect(changed.status).toBe(202);
      expect(changed.text).toBe('');
      expect(changed.headers['retry-after']).toBe('10');
      const location = changed.headers.location;
      expect(location).toMatch(
        new RegExp(`${GDAP_PATH}/${relationship.id}/operations/[0-9a-f-]{36}$`),
      );
      const operation = expectStatus<{ status: string; operationType: string; data: string }>(
        await api('relationships').get(new URL(location).pathname).set(bearer(partner.token)),
        200,
      );
      expect(operation).toMatchObject({
        status: 'succeeded',
        operationType: 'delegatedAdminAccessAssignmentUpdate',
      });
      expect(JSON.parse(operation.data)).toMatchObject({ accessAssignmentId: created.id });
      const operations = expectStatus<{ value: { id: string }[] }>(
        await api('relationships')
          .get(`${GDAP_PATH}/${relationship.id}/operations`)
          .set(bearer(partner.token)),
        200,
      );
      expect(operations.value.map((o) => o.id)).toContain(
        new URL(location).pathname.split('/').pop(),
      );
      const updated = await getAssignment(partner.token, relationship.id, created.id);
      expect(updated.accessDetails.unifiedRoles.map((r) => r.roleDefinitionId).sort()).toEqual(
        [ROLE.userAdministrator, ROLE.directoryReaders].sort(),
      );
      // The old tag is stale now.
      expectGraphError(
        await deleteAssignment(partner.token, relationship.id, created.id, created['@odata.etag']),
        412,
        'request.etag_mismatch',
      );
      expectGraphError(
        await deleteAssignment(partner.token, relationship.id, created.id),
        428,
        'request.precondition_required',
      );
      expectStatus(
        await deleteAssignment(partner.token, relationship.id, created.id, updated['@odata.etag']),
        204,
      );
      const gone = await getAssignment(partner.token, relationship.id, created.id);
      expect(gone.status).toBe('deleted');
      expectGraphError(
        await patchAssignment(
          partner.token,
          relationship.id,
          created.id,
          [ROLE.directoryReaders],
          gone['@odata.etag'],
        ),
        409,
        'gdap.invalid_status',
      );
      const types = (await entriesOf(created.id)).map((e) => e.type);
      expect(types).toEqual([
        'delegated_admin_access_assignment.created',
        'delegated_admin_access_assignment.updated',
        'delegated_admin_access_assignment.deleted',
      ]);
      for (const entry of await entriesOf(created.id)) {
        expect(entry.tenant_ids.sort()).toEqual([partner.tenantId, customer.tenantId].sort());
      }
    });

    it('lets only Global admins and Admin agents assign', async () => {
      const { partner } = channel;
      const g = await createGroup(partner.token);
      for (const role of ['UserManagementAdmin', 'HelpdeskAgent', 'SalesAgent']) {
        const user = await addActiveUser(partner.token, [role], { company: 'fabrikam' });
        expectGraphError(
          await postAssignment(user.token, relationship.id, g.id, [ROLE.directoryReaders]),
          403,
          'auth.forbidden',
        );
      }
      const agent = await addActiveUser(partner.token, ['AdminAgent'], { company: 'fabrikam' });
      await assign(agent.token, relationship.id, g.id, [ROLE.directoryReaders]);
    });
  });

  describe('enableGDAPByDefault', () => {
    it('creates an active default relationship with the default roles, no approval, in both trails', async () => {
      const partner = await enrollPartner({ partnerType: 'direct', name: uniqueName('Fabrikam') });
      const created = await createCustomer(partner, {
        ...newCustomerBody(),
        enableGDAPByDefault: true,
      } as ReturnType<typeof newCustomerBody>);
      const customerId = created.id;
      const list = expectStatus<{ value: GdapRelationship[] }>(
        await api('relationships').get(GDAP_PATH).set(bearer(partner.token)),
        200,
      );
      const defaults = list.value.filter((r) => r.customer?.tenantId === customerId);
      expect(defaults).toHaveLength(1);
      expect(defaults[0]).toMatchObject({
        status: 'active',
        duration: 'P730D',
        autoExtendDuration: 'PT0S',
      });
      expect(defaults[0].displayName).toMatch(/^Default_/);
      expect(defaults[0].accessDetails.unifiedRoles.map((r) => r.roleDefinitionId).sort()).toEqual(
        [
          ROLE.directoryReaders,
          ROLE.userAdministrator,
          ROLE.helpdeskAdministrator,
          ROLE.licenseAdministrator,
        ].sort(),
      );
      const [entry] = await entriesOf(defaults[0].id);
      expect(entry.type).toBe('delegated_admin_relationship.created');
      expect(entry.tenant_ids.sort()).toEqual([partner.tenantId, customerId].sort());
      // Usable at once once a group is assigned.
      const g = await createGroup(partner.token);
      expect(
        (await assign(partner.token, defaults[0].id, g.id, [ROLE.userAdministrator])).status,
      ).toBe('active');
      expect((await getGdap(partner.token, defaults[0].id)).status).toBe('active');

      const without = await createCustomer(partner);
      const again = expectStatus<{ value: GdapRelationship[] }>(
        await api('relationships').get(GDAP_PATH).set(bearer(partner.token)),
        200,
      );
      expect(again.value.filter((r) => r.customer?.tenantId === without.id)).toHaveLength(0);
    });
  });
});
