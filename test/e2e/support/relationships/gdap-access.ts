import { dbRows } from '../database';
import { expectStatus } from '../http';
import { addActiveUser, addUser, type ActivatedUser } from '../identity/flows';
import type { AddedUser } from '../identity/types';
import {
  NO_RESOURCE,
  provider,
  type CrossTenantCall,
  type RouteCall,
  type RouteFixture,
} from '../route-fixture';
import { api, bearer } from '../system';
import type { BaseWorld, World } from '../world';
import {
  GDAP_PATH,
  ROLE,
  SAMPLE_ID,
  createGdap,
  gdapBody,
  worldCustomer,
  type GdapRelationship,
} from './gdap';

/**
 * GDAP part 2 (issue 10) through the API: partner security groups (identity) and access
 * assignments (relationships, Graph's shape).
 */

export interface SecurityGroup {
  id: string;
  displayName: string;
  description: string | null;
  securityEnabled: true;
  createdDateTime: string;
  members: { id: string; email: string; displayName: string }[];
}

export interface AccessAssignment {
  '@odata.etag': string;
  id: string;
  status: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  accessContainer: { accessContainerId: string; accessContainerType: 'securityGroup' };
  accessDetails: { unifiedRoles: { roleDefinitionId: string }[] };
}

let groups = 0;
/** `POST /v1/security-groups` as `token`; 201. */
export async function createGroup(token: string, displayName?: string): Promise<SecurityGroup> {
  groups += 1;
  return expectStatus<SecurityGroup>(
    await api('identity')
      .post('/v1/security-groups')
      .set(bearer(token))
      .send({ displayName: displayName ?? `Helpdesk ${process.pid}-${groups}` }),
    201,
  );
}

/** `POST /v1/security-groups/{id}/members` as `token` (raw response). */
export function addMember(token: string, groupId: string, userId: string) {
  return api('identity')
    .post(`/v1/security-groups/${groupId}/members`)
    .set(bearer(token))
    .send({ userId });
}

/** `DELETE /v1/security-groups/{id}/members/{userId}` as `token` (raw response). */
export function removeMember(token: string, groupId: string, userId: string) {
  return api('identity')
    .delete(`/v1/security-groups/${groupId}/members/${userId}`)
    .set(bearer(token));
}

/** `assignmentBody(groupId, roles)`: a valid `POST …/accessAssignments` body. */
export function assignmentBody(groupId: string, roles: readonly string[]) {
  return {
    accessContainer: { accessContainerId: groupId, accessContainerType: 'securityGroup' },
    accessDetails: { unifiedRoles: roles.map((roleDefinitionId) => ({ roleDefinitionId })) },
  };
}

/** `POST …/{relationshipId}/accessAssignments` as `token` (raw response). */
export function postAssignment(
  token: string,
  relationshipId: string,
  groupId: string,
  roles: readonly string[],
) {
  return api('relationships')
    .post(`${GDAP_PATH}/${relationshipId}/accessAssignments`)
    .set(bearer(token))
    .send(assignmentBody(groupId, roles));
}

/** `POST …/accessAssignments`; 201. */
export async function assign(
  token: string,
  relationshipId: string,
  groupId: string,
  roles: readonly string[],
): Promise<AccessAssignment> {
  return expectStatus<AccessAssignment>(
    await postAssignment(token, relationshipId, groupId, roles),
    201,
  );
}

/** `PATCH …/accessAssignments/{id}` (raw response). */
export function patchAssignment(
  token: string,
  relationshipId: string,
  assignmentId: string,
  roles: readonly string[],
  ifMatch?: string,
) {
  let pending = api('relationships')
    .patch(`${GDAP_PATH}/${relationshipId}/accessAssignments/${assignmentId}`)
    .set(bearer(token));
  if (ifMatch !== undefined) pending = pending.set('If-Match', ifMatch);
  return pending.send({
    accessDetails: { unifiedRoles: roles.map((roleDefinitionId) => ({ roleDefinitionId })) },
  });
}

/** `DELETE …/accessAssignments/{id}` (raw response). */
export function deleteAssignment(
  token: string,
  relationshipId: string,
  assignmentId: string,
  ifMatch?: string,
) {
  let pending = api('relationships')
    .delete(`${GDAP_PATH}/${relationshipId}/accessAssignments/${assignmentId}`)
    .set(bearer(token));
  if (ifMatch !== undefined) pending = pending.set('If-Match', ifMatch);
  return pending;
}

/** `GET …/accessAssignments/{id}`; 200. */
export async function getAssignment(
  token: string,
  relationshipId: string,
  assignmentId: string,
): Promise<AccessAssignment> {
  return expectStatus<AccessAssignment>(
    await api('relationships')
      .get(`${GDAP_PATH}/${relationshipId}/accessAssignments/${assignmentId}`)
      .set(bearer(token)),
    200,
  );
}

/** A new active user of the partner holding `role`, member of `groupId` (when given). */
export async function groupMember(
  partner: { token: string },
  role: string,
  groupId?: string,
): Promise<ActivatedUser & AddedUser> {
  const user = await addActiveUser(partner.token, [role], { company: 'fabrikam' });
  if (groupId) expectStatus(await addMember(partner.token, groupId, user.user.id), 204);
  return user;
}

// --- route fixtures (identity's and relationships' route-fixtures.ts spread them in)

interface AssignmentWorld {
  relationship: GdapRelationship;
  group: SecurityGroup;
  assignment: AccessAssignment;
  operationId: string;
}

/**
 * A created relationship of the partner holding `token` with `customerTenantId` (User
 * Administrator and Directory Readers), a group assigned Directory Readers, and the operation of
 * that assignment's change to both roles.
 */
async function assignmentWorld(token: string, customerTenantId: string): Promise<AssignmentWorld> {
  const relationship = await createGdap(
    token,
    gdapBody(customerTenantId, {
      accessDetails: {
        unifiedRoles: [
          { roleDefinitionId: ROLE.userAdministrator },
          { roleDefinitionId: ROLE.directoryReaders },
        ],
      },
    }),
  );
  const group = await createGroup(token);
  const created = await assign(token, relationship.id, group.id, [ROLE.directoryReaders]);
  const patched = await patchAssignment(
    token,
    relationship.id,
    created.id,
    [ROLE.directoryReaders, ROLE.userAdministrator],
    created['@odata.etag'],
  );
  expect(patched.status).toBe(202);
  const operationId = new URL(patched.headers.location).pathname.split('/').pop()!;
  const assignment = await getAssignment(token, relationship.id, created.id);
  return { relationship, group, assignment, operationId };
}

const providerWorlds = new WeakMap<BaseWorld, Promise<AssignmentWorld>>();
/** One shared assignment world of the world's provider, for the read-only calls. */
function sharedAssignments(w: BaseWorld): Promise<AssignmentWorld> {
  let built = providerWorlds.get(w);
  if (!built) {
    built = assignmentWorld(w.provider.token, worldCustomer(w));
    providerWorlds.set(w, built);
  }
  return built;
}

const otherWorlds = new WeakMap<World, Promise<AssignmentWorld>>();
/**
 * Another partner's relationship, assignment and operation: every route answers 404
 * `gdap.relationship_not_found` as for ids that exist nowhere, and the rows stay unchanged.
 */
async function otherAssignments(
  w: World,
  call: (ids: AssignmentWorld) => RouteCall,
): Promise<CrossTenantCall> {
  let built = otherWorlds.get(w);
  if (!built) {
    built = assignmentWorld(w.other.provider.token, w.other.customer.companyProfile.tenantId);
    otherWorlds.set(w, built);
  }
  const ids = await built;
  return {
    ...call(ids),
    code: 'gdap.relationship_not_found',
    secrets: [ids.relationship.id, ids.assignment.id, ids.group.id, ids.operationId],
    watch: () =>
      dbRows(
        'relationships',
        'select status, version, roles from delegated_admin_access_assignment where relationship_id = $1 order by id',
        [ids.relationship.id],
      ),
  };
}

const ASSIGNMENTS = `${GDAP_PATH}/:id/accessAssignments`;

/** The route fixtures of the access-assignment and operation routes (issue 10 part 2). */
export const GDAP_ACCESS_ROUTE_FIXTURES: Record<string, RouteFixture> = {
  [`POST ${ASSIGNMENTS}`]: {
    caller: provider,
    status: 201,
    valid: async (w) => {
      const relationship = await createGdap(w.provider.token, gdapBody(worldCustomer(w)));
      const group = await createGroup(w.provider.token);
      return {
        params: { id: relationship.id },
        body: assignmentBody(group.id, [ROLE.userAdministrator]),
      };
    },
    sample: () => ({
      params: { id: SAMPLE_ID },
      body: assignmentBody(SAMPLE_ID, [ROLE.userAdministrator]),
    }),
    otherTenant: (w) =>
      otherAssignments(w, ({ relationship, group }) => ({
        params: { id: relationship.id },
        body: assignmentBody(group.id, [ROLE.userAdministrator]),
      })),
  },
  [`GET ${ASSIGNMENTS}`]: {
    caller: provider,
    status: 200,
    valid: async (w) => ({
      params: { id: (await sharedAssignments(w)).relationship.id },
      query: { $top: '5', $filter: "status eq 'pending'" },
    }),
    sample: () => ({ params: { id: SAMPLE_ID } }),
    otherTenant: (w) =>
      otherAssignments(w, ({ relationship }) => ({ params: { id: relationship.id } })),
  },
  [`GET ${ASSIGNMENTS}/:assignmentId`]: {
    caller: provider,
    status: 200,
    valid: async (w) => {
      const { relationship, assignment } = await sharedAssignments(w);
      return { params: { id: relationship.id, assignmentId: assignment.id } };
    },
    sample: () => ({ params: { id: SAMPLE_ID, assignmentId: SAMPLE_ID } }),
    otherTenant: (w) =>
      otherAssignments(w, ({ relationship, assignment }) => ({
        params: { id: relationship.id, assignmentId: assignment.id },
      })),
  },
  [`PATCH ${ASSIGNMENTS}/:assignmentId`]: {
    caller: provider,
    status: 202,
    valid: async (w) => {
      const { relationship, assignment } = await assignmentWorld(
        w.provider.token,
        worldCustomer(w),
      );
      return {
        params: { id: relationship.id, assignmentId: assignment.id },
        headers: { 'If-Match': assignment['@odata.etag'] },
        body: { accessDetails: { unifiedRoles: [{ roleDefinitionId: ROLE.userAdministrator }] } },
      };
    },
    sample: () => ({
      params: { id: SAMPLE_ID, assignmentId: SAMPLE_ID },
      headers: { 'If-Match': '*' },
      body: { accessDetails: { unifiedRoles: [{ roleDefinitionId: ROLE.userAdministrator }] } },
    }),
    otherTenant: (w) =>
      otherAssignments(w, ({ relationship, assignment }) => ({
        params: { id: relationship.id, assignmentId: assignment.id },
        headers: { 'If-Match': '*' },
        body: { accessDetails: { unifiedRoles: [{ roleDefinitionId: ROLE.userAdministrator }] } },
      })),
  },
  [`DELETE ${ASSIGNMENTS}/:assignmentId`]: {
    caller: provider,
    status: 204,
    valid: async (w) => {
      const relationship = await createGdap(w.provider.token, gdapBody(worldCustomer(w)));
      const group = await createGroup(w.provider.token);
      const assignment = await assign(w.provider.token, relationship.id, group.id, [
        ROLE.userAdministrator,
      ]);
      return {
        params: { id: relationship.id, assignmentId: assignment.id },
        headers: { 'If-Match': assignment['@odata.etag'] },
      };
    },
    sample: () => ({
      params: { id: SAMPLE_ID, assignmentId: SAMPLE_ID },
      headers: { 'If-Match': '*' },
    }),
    otherTenant: (w) =>
      otherAssignments(w, ({ relationship, assignment }) => ({
        params: { id: relationship.id, assignmentId: assignment.id },
        headers: { 'If-Match': '*' },
      })),
  },
  [`GET ${GDAP_PATH}/:id/operations`]: {
    caller: provider,
    status: 200,
    valid: async (w) => ({ params: { id: (await sharedAssignments(w)).relationship.id } }),
    sample: () => ({ params: { id: SAMPLE_ID } }),
    otherTenant: (w) =>
      otherAssignments(w, ({ relationship }) => ({ params: { id: relationship.id } })),
  },
  [`GET ${GDAP_PATH}/:id/operations/:operationId`]: {
    caller: provider,
    status: 200,
    valid: async (w) => {
      const { relationship, operationId } = await sharedAssignments(w);
      return { params: { id: relationship.id, operationId } };
    },
    sample: () => ({ params: { id: SAMPLE_ID, operationId: SAMPLE_ID } }),
    otherTenant: (w) =>
      otherAssignments(w, ({ relationship, operationId }) => ({
        params: { id: relationship.id, operationId },
      })),
  },
};

const sharedGroups = new WeakMap<BaseWorld, Promise<SecurityGroup>>();
function sharedGroup(w: BaseWorld): Promise<SecurityGroup> {
  let built = sharedGroups.get(w);
  if (!built) {
    built = createGroup(w.provider.token);
    sharedGroups.set(w, built);
  }
  return built;
}

const otherGroups = new WeakMap<World, Promise<{ group: SecurityGroup; userId: string }>>();
/**
 * Another partner's security group, with a member: 404 `security_group.not_found` as a group that
 * exists nowhere, nothing of it in the answer, its rows unchanged.
 */
async function otherGroup(
  w: World,
  call: (ids: { group: SecurityGroup; userId: string }) => RouteCall,
): Promise<CrossTenantCall> {
  let built = otherGroups.get(w);
  if (!built) {
    built = (async () => {
      const group = await createGroup(w.other.provider.token);
      const userId = w.other.user.user.id;
      expectStatus(await addMember(w.other.provider.token, group.id, userId), 204);
      return { group, userId };
    })();
    otherGroups.set(w, built);
  }
  const ids = await built;
  return {
    ...call(ids),
    code: 'security_group.not_found',
    secrets: [ids.group.id, ids.group.displayName, ids.userId],
    watch: () =>
      dbRows(
        'identity',
        `select g.display_name, array(select user_id from security_group_member m where m.group_id = g.id order by user_id) as members
           from security_group g where g.id = $1`,
        [ids.group.id],
      ),
  };
}

/** A new user of the world's provider (no sign-in needed: it only joins a group). */
async function providerUserId(w: BaseWorld): Promise<string> {
  return (await addUser(w.provider.token, ['HelpdeskAgent'])).user.id;
}

/** The route fixtures of the security-group routes (identity, issue 10 part 2). */
export const SECURITY_GROUP_ROUTE_FIXTURES: Record<string, RouteFixture> = {
  'POST /v1/security-groups': {
    caller: provider,
    status: 201,
    valid: () => Promise.resolve({ body: { displayName: 'Helpdesk agents' } }),
    otherTenant: NO_RESOURCE,
  },
  'GET /v1/security-groups': {
    caller: provider,
    status: 200,
    valid: () => Promise.resolve({ query: { size: '5' } }),
    otherTenant: NO_RESOURCE,
  },
  'GET /v1/security-groups/:id': {
    caller: provider,
    status: 200,
    valid: async (w) => ({ params: { id: (await sharedGroup(w)).id } }),
    sample: () => ({ params: { id: SAMPLE_ID } }),
    otherTenant: (w) => otherGroup(w, ({ group }) => ({ params: { id: group.id } })),
  },
  'DELETE /v1/security-groups/:id': {
    caller: provider,
    status: 204,
    valid: async (w) => ({ params: { id: (await createGroup(w.provider.token)).id } }),
    sample: () => ({ params: { id: SAMPLE_ID } }),
    otherTenant: (w) => otherGroup(w, ({ group }) => ({ params: { id: group.id } })),
  },
  'POST /v1/security-groups/:id/members': {
    caller: provider,
    status: 204,
    valid: async (w) => ({
      params: { id: (await createGroup(w.provider.token)).id },
      body: { userId: await providerUserId(w) },
    }),
    sample: () => ({ params: { id: SAMPLE_ID }, body: { userId: SAMPLE_ID } }),
    otherTenant: async (w) =>
      otherGroup(w, ({ group }) => ({ params: { id: group.id }, body: { userId: SAMPLE_ID } })),
  },
  'DELETE /v1/security-groups/:id/members/:userId': {
    caller: provider,
    status: 204,
    valid: async (w) => {
      const group = await createGroup(w.provider.token);
      const userId = await providerUserId(w);
      expectStatus(await addMember(w.provider.token, group.id, userId), 204);
      return { params: { id: group.id, userId } };
    },
    sample: () => ({ params: { id: SAMPLE_ID, userId: SAMPLE_ID } }),
    otherTenant: (w) =>
      otherGroup(w, ({ group, userId }) => ({ params: { id: group.id, userId } })),
  },
};
