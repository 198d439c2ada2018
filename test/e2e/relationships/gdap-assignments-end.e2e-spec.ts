import { api, bearer, dbRows, eventually, expectStatus } from '../support';
import {
  GDAP_PATH,
  ROLE,
  activeGdap,
  createGdap,
  gdapBody,
  gdapChannel,
  gdapRequest,
  type GdapChannel,
  type GdapRelationship,
} from '../support/relationships/gdap';
import { assign, createGroup, type AccessAssignment } from '../support/relationships/gdap-access';

/**
 * Issue 10: a relationship that ends leaves no access assignment active or pending. Its
 * termination (by either side), the customer's rejection, its expiry at `endDateTime` and the
 * expiry of an approval never given move every live assignment to `deleted` (Graph) in the
 * transaction of the end: read back through the API (`$filter=status eq 'deleted'`, each
 * assignment), in the rows, and counted in the relationship's activity-log entry. Time is driven
 * by writing the dates into the rows; the lifecycle job of the running system does the rest.
 */

function assignments(token: string, relationshipId: string, query: Record<string, string> = {}) {
  return api('relationships')
    .get(`${GDAP_PATH}/${relationshipId}/accessAssignments`)
    .query(query)
    .set(bearer(token));
}

/** Two groups assigned on `relationship` (active on an active one, pending otherwise). */
async function twoAssignments(
  channel: GdapChannel,
  relationship: GdapRelationship,
): Promise<AccessAssignment[]> {
  const out: AccessAssignment[] = [];
  for (let i = 0; i < 2; i += 1) {
    const group = await createGroup(channel.partner.token);
    out.push(
      await assign(channel.partner.token, relationship.id, group.id, [ROLE.userAdministrator]),
    );
  }
  return out;
}

/** Every assignment of the relationship is deleted, through the API and in the rows. */
async function expectAllDeleted(
  channel: GdapChannel,
  relationshipId: string,
  ids: string[],
): Promise<void> {
  const { partner } = channel;
  const all = expectStatus<{ value: AccessAssignment[] }>(
    await assignments(partner.token, relationshipId),
    200,
  );
  expect(all.value.map((a) => [a.id, a.status]).sort()).toEqual(
    ids.map((id) => [id, 'deleted']).sort(),
  );
  for (const status of ['active', 'pending']) {
    const live = expectStatus<{ value: AccessAssignment[] }>(
      await assignments(partner.token, relationshipId, { $filter: `status eq '${status}'` }),
      200,
    );
    expect(live.value).toEqual([]);
  }
  const rows = await dbRows<{ status: string }>(
    'relationships',
    'select status from delegated_admin_access_assignment where relationship_id = $1',
    [relationshipId],
  );
  expect(rows.map((r) => r.status)).toEqual(ids.map(() => 'deleted'));
}

/** The `assignmentsDeleted` of the relationship's last activity-log entry of `type`. */
async function deletedCountIn(relationshipId: string, type: string): Promise<unknown> {
  const rows = await dbRows<{ after: Record<string, unknown> }>(
    'relationships',
    'select after from activity_log_entry where resource_id = $1 and type = $2 order by occurred_at desc, id desc limit 1',
    [relationshipId, type],
  );
  return rows[0]?.after.assignmentsDeleted;
}

describe('GDAP: an ended relationship leaves no access assignment active (issue 10)', () => {
  let channel: GdapChannel;

  beforeAll(async () => {
    channel = await gdapChannel();
  }, 180_000);

  it('termination by the partner or the customer deletes the assignments', async () => {
    const { partner, customer } = channel;
    for (const side of [partner, customer]) {
      const relationship = await activeGdap(channel);
      const made = await twoAssignments(channel, relationship);
      expect(made.map((a) => a.status)).toEqual(['active', 'active']);
      expectStatus(await gdapRequest(side.token, relationship.id, 'terminate'), 201);
      await expectAllDeleted(
        channel,
        relationship.id,
        made.map((a) => a.id),
      );
      expect(await deletedCountIn(relationship.id, 'delegated_admin_relationship.terminated')).toBe(
        2,
      );
    }
  });

  it("the customer's rejection deletes the pending assignments", async () => {
    const { partner, customer } = channel;
    const relationship = await createGdap(partner.token, gdapBody(customer.tenantId));
    const made = await twoAssignments(channel, relationship);
    expect(made.map((a) => a.status)).toEqual(['pending', 'pending']);
    expectStatus(await gdapRequest(partner.token, relationship.id, 'lockForApproval'), 201);
    expectStatus(await gdapRequest(customer.token, relationship.id, 'reject'), 201);
    await expectAllDeleted(
      channel,
      relationship.id,
      made.map((a) => a.id),
    );
    expect(await deletedCountIn(relationship.id, 'delegated_admin_relationship.rejected')).toBe(2);
  });

  it('expiry at endDateTime, and of an approval never given, deletes the assignments', async () => {
    const { partner, customer } = channel;
    const ending = await activeGdap(channel);
    const endingMade = await twoAssignments(channel, ending);
    const waiting = await createGdap(partner.token, gdapBody(customer.tenantId));
    const waitingMade = await twoAssignments(channel, waiting);
    expectStatus(await gdapRequest(partner.token, waiting.id, 'lockForApproval'), 201);

    await dbRows(
      'relationships',
      `update delegated_admin_relationship set end_at = now() - interval '1 second', status = 'expiring' where id = $1`,
      [ending.id],
    );
    await dbRows(
      'relationships',
      `update delegated_admin_relationship set approval_expires_at = now() - interval '1 second' where id = $1`,
      [waiting.id],
    );
    await eventually('both expired', async () => {
      const rows = await dbRows<{ status: string }>(
        'relationships',
        'select status from delegated_admin_relationship where id = any($1::uuid[])',
        [[ending.id, waiting.id]],
      );
      return rows.every((r) => r.status === 'expired') ? true : undefined;
    });
    await expectAllDeleted(
      channel,
      ending.id,
      endingMade.map((a) => a.id),
    );
    await expectAllDeleted(
      channel,
      waiting.id,
      waitingMade.map((a) => a.id),
    );
    expect(await deletedCountIn(ending.id, 'delegated_admin_relationship.expired')).toBe(2);
    expect(await deletedCountIn(waiting.id, 'delegated_admin_relationship.expired')).toBe(2);
  });
});
