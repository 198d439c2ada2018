import {
  api,
  dbRows,
  eventually,
  startExtraInstance,
  tokenIn,
  waitForEmail,
  type ExtraInstance,
} from '../support';
import {
  activeGdap,
  createGdap,
  expectGraphError,
  gdapBody,
  gdapChannel,
  gdapRequest,
  getGdap,
  type GdapChannel,
} from '../support/relationships/gdap';

/**
 * Issue 10 part 1, "lifecycle work that runs by itself", with two instances of relationships
 * polling the same database: expiring 30 days ahead (with the 30-day notice), the 7- and 1-day
 * notices, expiry at endDateTime, the 180-day roll-forward of P180D relationships, and the 90-day
 * expiry of an approval request. Time is driven by writing the dates into the rows; each step must
 * be written exactly once (one activity-log entry, one outbox email per recipient).
 */

type Row = {
  id: string;
  status: string;
  notice7_sent_at: Date | null;
  notice1_sent_at: Date | null;
};

async function rowsOf(ids: string[]): Promise<Row[]> {
  return dbRows<Row>(
    'relationships',
    'select id, status, notice7_sent_at, notice1_sent_at from delegated_admin_relationship where id = any($1::uuid[])',
    [ids],
  );
}

async function setEnd(ids: string[], interval: string): Promise<void> {
  await dbRows(
    'relationships',
    `update delegated_admin_relationship set end_at = now() + $2::interval where id = any($1::uuid[])`,
    [ids, interval],
  );
}

async function typesOf(id: string): Promise<string[]> {
  const rows = await dbRows<{ type: string }>(
    'relationships',
    'select type from activity_log_entry where resource_id = $1 order by occurred_at, id',
    [id],
  );
  return rows.map((r) => r.type);
}

/** Outbox emails of `template` about the relationship named `name`, by recipient. */
async function outboxEmails(template: string, name: string): Promise<Record<string, number>> {
  const rows = await dbRows<{ to: string; days: string | null }>(
    'relationships',
    `select payload->>'to' as "to", payload->'data'->>'daysAhead' as days from outbox_message
      where name = 'email.send' and payload->>'template' = $1 and payload->'data'->>'relationshipName' = $2`,
    [template, name],
  );
  const counts: Record<string, number> = {};
  for (const row of rows) {
    const key = `${row.to}${row.days ? `:${row.days}` : ''}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

describe('GDAP lifecycle jobs, exactly once with two instances', () => {
  let channel: GdapChannel;
  let second: ExtraInstance;

  beforeAll(async () => {
    [channel, second] = await Promise.all([gdapChannel(), startExtraInstance('relationships')]);
  }, 180_000);

  afterAll(async () => {
    await second?.stop();
  });

  it('moves active relationships to expiring with the 30-day notice, sends the 7- and 1-day notices and expires them', async () => {
    const { partner, customer } = channel;
    const relationships = await Promise.all([1, 2, 3].map(() => activeGdap(channel)));
    const ids = relationships.map((r) => r.id);

    await setEnd(ids, '20 days');
    await eventually('expiring', async () =>
      (await rowsOf(ids)).every((r) => r.status === 'expiring') ? true : undefined,
    );
    await waitForEmail({
      to: customer.email,
      subjectIncludes: `"${relationships[0].displayName}" ends in 30 days`,
    });
    await waitForEmail({
      to: partner.email,
      subjectIncludes: `"${relationships[0].displayName}" ends in 30 days`,
    });

    await setEnd(ids, '5 days');
    await eventually('7-day notices', async () =>
      (await rowsOf(ids)).every((r) => r.notice7_sent_at) ? true : undefined,
    );
    await setEnd(ids, '12 hours');
    await eventually('1-day notices', async () =>
      (await rowsOf(ids)).every((r) => r.notice1_sent_at) ? true : undefined,
    );
    await waitForEmail({
      to: customer.email,
      subjectIncludes: `"${relationships[1].displayName}" ends in 1 day`,
    });
    await setEnd(ids, '-1 second');
    await eventually('expired', async () =>
      (await rowsOf(ids)).every((r) => r.status === 'expired') ? true : undefined,
    );

    for (const relationship of relationships) {
      expect(await typesOf(relationship.id)).toEqual([
        'delegated_admin_relationship.created',
        'delegated_admin_relationship.approval_requested',
        'delegated_admin_relationship.approved',
        'delegated_admin_relationship.expiring',
        'delegated_admin_relationship.expiry_notice',
        'delegated_admin_relationship.expiry_notice',
        'delegated_admin_relationship.expired',
      ]);
      const notices = await outboxEmails('gdap-expiry-notice', relationship.displayName);
      expect(notices).toEqual({
        [`${customer.email}:30`]: 1,
        [`${customer.email}:7`]: 1,
        [`${customer.email}:1`]: 1,
        [`${partner.email}:30`]: 1,
        [`${partner.email}:7`]: 1,
        [`${partner.email}:1`]: 1,
      });
    }
    // An expired relationship is ended: it cannot be terminated or changed.
    expectGraphError(
      await gdapRequest(partner.token, ids[0], 'terminate'),
      409,
      'gdap.invalid_status',
    );
    expect((await getGdap(customer.token, ids[0])).status).toBe('expired');
  }, 180_000);

  it('rolls a P180D relationship forward 180 days at its end, once', async () => {
    const relationship = await activeGdap(channel, { autoExtendDuration: 'P180D' });
    await setEnd([relationship.id], '-1 minute');
    const extended = await eventually('extended', async () => {
      const [row] = await dbRows<{ status: string; ahead: boolean }>(
        'relationships',
        `select status, end_at > now() + interval '178 days' as ahead from delegated_admin_relationship where id = $1`,
        [relationship.id],
      );
      return row.ahead ? row : undefined;
    });
    expect(extended.status).toBe('active');
    // A later step of another relationship proves both instances ran rounds since.
    const probe = await activeGdap(channel);
    await setEnd([probe.id], '-1 second');
    await eventually('probe expiring', async () =>
      (await rowsOf([probe.id]))[0].status !== 'active' ? true : undefined,
    );
    const types = await typesOf(relationship.id);
    expect(types.filter((t) => t === 'delegated_admin_relationship.extended')).toHaveLength(1);
    expect(types).not.toContain('delegated_admin_relationship.expiring');
  }, 120_000);

  it('expires an approval request not acted on for 90 days; its link dies', async () => {
    const { partner, customer } = channel;
    const created = await createGdap(partner.token, gdapBody(customer.tenantId));
    expect((await gdapRequest(partner.token, created.id, 'lockForApproval')).status).toBe(201);
    const email = await waitForEmail({
      to: customer.email,
      subjectIncludes: 'administrator access',
      since: new Date(created.createdDateTime),
    });
    await dbRows(
      'relationships',
      `update delegated_admin_relationship set approval_expires_at = now() - interval '1 second' where id = $1`,
      [created.id],
    );
    await eventually('approval expired', async () =>
      (await rowsOf([created.id]))[0].status === 'expired' ? true : undefined,
    );
    const [request] = await dbRows<{ status: string }>(
      'relationships',
      `select status from delegated_admin_relationship_request where relationship_id = $1 and action = 'lockForApproval'`,
      [created.id],
    );
    expect(request.status).toBe('failed');
    expect(
      (
        await api('relationships')
          .get('/invitations/delegated-admin-relationship')
          .query({ token: tokenIn(email) })
      ).status,
    ).toBe(404);
    expectGraphError(
      await gdapRequest(customer.token, created.id, 'approve'),
      409,
      'gdap.invalid_status',
    );
    const types = await typesOf(created.id);
    expect(types.filter((t) => t === 'delegated_admin_relationship.expired')).toHaveLength(1);
  }, 120_000);
});
