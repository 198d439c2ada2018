import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import {
  confirmLinkPage,
  emailsTo,
  enroll,
  eventually,
  newEnrollmentBody,
  linkIn,
  startSeveralInstances,
  uniqueEmail,
  uniqueName,
  waitForEmail,
  type SeveralInstances,
} from '../support';

/**
 * Two instances of each service (issue 13 goal 3): the work that must happen once happens once,
 * whichever instance runs it. The instances share a system of their own (databases, BullMQ prefix,
 * message namespace: support/instances.ts startSeveralInstances), so that every count below is
 * exact:
 * - the outbox relay: each outbox row of either service relayed to exactly one job
 *   (`relay_count` 1, and the instances' `outbox_relayed_total` summing to the rows), each email
 *   delivered once (MailDev);
 * - the confirmation: each row settled once (`outbox_settled_total` summed over the instances
 *   equals the settled rows; a second settlement would count twice);
 * - request/response: the handler runs over every instance equal the calls made;
 * - the activity-log chainer: each entry linked once into each of its organisations' chains, and
 *   `npm run audit:verify` finds every chain intact;
 * - signing-key rotation, forced: both identity instances start at once while the active key is
 *   due, and exactly one new key is made;
 * - the unverified-accounts sweep (every second on both identity instances): an expired
 *   enrollment is deleted once (one `unverified_account.removed` event).
 */

const REQUESTS = 24;
const RELATIONSHIP_REQUESTS = '/v1/customers/relationship-requests';

async function post(
  base: string,
  route: string,
  body: unknown,
  token?: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${base}${route}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

describe('two instances of each service', () => {
  let system: SeveralInstances;
  let token: string;
  let partnerTenantId: string;
  const recipients: string[] = [];

  beforeAll(async () => {
    system = await startSeveralInstances(2, {
      identity: { UNVERIFIED_ACCOUNT_TTL_HOURS: '1', UNVERIFIED_SWEEP_SECONDS: '1' },
    });
    const [identity] = system.urls('identity');
    const body = newEnrollmentBody('indirect_reseller');
    const created = await enroll(body, identity);
    partnerTenantId = created.tenantId;
    // The primary contact is the Global admin: following the link verifies both.
    await confirmLinkPage(linkIn(await waitForEmail({ to: body.primaryContact.email })));
    const signedIn = await post(identity, '/v1/auth/token', {
      email: body.globalAdmin.email,
      password: body.globalAdmin.password,
      organization: partnerTenantId,
    });
    expect(signedIn.status).toBe(200);
    token = signedIn.body.accessToken as string;
  }, 240_000);

  afterAll(async () => {
    await system?.stop();
  });

  it('relays each outbox row to one job, delivers each email once and settles each row once', async () => {
    const relationships = system.urls('relationships');
    expect(relationships).toHaveLength(2);
    // Spread over both instances, as a load balancer would.
    const answers = await Promise.all(
      Array.from({ length: REQUESTS }, (_, i) => {
        const email = uniqueEmail(`customer${i}`, 'several-instances');
        recipients.push(email);
        return post(
          relationships[i % 2],
          RELATIONSHIP_REQUESTS,
          { email, delegatedAdmin: false },
          token,
        );
      }),
    );
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 201));

    // Every row of both services relayed and settled (the confirmation rounds ran).
    for (const service of ['relationships', 'identity'] as const) {
      await eventually(
        `every ${service} outbox row settled`,
        async () => {
          const [row] = await system.query<{ open: number }>(
            service,
            'select count(*)::int as open from outbox_message where settled_at is null',
          );
          return row.open === 0 ? true : undefined;
        },
        90_000,
        250,
      );
    }
    for (const to of recipients) {
      await waitForEmail({ to });
    }

    for (const service of ['relationships', 'identity'] as const) {
      const rows = await system.query<{ id: string; relay_count: number; settlement: string }>(
        service,
        'select id, relay_count, settlement from outbox_message',
      );
      expect(rows.length).toBeGreaterThan(0);
      // Relayed once each: a second relay of a row (two instances claiming it) counts 2.
      expect(rows.filter((row) => row.relay_count !== 1)).toEqual([]);
      expect(await system.counter(service, 'outbox_relayed_total')).toBe(rows.length);
      expect(await system.counter(service, 'outbox_relayed_again_total')).toBe(0);
      // Settled once each, over both instances.
      expect(await system.counter(service, 'outbox_settled_total')).toBe(rows.length);
    }
    const emailRows = await system.query<{ n: number }>(
      'relationships',
      "select count(*)::int as n from outbox_message where payload->>'to' = any($1::text[]) or payload::text like any($2::text[])",
      [recipients, recipients.map((to) => `%${to}%`)],
    );
    expect(emailRows[0].n).toBe(REQUESTS);
    // One delivery record per email, and one message per recipient in MailDev.
    const [deliveries] = await system.query<{ n: number }>(
      'notifications',
      'select count(*)::int as n from delivery',
    );
    expect(deliveries.n).toBeGreaterThanOrEqual(REQUESTS);
    for (const to of recipients) {
      expect(await emailsTo({ to })).toHaveLength(1);
    }
  });

  it('runs each call between services on exactly one instance', async () => {
    // Calls in flight at a scrape are counted on one side only: read until both sides agree.
    const counts = await eventually(
      'the calls and the handler runs to settle',
      async () => {
        let calls = 0;
        let handled = 0;
        for (const service of ['identity', 'relationships', 'notifications'] as const) {
          calls += await system.counter(service, 'rpc_calls_total');
          handled += await system.counter(service, 'rpc_handled_total');
        }
        return calls === handled ? { calls, handled } : undefined;
      },
      30_000,
      200,
    );
    expect(counts.calls).toBeGreaterThan(0);
  });

  it('links each activity-log entry once into each of its chains, and audit:verify finds them intact', async () => {
    let last: { total: number; unchained: number } | undefined;
    const entries = await eventually(
      'every activity-log entry chained',
      async () => {
        [last] = await system.query<{ total: number; unchained: number }>(
          'relationships',
          'select count(*)::int as total, count(*) filter (where not chained)::int as unchained from activity_log_entry',
        );
        return last.total > 0 && last.unchained === 0 ? last : undefined;
      },
      45_000,
      250,
    ).catch((error: Error) => {
      throw new Error(`${error.message} (last: ${JSON.stringify(last)})`);
    });
    expect(entries.total).toBeGreaterThanOrEqual(REQUESTS);
    const twice = await system.query(
      'relationships',
      'select entry_id, tenant_id, count(*)::int as n from activity_log_chain group by 1, 2 having count(*) > 1',
    );
    expect(twice).toEqual([]);
    // One link per entry and organisation it names, and each chain numbered 1..n without gaps.
    const [links] = await system.query<{ links: number; expected: number }>(
      'relationships',
      `select (select count(*)::int from activity_log_chain) as links,
              (select count(*)::int from activity_log_entry e, unnest(e.tenant_ids) t) as expected`,
    );
    expect(links.links).toBe(links.expected);
    const gaps = await system.query(
      'relationships',
      'select tenant_id from activity_log_chain group by tenant_id having max(seq) <> count(*)',
    );
    expect(gaps).toEqual([]);
    const verify = spawnSync(
      process.execPath,
      [join(__dirname, '../../../scripts/audit-verify.js')],
      {
        env: {
          PATH: process.env.PATH ?? '',
          DATABASE_URL: `${system.settings.postgresUrl}/${system.settings.databases.relationships}`,
        },
        encoding: 'utf8',
      },
    );
    expect({ status: verify.status, output: verify.stdout + verify.stderr }).toMatchObject({
      status: 0,
    });
  }, 90_000);

  it('makes exactly one new signing key when both identity instances start while the key is due', async () => {
    const identities = system.instances.identity.slice();
    const ports = identities.map((instance) => Number(new URL(instance.url).port));
    await Promise.all(identities.map((instance) => system.stopInstance(instance)));
    const [due] = await system.query<{ kid: string; at: Date }>(
      'identity',
      `update signing_key set created_at = now() - interval '400 days'
        where status = 'active' returning kid, now() as at`,
    );
    expect(due).toBeDefined();
    // Both at once: each takes the advisory lock in turn at start-up; the second finds a fresh key.
    await Promise.all(ports.map((port, i) => system.startInstance('identity', i + 1, port)));
    const created = await system.query<{ kid: string; status: string }>(
      'identity',
      'select kid, status from signing_key where created_at >= $1',
      [due.at],
    );
    expect(created).toHaveLength(1);
    expect(created[0].status).toBe('active');
    const [active] = await system.query<{ n: number }>(
      'identity',
      "select count(*)::int as n from signing_key where status = 'active'",
    );
    expect(active.n).toBe(1);
    const [old] = await system.query<{ status: string }>(
      'identity',
      'select status from signing_key where kid = $1',
      [due.kid],
    );
    expect(old.status).toBe('previous');
    // And both instances publish it.
    for (const url of system.urls('identity')) {
      const jwks = (await (await fetch(`${url}/.well-known/jwks.json`)).json()) as {
        keys: { kid: string }[];
      };
      expect(jwks.keys[0]?.kid).toBe(created[0].kid);
    }
  }, 120_000);

  it('deletes an expired unverified enrollment once, though both identity instances sweep every second', async () => {
    const [identity] = system.urls('identity');
    const body = newEnrollmentBody('indirect_reseller');
    body.legalBusinessName = uniqueName('Unverified Litware');
    const { tenantId } = await enroll(body, identity);
    await system.query(
      'identity',
      "update tenant set created_at = now() - interval '2 hours' where id = $1",
      [tenantId],
    );
    await eventually(
      'the expired enrollment swept',
      async () => {
        const rows = await system.query('identity', 'select 1 from tenant where id = $1', [
          tenantId,
        ]);
        return rows.length === 0 ? true : undefined;
      },
      30_000,
      200,
    );
    const removed = await system.query<{ id: string }>(
      'identity',
      `select id from outbox_message
        where payload->>'type' = 'unverified_account.removed'
          and payload->'tenantIds' ? $1`,
      [tenantId],
    );
    expect(removed).toHaveLength(1);
    // Relayed to the activity log once.
    const entries = await eventually(
      'the removal in the activity log',
      async () => {
        const rows = await system.query<{ id: string }>(
          'relationships',
          `select id from activity_log_entry where type = 'unverified_account.removed' and $1 = any(tenant_ids)`,
          [tenantId],
        );
        return rows.length > 0 ? rows : undefined;
      },
      30_000,
      200,
    );
    expect(entries).toHaveLength(1);
  });
});
