import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import {
  IntegrationDatabase,
  createIntegrationDatabase,
} from '../../../../test/integration/support/database';
import { ENTITIES } from '../database/entities';
import { MIGRATIONS } from '../database/migrations';
import { Delivery } from '../delivery-records/delivery.entity';
import {
  AttemptOutcome,
  ClaimRequest,
  DeliveryJobSummary,
  PostgresDeliveryStore,
} from './delivery.store';

/**
 * The `delivery` table's rules, proved on PostgreSQL through the notifications service's committed
 * migrations: claims held by a lease, outcomes recorded only by the claim's holder (a `sent` one
 * always), skips, the group commit of claims and outcomes, and the status answer.
 */

const LEASE_MS = 15_000;
const SUMMARY: DeliveryJobSummary = {
  template: 'partnership-request',
  recipient: 'admin@fabrikam.example',
  locale: 'ja',
  expiresAt: new Date('2026-12-07T14:00:00.000Z'),
};
const KEPT = {
  data: { providerName: 'Contoso Distribution', providerMpnId: '1234567' },
  sealedLink: 'v1.sealed-link',
};

let db: IntegrationDatabase;
let store: PostgresDeliveryStore;

beforeAll(async () => {
  db = await createIntegrationDatabase(ENTITIES, MIGRATIONS);
});

afterAll(async () => {
  await db?.drop();
});

beforeEach(() => {
  store = new PostgresDeliveryStore(db.orm.em);
});

/** Each test its own keys: nothing is cleaned between tests. */
const newKey = () => randomUUID();
const messageIdOf = (key: string) => `<${key}@partners.example>`;

function claimOf(key: string, overrides: Partial<ClaimRequest> = {}): ClaimRequest {
  return {
    idempotencyKey: key,
    messageId: messageIdOf(key),
    claimant: randomUUID(),
    leaseMs: LEASE_MS,
    job: SUMMARY,
    ...overrides,
  };
}

function outcomeOf(
  key: string,
  claimant: string,
  overrides: Partial<AttemptOutcome> = {},
): AttemptOutcome {
  return {
    idempotencyKey: key,
    claimant,
    status: 'sent',
    settled: true,
    permanent: false,
    smtpResponse: '250 OK: queued',
    subject: 'パートナーシップのリクエスト',
    locale: 'ja',
    sentAt: new Date(),
    ...overrides,
  };
}

/** The row as it is now (a fresh EntityManager: nothing cached). */
async function row(key: string): Promise<Delivery | null> {
  return db.orm.em.fork().findOne(Delivery, { idempotencyKey: key });
}

/** A crashed claimant's lease running out: moves `lease_until` into the past. */
async function endLease(key: string): Promise<void> {
  await db.orm.em
    .getConnection()
    .execute(
      `update "delivery" set "lease_until" = now() - interval '1 second' where "idempotency_key" = ?`,
      [key],
    );
}

/** Claims `key` and records `overrides` as its attempt's outcome. */
async function recorded(key: string, overrides: Partial<AttemptOutcome>): Promise<string> {
  const claim = claimOf(key);
  expect(await store.claim(claim)).toEqual({ claimed: true, attempts: 1 });
  expect(await store.record(outcomeOf(key, claim.claimant, overrides))).toBe(true);
  return claim.claimant;
}

/** Counts the statements sent to PostgreSQL (the driver's `Client.query` calls) while `work` runs. */
async function statementsDuring(work: () => Promise<unknown>): Promise<number> {
  const query = jest.spyOn(Client.prototype, 'query');
  try {
    await work();
    return query.mock.calls.length;
  } finally {
    query.mockRestore();
  }
}

describe('PostgresDeliveryStore', () => {
  describe('claim', () => {
    it('creates a pending row for a new key, held by the claimant until the lease ends', async () => {
      const key = newKey();
      const claim = claimOf(key);
      const before = Date.now();
      expect(await store.claim(claim)).toEqual({ claimed: true, attempts: 1 });
      const claimed = await row(key);
      expect(claimed).toMatchObject({
        idempotencyKey: key,
        messageId: messageIdOf(key),
        status: 'pending',
        settled: false,
        permanent: false,
        attempts: 1,
        claimedBy: claim.claimant,
        template: SUMMARY.template,
        recipient: SUMMARY.recipient,
        locale: SUMMARY.locale,
        expiresAt: SUMMARY.expiresAt,
        subject: null,
        sentAt: null,
        data: null,
        sealedLink: null,
      });
      expect(claimed?.id).toEqual(expect.any(String));
      const leaseUntil = claimed!.leaseUntil!.getTime();
      expect(leaseUntil).toBeGreaterThanOrEqual(before + LEASE_MS - 1000);
      expect(leaseUntil).toBeLessThanOrEqual(Date.now() + LEASE_MS + 1000);
    });

    it('refuses a key held by a live lease, answering the holder, and counts no attempt', async () => {
      const key = newKey();
      const first = claimOf(key);
      await store.claim(first);
      const second = await store.claim(claimOf(key));
      expect(second).toMatchObject({
        claimed: false,
        current: { idempotencyKey: key, status: 'pending', claimedBy: first.claimant, attempts: 1 },
      });
      expect(await row(key)).toMatchObject({ claimedBy: first.claimant, attempts: 1 });
    });

    it('takes over a key whose lease ended (a crashed attempt), counting the attempt', async () => {
      const key = newKey();
      await store.claim(claimOf(key, { claimant: 'a worker that died' }));
      await endLease(key);
      const takeover = claimOf(key, { job: { ...SUMMARY, locale: 'en', expiresAt: null } });
      expect(await store.claim(takeover)).toEqual({ claimed: true, attempts: 2 });
      expect(await row(key)).toMatchObject({
        status: 'pending',
        claimedBy: takeover.claimant,
        attempts: 2,
        locale: 'en',
        expiresAt: null,
      });
    });

    it('claims a failure that is being retried, never a settled one, a sent or a skipped one', async () => {
      const retrying = newKey();
      await recorded(retrying, { status: 'failed', settled: false, sentAt: null, kept: KEPT });
      expect(await store.claim(claimOf(retrying))).toEqual({ claimed: true, attempts: 2 });

      const failedForGood = newKey();
      await recorded(failedForGood, { status: 'failed', permanent: true, sentAt: null });
      expect(await store.claim(claimOf(failedForGood))).toMatchObject({
        claimed: false,
        current: { status: 'failed', settled: true, permanent: true, attempts: 1 },
      });

      const sent = newKey();
      await recorded(sent, {});
      expect(await store.claim(claimOf(sent))).toMatchObject({
        claimed: false,
        current: { status: 'sent', messageId: messageIdOf(sent), attempts: 1 },
      });

      const skipped = newKey();
      await store.skip({
        idempotencyKey: skipped,
        messageId: messageIdOf(skipped),
        reason: 'revoked',
      });
      expect(await store.claim(claimOf(skipped))).toMatchObject({
        claimed: false,
        current: { status: 'skipped', skipReason: 'revoked', attempts: 0 },
      });
    });

    it('group-commits claims submitted together into one statement, each answered its own', async () => {
      const keys = Array.from({ length: 20 }, newKey);
      let results: unknown[] = [];
      const statements = await statementsDuring(async () => {
        results = await Promise.all(keys.map((key) => store.claim(claimOf(key))));
      });
      expect(statements).toBe(1);
      expect(results).toEqual(keys.map(() => ({ claimed: true, attempts: 1 })));
      for (const key of keys) expect(await row(key)).toMatchObject({ status: 'pending' });
    });

    it('gives a key claimed twice in one batch to the first request only', async () => {
      const key = newKey();
      const first = claimOf(key);
      const [a, b] = await Promise.all([store.claim(first), store.claim(claimOf(key))]);
      expect(a).toEqual({ claimed: true, attempts: 1 });
      expect(b).toMatchObject({
        claimed: false,
        current: { status: 'pending', claimedBy: first.claimant, attempts: 1 },
      });
    });

    it('fails a bad request alone, with the database’s words and without the statement', async () => {
      const good = [newKey(), newKey()];
      const bad = newKey();
      const results = await Promise.allSettled([
        store.claim(claimOf(good[0])),
        // The lease column of the statement's input is an integer: 3e9 ms is out of its range.
        store.claim(claimOf(bad, { leaseMs: 3_000_000_000 })),
        store.claim(claimOf(good[1])),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      const error = (results[1] as PromiseRejectedResult).reason as Error;
      expect(error.message).toMatch(/^delivery store: .*out of range for type integer/);
      expect(error.message).not.toMatch(/insert into|jsonb_to_recordset/);
      expect(await row(bad)).toBeNull();
      for (const key of good) expect(await row(key)).toMatchObject({ status: 'pending' });
    });
  });

  describe('record', () => {
    it('records a sent email, releases the claim and purges the sealed link', async () => {
      const key = newKey();
      const claim = claimOf(key);
      await store.claim(claim);
      const sentAt = new Date('2026-11-30T09:00:00.000Z');
      expect(await store.record(outcomeOf(key, claim.claimant, { sentAt }))).toBe(true);
      expect(await row(key)).toMatchObject({
        status: 'sent',
        settled: true,
        permanent: false,
        smtpResponse: '250 OK: queued',
        subject: 'パートナーシップのリクエスト',
        locale: 'ja',
        sentAt,
        claimedBy: null,
        leaseUntil: null,
        sealedLink: null,
        skipReason: null,
        attempts: 1,
      });
    });

    it('keeps the job data and sealed link of a failure for a replay, and a sent retry purges the link', async () => {
      const key = newKey();
      await recorded(key, {
        status: 'failed',
        settled: false,
        smtpResponse: 'ECONNECTION: connect ECONNREFUSED 127.0.0.1:25',
        sentAt: null,
        kept: KEPT,
      });
      expect(await row(key)).toMatchObject({
        status: 'failed',
        settled: false,
        permanent: false,
        smtpResponse: 'ECONNECTION: connect ECONNREFUSED 127.0.0.1:25',
        data: KEPT.data,
        sealedLink: KEPT.sealedLink,
        claimedBy: null,
        leaseUntil: null,
        sentAt: null,
      });

      const retry = claimOf(key);
      expect(await store.claim(retry)).toEqual({ claimed: true, attempts: 2 });
      expect(await store.record(outcomeOf(key, retry.claimant))).toBe(true);
      expect(await row(key)).toMatchObject({
        status: 'sent',
        attempts: 2,
        sealedLink: null,
        // The data stays (an operator reads what was sent); only the link is purged.
        data: KEPT.data,
      });
    });

    it('keeps the subject and language of an earlier attempt when a later one fails before rendering', async () => {
      const key = newKey();
      await recorded(key, { status: 'failed', settled: false, sentAt: null, kept: KEPT });
      const retry = claimOf(key);
      await store.claim(retry);
      await store.record(
        outcomeOf(key, retry.claimant, {
          status: 'failed',
          permanent: true,
          smtpResponse: 'The sealed link cannot be opened with this key.',
          subject: null,
          locale: null,
          sentAt: null,
          kept: KEPT,
        }),
      );
      expect(await row(key)).toMatchObject({
        status: 'failed',
        settled: true,
        permanent: true,
        subject: 'パートナーシップのリクエスト',
        locale: 'ja',
      });
    });

    it('ignores a failure from an attempt whose claim was taken over', async () => {
      const key = newKey();
      const dead = claimOf(key, { claimant: 'a slow attempt' });
      await store.claim(dead);
      await endLease(key);
      const takeover = claimOf(key);
      await store.claim(takeover);
      const late = outcomeOf(key, dead.claimant, {
        status: 'failed',
        settled: false,
        sentAt: null,
      });
      expect(await store.record(late)).toBe(false);
      expect(await row(key)).toMatchObject({ status: 'pending', claimedBy: takeover.claimant });
    });

    it('records a sent email even from an attempt that lost its claim, but never twice', async () => {
      const key = newKey();
      const slow = claimOf(key, { claimant: 'a slow attempt' });
      await store.claim(slow);
      await endLease(key);
      const takeover = claimOf(key);
      await store.claim(takeover);
      expect(await store.record(outcomeOf(key, slow.claimant, { smtpResponse: '250 first' }))).toBe(
        true,
      );
      expect(await row(key)).toMatchObject({ status: 'sent', smtpResponse: '250 first' });
      expect(
        await store.record(outcomeOf(key, takeover.claimant, { smtpResponse: '250 second' })),
      ).toBe(false);
      expect(await row(key)).toMatchObject({ status: 'sent', smtpResponse: '250 first' });
    });

    it('answers false for a key without a row', async () => {
      expect(await store.record(outcomeOf(newKey(), 'nobody'))).toBe(false);
    });

    it('drops NUL characters, which PostgreSQL text and jsonb cannot hold', async () => {
      const key = newKey();
      const nul = String.fromCharCode(0);
      await recorded(key, {
        status: 'failed',
        settled: false,
        smtpResponse: `451 try${nul} later`,
        sentAt: null,
        kept: { data: { name: `Con${nul}toso`, list: [`a${nul}b`] }, sealedLink: null },
      });
      expect(await row(key)).toMatchObject({
        smtpResponse: '451 try later',
        data: { name: 'Contoso', list: ['ab'] },
      });
    });

    it('group-commits outcomes submitted together into one statement', async () => {
      const claims = Array.from({ length: 10 }, () => claimOf(newKey()));
      await Promise.all(claims.map((claim) => store.claim(claim)));
      let results: boolean[] = [];
      const statements = await statementsDuring(async () => {
        results = await Promise.all(
          claims.map((claim) => store.record(outcomeOf(claim.idempotencyKey, claim.claimant))),
        );
      });
      expect(statements).toBe(1);
      expect(results).toEqual(claims.map(() => true));
      for (const claim of claims) {
        expect(await row(claim.idempotencyKey)).toMatchObject({ status: 'sent' });
      }
    });
  });

  describe('skip', () => {
    it('creates a skipped row for a key not seen yet (a cancel first), without a description', async () => {
      const key = newKey();
      expect(
        await store.skip({ idempotencyKey: key, messageId: messageIdOf(key), reason: 'revoked' }),
      ).toEqual({ skipped: true });
      expect(await row(key)).toMatchObject({
        status: 'skipped',
        skipReason: 'revoked',
        settled: true,
        attempts: 0,
        messageId: messageIdOf(key),
        template: null,
        recipient: null,
        locale: null,
        claimedBy: null,
      });
    });

    it('describes the row it creates when the skip comes from a send (expired)', async () => {
      const key = newKey();
      await store.skip({
        idempotencyKey: key,
        messageId: messageIdOf(key),
        reason: 'expired',
        job: SUMMARY,
      });
      expect(await row(key)).toMatchObject({
        status: 'skipped',
        skipReason: 'expired',
        template: SUMMARY.template,
        recipient: SUMMARY.recipient,
        locale: SUMMARY.locale,
        expiresAt: SUMMARY.expiresAt,
      });
    });

    it('waits for a live claim: not skipped, answering the holder', async () => {
      const key = newKey();
      const claim = claimOf(key);
      await store.claim(claim);
      expect(
        await store.skip({ idempotencyKey: key, messageId: messageIdOf(key), reason: 'revoked' }),
      ).toMatchObject({
        skipped: false,
        current: { status: 'pending', claimedBy: claim.claimant },
      });
      expect(await row(key)).toMatchObject({ status: 'pending', skipReason: null });
    });

    it('skips a pending row whose lease ended, releasing the dead claim', async () => {
      const key = newKey();
      await store.claim(claimOf(key));
      await endLease(key);
      expect(
        await store.skip({
          idempotencyKey: key,
          messageId: messageIdOf(key),
          reason: 'superseded',
        }),
      ).toEqual({ skipped: true });
      expect(await row(key)).toMatchObject({
        status: 'skipped',
        skipReason: 'superseded',
        settled: true,
        claimedBy: null,
        leaseUntil: null,
        template: SUMMARY.template,
      });
    });

    it('skips a failure, retrying or failed for good, and purges its sealed link', async () => {
      for (const settled of [false, true]) {
        const key = newKey();
        await recorded(key, { status: 'failed', settled, sentAt: null, kept: KEPT });
        expect(await row(key)).toMatchObject({ sealedLink: KEPT.sealedLink });
        expect(
          await store.skip({ idempotencyKey: key, messageId: messageIdOf(key), reason: 'revoked' }),
        ).toEqual({ skipped: true });
        expect(await row(key)).toMatchObject({
          status: 'skipped',
          skipReason: 'revoked',
          settled: true,
          sealedLink: null,
        });
      }
    });

    it('leaves a sent delivery alone, answering it', async () => {
      const key = newKey();
      await recorded(key, {});
      expect(
        await store.skip({ idempotencyKey: key, messageId: messageIdOf(key), reason: 'revoked' }),
      ).toMatchObject({ skipped: false, current: { status: 'sent', skipReason: null } });
      expect(await row(key)).toMatchObject({ status: 'sent', skipReason: null });
    });

    it('is idempotent: a second skip answers the first one’s reason', async () => {
      const key = newKey();
      await store.skip({ idempotencyKey: key, messageId: messageIdOf(key), reason: 'revoked' });
      expect(
        await store.skip({
          idempotencyKey: key,
          messageId: messageIdOf(key),
          reason: 'superseded',
          job: SUMMARY,
        }),
      ).toMatchObject({ skipped: false, current: { status: 'skipped', skipReason: 'revoked' } });
      expect(await row(key)).toMatchObject({ skipReason: 'revoked', template: null });
    });
  });

  describe('extendLease', () => {
    it('extends the lease of the claim’s holder only, and of a held claim only', async () => {
      const key = newKey();
      const claim = claimOf(key, { leaseMs: 1000 });
      await store.claim(claim);
      const before = (await row(key))!.leaseUntil!.getTime();
      expect(await store.extendLease(key, claim.claimant, LEASE_MS)).toBe(true);
      const after = (await row(key))!.leaseUntil!.getTime();
      expect(after).toBeGreaterThanOrEqual(before + LEASE_MS - 1000 - 500);

      expect(await store.extendLease(key, 'another attempt', LEASE_MS)).toBe(false);
      expect((await row(key))!.leaseUntil!.getTime()).toBe(after);

      await store.record(outcomeOf(key, claim.claimant));
      expect(await store.extendLease(key, claim.claimant, LEASE_MS)).toBe(false);
      expect(await row(key)).toMatchObject({ leaseUntil: null, claimedBy: null });
    });
  });

  describe('describeSkipped', () => {
    it('fills in what a cancel-created row did not know, once, and only on a skipped row', async () => {
      const key = newKey();
      await store.skip({ idempotencyKey: key, messageId: messageIdOf(key), reason: 'revoked' });
      await store.describeSkipped(key, SUMMARY);
      expect(await row(key)).toMatchObject({
        status: 'skipped',
        template: SUMMARY.template,
        recipient: SUMMARY.recipient,
        locale: SUMMARY.locale,
      });
      await store.describeSkipped(key, {
        ...SUMMARY,
        template: 'enrollment-verification',
        recipient: 'someone@else.example',
      });
      expect(await row(key)).toMatchObject({
        template: SUMMARY.template,
        recipient: SUMMARY.recipient,
      });

      const pending = newKey();
      await store.claim(claimOf(pending, { job: { ...SUMMARY, locale: 'en' } }));
      await store.describeSkipped(pending, SUMMARY);
      expect(await row(pending)).toMatchObject({ status: 'pending', locale: 'en' });
    });
  });

  describe('with a few thousand rows and no statistics (a new deployment)', () => {
    type Sent = { name?: string; text: string; values: unknown[] };

    /** The statements `work` sends through the driver, as sent. */
    async function statementsOf(work: () => Promise<unknown>): Promise<Sent[]> {
      const query = jest.spyOn(Client.prototype, 'query');
      try {
        await work();
        return query.mock.calls.map((call) => call[0] as unknown as Sent);
      } finally {
        query.mockRestore();
      }
    }

    /** `sent` planned again under EXPLAIN with their values: the tables each reads whole. */
    async function tablesReadWhole(sent: Sent[]): Promise<string[]> {
      const client = new Client({ connectionString: db.url });
      await client.connect();
      try {
        const scanned: string[] = [];
        for (const { text, values } of sent) {
          const { rows } = await client.query<{ 'QUERY PLAN': unknown }>(
            `explain (format json) ${text}`,
            values,
          );
          const visit = (node: unknown): void => {
            if (Array.isArray(node)) node.forEach(visit);
            else if (node && typeof node === 'object') {
              const plan = node as Record<string, unknown>;
              if (plan['Node Type'] === 'Seq Scan') scanned.push(String(plan['Relation Name']));
              Object.values(plan).forEach(visit);
            }
          };
          visit(rows[0]['QUERY PLAN']);
        }
        return scanned;
      } finally {
        await client.end();
      }
    }

    it('claims, records and answers states through the primary key, never reading the whole table', async () => {
      // The pool's connections first run every statement while the table is nearly empty: a plan
      // kept from then (a named statement's generic plan, chosen after five executions) reads the
      // table whole, and would go on doing so as it grows.
      for (let round = 0; round < 7; round += 1) {
        const early = Array.from({ length: 3 }, () => claimOf(newKey()));
        await Promise.all(early.map((c) => store.claim(c)));
        await Promise.all(early.map((c) => store.record(outcomeOf(c.idempotencyKey, c.claimant))));
        await store.states(early.map((c) => c.idempotencyKey));
      }
      await db.orm.em.getConnection().execute(
        `insert into "delivery" ("idempotency_key", "message_id", "status")
           select 'filler-' || g, '<filler-' || g || '@partners.example>', 'pending'
             from generate_series(1, 5000) g`,
      );
      const keys = Array.from({ length: 10 }, newKey);
      const claims = keys.map((key) => claimOf(key));
      const sent = [
        ...(await statementsOf(() => Promise.all(claims.map((c) => store.claim(c))))),
        ...(await statementsOf(() =>
          Promise.all(claims.map((c) => store.record(outcomeOf(c.idempotencyKey, c.claimant)))),
        )),
        ...(await statementsOf(() => store.states(keys))),
      ];
      expect(sent.length).toBeGreaterThanOrEqual(3);
      // Planned each time with their values (the unnamed statement), not on a kept plan …
      expect(sent.filter((statement) => statement.name !== undefined)).toEqual([]);
      // … and each plan, made now, reads keys, not the table.
      expect(await tablesReadWhole(sent)).toEqual([]);
      for (const key of keys) expect(await row(key)).toMatchObject({ status: 'sent' });
    });
  });

  describe('states', () => {
    it('answers the status of each key that has a row, in one query', async () => {
      const sent = newKey();
      await recorded(sent, {});
      const retrying = newKey();
      await recorded(retrying, { status: 'failed', settled: false, sentAt: null });
      const failed = newKey();
      await recorded(failed, { status: 'failed', permanent: true, sentAt: null });
      const skipped = newKey();
      await store.skip({
        idempotencyKey: skipped,
        messageId: messageIdOf(skipped),
        reason: 'revoked',
      });
      const pending = newKey();
      await store.claim(claimOf(pending));
      const unknown = Array.from({ length: 995 }, newKey);

      let states: Awaited<ReturnType<PostgresDeliveryStore['states']>> = [];
      const statements = await statementsDuring(async () => {
        states = await store.states([sent, retrying, failed, skipped, pending, ...unknown]);
      });
      expect(statements).toBe(1);
      expect(states.sort((a, b) => a.idempotencyKey.localeCompare(b.idempotencyKey))).toEqual(
        [
          { idempotencyKey: sent, status: 'sent', settled: true },
          { idempotencyKey: retrying, status: 'failed', settled: false },
          { idempotencyKey: failed, status: 'failed', settled: true },
          { idempotencyKey: skipped, status: 'skipped', settled: true },
          { idempotencyKey: pending, status: 'pending', settled: false },
        ].sort((a, b) => a.idempotencyKey.localeCompare(b.idempotencyKey)),
      );
      expect(await store.states([newKey()])).toEqual([]);
    });
  });
});
