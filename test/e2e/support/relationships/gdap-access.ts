import { expectStatus } from '../http';
import { addActiveUser, type ActivatedUser } from '../identity/flows';
import type { AddedUser } from '../identity/types';
import { api, bearer } from '../system';
import { GDAP_PATH } from './gdap';

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
