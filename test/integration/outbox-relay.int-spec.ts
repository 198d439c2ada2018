import { Logger } from '@nestjs/common';
import { JOB_RETRY, JOBS, PATTERNS, QUEUES, PartnershipAuthorizedJob } from '@app/contracts';
import { OutboxMessage, OutboxOptions, OutboxRelay, OutboxService } from '@app/outbox';
import { NamespacedNatsServer, handleRpc, openLink, redisOptionsFromUrl } from '@app/platform';
import { Job, Queue, Worker } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { MIGRATIONS } from '../../apps/relationships/src/database/migrations';
import { devSettings } from '../../scripts/lib/system';
import { eventually } from '../e2e/support/poll';
import { IntegrationDatabase, createIntegrationDatabase } from './support/database';
import { REDIS_URL, deletePrefixKeys, uniquePrefix } from './support/redis';

/**
 * The outbox relay's pieces on real PostgreSQL (a producer's committed migrations: the
 * relationships service's, which create the outbox table and its insert trigger) and Redis (a
 * BullMQ prefix of its own) and NATS (a subject namespace of its own): `OutboxService` writes rows in the caller's transaction,
 * `OutboxRelay` adds them to BullMQ with `jobId` = row id, woken by its own commits and by
 * `OutboxListener`'s LISTEN/NOTIFY, and its confirmation round relays again a row whose job
 * vanished. The notifications worker is a stub answering `notifications.deliveries.status` from
 * a map. test/e2e/outbox.e2e-spec.ts proves the same end to end through the running services.
 */

const KEY = 'link-sealing-key-for-integration-tests-0123456789';
/** The local NATS (`npm start`'s); the stub worker's subjects are under this file's own namespace. */
const NATS_URL = devSettings().natsUrl;
/** Long enough that nothing in this file is relayed by polling: only by a wake-up. */
const POLL_INTERVAL_MS = 60_000;

/** The stub worker's delivery records by idempotency key, and the keys it was asked about. */
const records = new Map<string, { status: 'sent' | 'failed' | 'skipped'; settled: boolean }>();
const asked: string[] = [];
/** Run by the stub worker each time it is asked, before it answers (a test's probe). */
let onAsked: ((keys: string[]) => Promise<void>) | undefined;

interface OutboxRow {
  id: string;
  queue: string;
  name: string;
  payload: Record<string, unknown>;
  /** Timestamps as PostgreSQL prints them (MikroORM's raw rows). */
  relayed_at: string | null;
  relay_count: number;
  settled_at: string | null;
  settlement: string | null;
}

let db: IntegrationDatabase;
let prefix: string;
let worker: NamespacedNatsServer;
let outbox: OutboxService;
let relay: OutboxRelay;
let notifications: Queue;
let identityEvents: Queue;

beforeAll(async () => {
  Logger.overrideLogger(false);
  prefix = uniquePrefix();
  db = await createIntegrationDatabase([OutboxMessage], MIGRATIONS);
  const namespace = `${prefix}:`;
  worker = new NamespacedNatsServer({
    url: NATS_URL,
    namespace,
    queue: 'notifications',
    drainTimeoutMs: 5000,
  });
  worker.addHandler(PATTERNS.deliveryStatus, (payload: unknown) =>
    handleRpc(PATTERNS.deliveryStatus, payload, async (request) => {
      asked.push(...request.idempotencyKeys);
      await onAsked?.(request.idempotencyKeys);
      return {
        deliveries: request.idempotencyKeys.flatMap((key) => {
          const record = records.get(key);
          return record ? [{ idempotencyKey: key, ...record }] : [];
        }),
      };
    }),
  );
  await new Promise<void>((resolve, reject) => {
    void worker.listen((error?: unknown) =>
      error ? reject(error instanceof Error ? error : new Error('listen failed')) : resolve(),
    );
  });
  const options: OutboxOptions = {
    redisUrl: REDIS_URL,
    prefix,
    linkSealingKey: KEY,
    pollIntervalMs: POLL_INTERVAL_MS,
    batchSize: 100,
    databaseUrl: db.url,
    rpc: { natsUrl: NATS_URL, namespace, timeoutMs: 5000 },
    // Rounds run when a test calls confirmBatch(), never on their own; every relayed row is due.
    confirmIntervalMs: 600_000,
    confirmAfterMs: 0,
  };
  outbox = new OutboxService(options);
  relay = new OutboxRelay(db.orm.em, options);
  relay.onModuleInit();
  relay.onApplicationBootstrap();
  const connection = { ...redisOptionsFromUrl(REDIS_URL), maxRetriesPerRequest: null };
  notifications = new Queue(QUEUES.notifications, { connection, prefix });
  identityEvents = new Queue(QUEUES.identityEvents, { connection, prefix });
});

afterAll(async () => {
  await relay?.beforeApplicationShutdown();
  await Promise.all([notifications?.close(), identityEvents?.close(), worker?.close()]);
  await db?.drop();
  if (prefix) await deletePrefixKeys(prefix);
});

async function outboxRow(id: string): Promise<OutboxRow | undefined> {
  const [row] = await db.orm.em.getConnection().execute<OutboxRow[]>(
    `select "id", "queue", "name", "payload", "relayed_at", "relay_count", "settled_at",
          "settlement" from "outbox_message" where "id" = ?`,
    [id],
  );
  return row;
}

/**
 * The job of row `id` in `queue`, once the relay has committed the row as relayed (it adds the job
 * inside its transaction, so the job shows up a moment before the row says so).
 */
async function relayedJob(queue: Queue, id: string): Promise<Job> {
  await eventually(
    `row ${id} to be relayed`,
    async () => ((await outboxRow(id))?.relayed_at ? true : undefined),
    10_000,
  );
  const job = await queue.getJob(id);
  if (!job) throw new Error(`Row ${id} is relayed but ${queue.name} has no job ${id}.`);
  return job;
}

const LINK = 'https://partners.example/partnership-requests/accept?token=abcDEF123';

/** Queues a partnership-request email in a transaction of its own; returns its row id. */
async function emailInTransaction(): Promise<string> {
  let id = '';
  await db.orm.em.fork().transactional((em) => {
    id = outbox.enqueueEmail(em, {
      template: 'partnership-request',
      to: 'admin@fabrikam.example',
      locale: 'en',
      data: {
        providerName: 'Contoso Distribution',
        providerMpnId: '1234567',
        inviterName: 'Avery Howard',
        expiresAt: '2026-12-07T14:00:00.000Z',
      },
      link: LINK,
      expiresAt: new Date('2026-12-07T14:00:00.000Z'),
    });
    return Promise.resolve();
  });
  return id;
}

function partnershipAuthorized(): PartnershipAuthorizedJob {
  return {
    partnershipId: randomUUID(),
    authorizationId: randomUUID(),
    providerTenantId: randomUUID(),
    resellerTenantId: randomUUID(),
    authorizedByUserId: randomUUID(),
    occurredAt: new Date().toISOString(),
  };
}

describe('OutboxService and OutboxRelay', () => {
  it('relays a row written in a committed transaction to its queue once, with jobId = row id', async () => {
    const id = await emailInTransaction();
    const job = await relayedJob(notifications, id);
    const row = await outboxRow(id);
    expect(job.id).toBe(id);
    expect(job.name).toBe(JOBS.sendEmail);
    expect(job.data).toEqual(row?.payload);
    expect(job.data).toMatchObject({ idempotencyKey: id, expiresAt: '2026-12-07T14:00:00.000Z' });
    // Sealed in the row and the job; the key opens it.
    expect(JSON.stringify(job.data)).not.toContain('abcDEF123');
    expect(openLink(job.data.sealedLink as string, KEY)).toBe(LINK);
    expect(job.opts).toMatchObject({
      attempts: JOB_RETRY.attempts,
      removeOnComplete: true,
      // Failed for good: kept DEFAULT_JOB_RETENTION.failedSeconds (14 days) for the operator.
      removeOnFail: { age: 14 * 24 * 3600 },
    });
    expect(row).toMatchObject({ queue: QUEUES.notifications, relay_count: 1, settled_at: null });
    expect(row?.relayed_at).toEqual(expect.any(String));

    // Once: a further round finds nothing to relay, and the row was added once.
    expect(await relay.relayBatch()).toBe(0);
    expect((await outboxRow(id))?.relay_count).toBe(1);
    expect((await notifications.getWaiting()).filter((j) => j.id === id)).toHaveLength(1);
  });

  it('relays nothing for a transaction that rolled back, even after its row was flushed', async () => {
    let id = '';
    await expect(
      db.orm.em.fork().transactional(async (em) => {
        id = outbox.enqueue(em, JOBS.partnershipAuthorized, partnershipAuthorized());
        // Inserted (the insert trigger ran) before the state change fails.
        await em.flush();
        expect(
          await em.execute(`select 1 from "outbox_message" where "id" = ?`, [id]),
        ).toHaveLength(1);
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    expect(id).not.toBe('');
    expect(await outboxRow(id)).toBeUndefined();
    expect(await relay.relayBatch()).toBe(0);
    expect(await identityEvents.getJob(id)).toBeUndefined();
  });

  it('is woken by LISTEN/NOTIFY for a row another process committed, long before its poll', async () => {
    // The listener's connection has issued its LISTEN (it relays once after connecting; the row
    // below comes later, so only its notification can wake the relay).
    await eventually('the outbox LISTEN connection', async () => {
      const rows = await db.orm.em.getConnection().execute(
        `select 1 from "pg_stat_activity" where "datname" = ? and "application_name" = 'outbox-listener'
            and "state" = 'idle' and "query" ilike 'LISTEN%'`,
        [db.name],
      );
      return rows.length === 1 ? true : undefined;
    });
    const other = new Client({ connectionString: db.url });
    await other.connect();
    const id = randomUUID();
    const payload = partnershipAuthorized();
    const insertedAt = Date.now();
    try {
      await other.query(
        `insert into "outbox_message" ("id", "queue", "name", "payload") values ($1, $2, $3, $4)`,
        [id, QUEUES.identityEvents, JOBS.partnershipAuthorized, JSON.stringify(payload)],
      );
    } finally {
      await other.end();
    }
    const job = await relayedJob(identityEvents, id);
    expect(Date.now() - insertedAt).toBeLessThan(POLL_INTERVAL_MS / 4);
    expect(job.name).toBe(JOBS.partnershipAuthorized);
    expect(job.data).toEqual(payload);
    expect(await outboxRow(id)).toMatchObject({ relay_count: 1, settled_at: null });
  });

  describe('confirmation round', () => {
    it('relays again an email whose job vanished, waits while it is queued, settles it once recorded sent', async () => {
      const id = await emailInTransaction();
      const first = await relayedJob(notifications, id);
      // Lost with Redis (an appendfsync second, a Redis that kept nothing).
      await first.remove();
      expect(await notifications.getJob(id)).toBeUndefined();

      // The worker has no record of it and its job is missing: relayed again, same jobId.
      const round = await relay.confirmBatch();
      expect(round.relayedAgain).toBeGreaterThanOrEqual(1);
      expect(asked).toContain(id);
      const again = await notifications.getJob(id);
      expect(again?.data).toEqual(first.data);
      expect(again?.opts).toMatchObject({ attempts: JOB_RETRY.attempts, removeOnComplete: true });
      expect(await outboxRow(id)).toMatchObject({ relay_count: 2, settled_at: null });

      // Queued, no record yet: it waits.
      await relay.confirmBatch();
      expect(await outboxRow(id)).toMatchObject({ relay_count: 2, settled_at: null });

      // Recorded sent: settled as sent, without its sealed link.
      records.set(id, { status: 'sent', settled: true });
      await relay.confirmBatch();
      const settled = await outboxRow(id);
      expect(settled).toMatchObject({ settlement: 'sent', relay_count: 2 });
      expect(settled?.settled_at).toEqual(expect.any(String));
      expect(settled?.payload.sealedLink).toBeUndefined();
      expect(settled?.payload).toMatchObject({
        idempotencyKey: id,
        template: 'partnership-request',
      });

      // Settled: a later round leaves it alone, even with its job gone again.
      await notifications.remove(id);
      await relay.confirmBatch();
      expect(await outboxRow(id)).toMatchObject({ settlement: 'sent', relay_count: 2 });
    });

    it('asks the worker with no transaction open: the rows asked about are not locked meanwhile', async () => {
      const id = await emailInTransaction();
      await relayedJob(notifications, id);
      // While the worker is being asked, another session tries to lock the row.
      let lockedWhileAsked: boolean | undefined;
      onAsked = async (keys) => {
        if (!keys.includes(id)) return;
        const other = new Client({ connectionString: db.url });
        await other.connect();
        try {
          await other.query('begin');
          const free = await other.query(
            `select "id" from "outbox_message" where "id" = $1 for update skip locked`,
            [id],
          );
          lockedWhileAsked = free.rowCount === 0;
          await other.query('rollback');
        } finally {
          await other.end();
        }
      };
      try {
        await relay.confirmBatch();
      } finally {
        onAsked = undefined;
      }
      expect(lockedWhileAsked).toBe(false);
      // The round still did its work: queued, no record yet, so it waits, checked again later.
      expect(await outboxRow(id)).toMatchObject({ relay_count: 1, settled_at: null });
      records.set(id, { status: 'sent', settled: true });
      await relay.confirmBatch();
      expect(await outboxRow(id)).toMatchObject({ settlement: 'sent', relay_count: 1 });
    });

    it('relays again an event whose job vanished by its job alone, and settles it once completed', async () => {
      let id = '';
      await db.orm.em.fork().transactional((em) => {
        id = outbox.enqueue(em, JOBS.partnershipAuthorized, partnershipAuthorized());
        return Promise.resolve();
      });
      const first = await relayedJob(identityEvents, id);
      await first.remove();

      await relay.confirmBatch();
      // Another queue's consumer keeps no delivery record: the worker is not asked.
      expect(asked).not.toContain(id);
      const again = await identityEvents.getJob(id);
      expect(again?.data).toEqual(first.data);
      expect(await outboxRow(id)).toMatchObject({ relay_count: 2, settled_at: null });

      // Its consumer completes it (kept in the completed set a day): settled as completed.
      const consumer = new Worker(QUEUES.identityEvents, () => Promise.resolve('done'), {
        connection: { ...redisOptionsFromUrl(REDIS_URL), maxRetriesPerRequest: null },
        prefix,
      });
      try {
        await eventually(`job ${id} to complete`, async () =>
          (await identityEvents.getJobState(id)) === 'completed' ? true : undefined,
        );
      } finally {
        await consumer.close();
      }
      await relay.confirmBatch();
      expect(await outboxRow(id)).toMatchObject({ settlement: 'completed', relay_count: 2 });
    });
  });
});
