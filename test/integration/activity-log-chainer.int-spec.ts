import { Logger, LoggerService } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { ActivityLogChainLink } from '../../apps/relationships/src/activity-log/activity-log-chain-link.entity';
import { ActivityLogChainer } from '../../apps/relationships/src/activity-log/activity-log-chainer.service';
import { ActivityLogEntry } from '../../apps/relationships/src/activity-log/activity-log-entry.entity';
import { MIGRATIONS as RELATIONSHIPS_MIGRATIONS } from '../../apps/relationships/src/database/migrations';
import { IntegrationDatabase, createIntegrationDatabase } from './support/database';

// Plain JavaScript (scripts/audit-verify.js): the verifier `npm run audit:verify` runs.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { verify } = require('../../scripts/audit-verify.js') as {
  verify(client: Client): Promise<{
    chains: number;
    links: number;
    pending: number;
    broken: { tenantId: string; seq: number; entryId: string; problem: string }[];
  }>;
};

/**
 * The activity log's hash chainer (issue 14 "tamper-evident") on PostgreSQL through relationships'
 * committed migrations: rounds of `chainBatch` interleaved with recording keep every organisation's
 * chain gapless past nine links (the head is the numerically last `seq`), and an entry that cannot
 * be linked is logged and held back without stopping the others or being linked twice.
 */

/** Error lines the chainer logged (Nest's Logger, overridden). */
const errors: string[] = [];
const capture: LoggerService = {
  log: () => undefined,
  warn: () => undefined,
  error: (message: unknown) => void errors.push(String(message)),
};

describe('activity log chainer', () => {
  let db: IntegrationDatabase;
  let client: Client;
  let chainer: ActivityLogChainer;

  beforeAll(async () => {
    Logger.overrideLogger(capture);
    db = await createIntegrationDatabase(
      [ActivityLogEntry, ActivityLogChainLink],
      RELATIONSHIPS_MIGRATIONS,
    );
    client = new Client({ connectionString: db.url });
    await client.connect();
    chainer = new ActivityLogChainer(db.orm.em);
  });

  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  /** Record one entry concerning `tenantIds` (committed in its own transaction, as a request). */
  async function record(tenantIds: string[]): Promise<string> {
    const entry = Object.assign(new ActivityLogEntry(), {
      type: 'partnership.established',
      actorKind: 'system' as const,
      tenantIds,
      resourceType: 'partnership',
      resourceId: randomUUID(),
      after: { status: 'active', at: new Date().toISOString() },
      source: 'relationships' as const,
    });
    await db.orm.em.fork().persistAndFlush(entry);
    return entry.id;
  }

  async function chain(tenantId: string): Promise<{ seq: string; entry_id: string }[]> {
    const { rows } = await client.query<{ seq: string; entry_id: string }>(
      `select c."seq"::text as "seq", c."entry_id" from "activity_log_chain" c where c."tenant_id" = $1 order by c."seq"`,
      [tenantId],
    );
    return rows;
  }

  async function unchained(ids: string[]): Promise<string[]> {
    const { rows } = await client.query<{ id: string }>(
      `select "id" from "activity_log_entry" where "id" = any($1::uuid[]) and not "chained"`,
      [ids],
    );
    return rows.map((row) => row.id);
  }

  it('keeps each chain gapless past nine links while entries are recorded between and during rounds', async () => {
    const provider = randomUUID();
    const reseller = randomUUID();
    const customer = randomUUID();
    const recorded: string[] = [];
    for (let round = 0; round < 14; round += 1) {
      // Recording concurrently with the round: whatever commits before the round reads is linked
      // now, the rest next round.
      const [, ...ids] = await Promise.all([
        chainer.chainBatch(),
        record([provider, reseller]),
        record(round % 3 === 0 ? [reseller, customer] : [provider, reseller]),
      ]);
      recorded.push(...ids);
    }
    while ((await chainer.chainBatch()) > 0);

    expect(await unchained(recorded)).toEqual([]);
    const resellerChain = await chain(reseller);
    expect(resellerChain.map((link) => link.seq)).toEqual(
      recorded.map((_, index) => String(index + 1)),
    );
    expect(new Set(resellerChain.map((link) => link.entry_id))).toEqual(new Set(recorded));
    const providerChain = await chain(provider);
    expect(providerChain.length).toBeGreaterThan(10);
    expect(providerChain.map((link) => link.seq)).toEqual(
      providerChain.map((_, index) => String(index + 1)),
    );
    const result = await verify(client);
    expect(result.broken).toEqual([]);
    expect(result.pending).toBe(0);
  });

  it('holds back an entry it cannot link, logs it, never links it twice, and links the rest', async () => {
    const partner = randomUUID();
    const customer = randomUUID();
    const first = await record([partner, customer]);
    expect(await chainer.chainBatch()).toBe(1);
    // The entry's flag is lost after linking (a restored backup, a manual update): linking it
    // again would put one event twice into each chain.
    await client.query(`update "activity_log_entry" set "chained" = false where "id" = $1`, [
      first,
    ]);
    const before = await record([partner]);
    const after = await record([partner, customer]);
    errors.length = 0;

    const linked = await chainer.chainBatch();

    expect(linked).toBe(2);
    expect(await unchained([first, before, after])).toEqual([first]);
    expect((await chain(partner)).map((link) => link.entry_id)).toEqual([first, before, after]);
    expect((await chain(customer)).map((link) => link.entry_id)).toEqual([first, after]);
    expect(errors).toEqual([expect.stringContaining(`entry ${first}`)]);
    expect(errors[0]).toContain('held back');

    // Later rounds keep linking new entries and neither relink nor log the held one again.
    const later = await record([customer]);
    expect(await chainer.chainBatch()).toBe(1);
    expect((await chain(customer)).map((link) => link.entry_id)).toEqual([first, after, later]);
    expect(await unchained([first])).toEqual([first]);
    expect(errors).toHaveLength(1);
  });
});
