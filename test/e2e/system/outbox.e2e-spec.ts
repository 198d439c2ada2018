import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { sealLink } from '../../../libs/platform/src/link-seal';
import { migrateAll } from '../../../scripts/lib/system';
import {
  api,
  bearer,
  dbRows,
  emailsTo,
  enrollPartner,
  establishPartnership,
  expectStatus,
  harnessSettings,
  linkIn,
  startExtraInstance,
  system,
  uniqueEmail,
  uniqueName,
  waitForEmail,
  type EnrolledPartner,
  type ExtraInstance,
  type PartnershipRequestSent,
  eventually,
} from '../support';

/**
 * The outbox relay (README "Architecture"): rows relayed to BullMQ with `jobId` = row id, woken by
 * PostgreSQL `LISTEN/NOTIFY`, confirmed against the worker's delivery records and relayed again
 * when their job vanished from Redis; settled rows lose their sealed link. Revoking or resending an
 * invitation whose email is still queued sends an `email.cancel` after it.
 */

interface OutboxRow {
  id: string;
  name: string;
  payload: Record<string, unknown>;
  relayed_at: Date | null;
  relay_count: number;
  settled_at: Date | null;
  settlement: string | null;
}

const OUTBOX_COLUMNS = `"id", "name", "payload", "relayed_at", "relay_count", "settled_at", "settlement"`;

/** An outbox row of the harness's relationships database. */
async function outboxRow(id: string): Promise<OutboxRow> {
  const [row] = await dbRows<OutboxRow>(
    'relationships',
    `select ${OUTBOX_COLUMNS} from "outbox_message" where "id" = $1`,
    [id],
  );
  if (!row) throw new Error(`No outbox row ${id}.`);
  return row;
}

/** A run's BullMQ queue (its own prefix and Redis). Close it after use. */
function runQueue(name: string): Queue {
  const s = harnessSettings();
  const url = new URL(s.redisUrl);
  return new Queue(name, {
    connection: {
      host: url.hostname,
      port: Number(url.port || 6379),
      db: Number(url.pathname.replace('/', '') || 0),
      maxRetriesPerRequest: null,
    },
    prefix: s.bullmqPrefix,
  });
}

/** A `partnership-request` email job payload for `to`, with a sealed link, keyed by `id`. */
function partnershipRequestPayload(id: string, to: string, link: string): Record<string, unknown> {
  return {
    template: 'partnership-request',
    to,
    locale: 'en',
    data: {
      providerName: uniqueName('Contoso Distribution'),
      providerMpnId: '1234567',
      inviterName: 'Ivy Inviter',
      expiresAt: new Date(Date.now() + 24 * 3600_000).toISOString(),
    },
    sealedLink: sealLink(link, harnessSettings().linkSealingKey),
    idempotencyKey: id,
  };
}

describe('the outbox relay', () => {
  describe('delivery confirmation', () => {
    it('relays again an email whose job vanished from Redis: it arrives once, and its row ends settled without its sealed link', async () => {
      const id = randomUUID();
      const to = uniqueEmail('lost', 'fabrikam');
      const link = `${system().urls.relationships}/invitations/partnership?token=${randomUUID()}`;
      // A row relayed a minute ago whose job is not in Redis (lost with an AOF second, or with a
      // Redis that kept nothing): written directly, as the relay would have left it.
      await dbRows(
        'relationships',
        `insert into "outbox_message"
           ("id", "queue", "name", "payload", "created_at", "relayed_at", "relay_count",
            "last_relayed_at", "checked_at")
         values ($1, 'notifications', 'email.send', $2, now() - interval '1 minute',
                 now() - interval '1 minute', 1, now() - interval '1 minute',
                 now() - interval '1 minute')`,
        [id, JSON.stringify(partnershipRequestPayload(id, to, link))],
      );

      const delivered = await waitForEmail({ to, timeoutMs: 30_000 });
      expect(delivered.headers['message-id']).toBe(`<${id}@${harnessSettings().messageIdDomain}>`);
      expect(linkIn(delivered)).toBe(link);

      const settled = await eventually(`outbox row ${id} to settle`, async () => {
        const row = await outboxRow(id);
        return row.settled_at ? row : undefined;
      });
      expect(settled).toMatchObject({ settlement: 'sent', relay_count: 2 });
      expect(settled.payload.sealedLink).toBeUndefined();
      expect(settled.payload).toMatchObject({
        template: 'partnership-request',
        to,
        idempotencyKey: id,
      });
      // Settled: nothing relays it again, and it was delivered exactly once.
      expect(await emailsTo({ to })).toHaveLength(1);

      const queue = runQueue('notifications');
      try {
        expect(await queue.getJob(id)).toBeUndefined();
      } finally {
        await queue.close();
      }
    });

    it('settles an identity event once identity completed its job (kept in the completed set)', async () => {
      const [provider, reseller] = await Promise.all([
        enrollPartner({ partnerType: 'indirect_provider' }),
        enrollPartner({ partnerType: 'indirect_reseller' }),
      ]);
      await establishPartnership(provider, reseller);
      const [event] = await dbRows<{ id: string }>(
        'relationships',
        `select "id" from "outbox_message"
          where "name" = 'partnership.authorized' and "payload"->>'resellerTenantId' = $1`,
        [reseller.tenantId],
      );
      expect(event).toBeDefined();
      const settled = await eventually(`identity event ${event.id} to settle`, async () => {
        const row = await outboxRow(event.id);
        return row.settled_at ? row : undefined;
      });
      expect(settled).toMatchObject({
        name: 'partnership.authorized',
        settlement: 'completed',
        relay_count: 1,
      });
      const queue = runQueue('identity-events');
      try {
        expect(await (await queue.getJob(event.id))?.getState()).toBe('completed');
      } finally {
        await queue.close();
      }
    });
  });

  describe('cancelling the email of a revoked or resent invitation', () => {
    let provider: EnrolledPartner;
    let queue: Queue;

    beforeAll(async () => {
      provider = await enrollPartner({ partnerType: 'indirect_provider' });
      queue = runQueue('notifications');
    });

    afterEach(async () => {
      await queue.resume();
    });

    afterAll(async () => {
      await queue.close();
    });

    /** Send a partnership request while the worker takes nothing, and wait until it is relayed. */
    async function queuedRequest(
      to: string,
    ): Promise<{ request: PartnershipRequestSent; sendId: string }> {
      // Paused: the worker takes no job, so the email is still queued when the invitation changes.
      await queue.pause();
      const request = expectStatus<PartnershipRequestSent>(
        await api('relationships')
          .post('/v1/partnership-requests')
          .set(bearer(provider.token))
          .send({ email: to }),
        201,
      );
      const [invitation] = await dbRows<{ last_email_key: string; expires_at: Date }>(
        'relationships',
        `select "last_email_key", "expires_at" from "invitation" where "id" = $1`,
        [request.id],
      );
      expect(invitation.last_email_key).toEqual(expect.any(String));
      const sendId = invitation.last_email_key;
      const relayed = await eventually(`email ${sendId} to be relayed`, async () => {
        const row = await outboxRow(sendId);
        return row.relayed_at ? row : undefined;
      });
      // The job carries the invitation's expiry: the worker never delivers a dead link.
      expect(relayed.payload.expiresAt).toBe(invitation.expires_at.toISOString());
      expect(relayed.payload.expiresAt).toBe(request.expiresAt);
      return { request, sendId };
    }

    /** The `email.cancel` row that follows `sendId`, once relayed, and its job. */
    async function cancelOf(sendId: string) {
      const [cancel] = await dbRows<OutboxRow>(
        'relationships',
        `select ${OUTBOX_COLUMNS} from "outbox_message"
          where "name" = 'email.cancel' and "payload"->>'idempotencyKey' = $1`,
        [sendId],
      );
      expect(cancel).toBeDefined();
      await eventually(`cancel ${cancel.id} to be relayed`, async () =>
        (await outboxRow(cancel.id)).relayed_at ? true : undefined,
      );
      const job = await queue.getJob(cancel.id);
      return { cancel, job };
    }

    it('revoking sends an email.cancel (revoked) for the queued email, added at the head of the queue', async () => {
      const { request, sendId } = await queuedRequest(uniqueEmail('revoked', 'fabrikam'));
      const sendJob = await queue.getJob(sendId);
      expect(sendJob?.name).toBe('email.send');

      const revoked = await api('relationships')
        .delete(`/v1/partnership-requests/${request.id}`)
        .set(bearer(provider.token));
      expect(revoked.status).toBe(204);

      const { cancel, job } = await cancelOf(sendId);
      expect(cancel.payload).toEqual({
        idempotencyKey: sendId,
        reason: 'revoked',
        occurredAt: expect.any(String) as unknown,
      });
      expect(job?.name).toBe('email.cancel');
      expect(job?.data).toEqual(cancel.payload);
      expect(job?.opts.lifo).toBe(true);
      // The cancel overtakes the send: it is next in line, ahead of the queued email.
      const waiting = (await queue.getWaiting()).map((j) => j.id);
      expect(waiting.indexOf(cancel.id)).toBeGreaterThanOrEqual(0);
      expect(waiting.indexOf(cancel.id)).toBeLessThan(waiting.indexOf(sendId));

      const [invitation] = await dbRows<{ status: string; last_email_key: string | null }>(
        'relationships',
        `select "status", "last_email_key" from "invitation" where "id" = $1`,
        [request.id],
      );
      expect(invitation).toEqual({ status: 'revoked', last_email_key: null });
    });

    it('resending sends an email.cancel (superseded) for the previous email and queues the new one', async () => {
      const { request, sendId } = await queuedRequest(uniqueEmail('resent', 'fabrikam'));

      const resent = expectStatus<PartnershipRequestSent>(
        await api('relationships')
          .post(`/v1/partnership-requests/${request.id}/resend`)
          .set(bearer(provider.token))
          .send({}),
        200,
      );
      expect(resent.queued).toBe(true);

      const { cancel, job } = await cancelOf(sendId);
      expect(cancel.payload).toMatchObject({ idempotencyKey: sendId, reason: 'superseded' });
      expect(job?.opts.lifo).toBe(true);

      const [invitation] = await dbRows<{ last_email_key: string }>(
        'relationships',
        `select "last_email_key" from "invitation" where "id" = $1`,
        [request.id],
      );
      expect(invitation.last_email_key).not.toBe(sendId);
      const replacement = await outboxRow(invitation.last_email_key);
      expect(replacement).toMatchObject({ name: 'email.send', settled_at: null });
      expect(replacement.payload).toMatchObject({
        to: request.email,
        idempotencyKey: invitation.last_email_key,
        expiresAt: resent.expiresAt,
      });
    });
  });

  describe('woken by LISTEN/NOTIFY', () => {
    const database = () => `${harnessSettings().databases.relationships}_listen`;
    let instance: ExtraInstance | undefined;
    let client: Client | undefined;

    /** The extra instance's database. */
    function db(): Client {
      if (!client) throw new Error('The LISTEN test database is not connected.');
      return client;
    }

    beforeAll(async () => {
      const base = harnessSettings();
      const databases = { ...base.databases, relationships: database() };
      await migrateAll({ ...base, databases });
      // Its own database (so that the harness's relay, polling every second, never sees these
      // rows) and its own message namespace; the harness's BullMQ prefix, so that the harness's
      // worker delivers what it relays. It polls only once a minute.
      instance = await startExtraInstance('relationships', () => ({
        databases,
        messageNamespace: `${base.messageNamespace}listen:`,
        extraEnv: { relationships: { OUTBOX_POLL_INTERVAL_MS: '60000' } },
      }));
      client = new Client({ connectionString: `${base.postgresUrl}/${database()}` });
      await client.connect();
    }, 120_000);

    afterAll(async () => {
      await client?.end();
      await instance?.stop();
      const admin = new Client({ connectionString: `${harnessSettings().postgresUrl}/postgres` });
      await admin.connect();
      try {
        await admin.query(`drop database if exists "${database()}" with (force)`);
      } finally {
        await admin.end();
      }
    });

    /** Insert an email row as another process would (plain SQL, committed at once). */
    async function insertEmail(to: string): Promise<string> {
      const id = randomUUID();
      const link = `${system().urls.relationships}/invitations/partnership?token=${randomUUID()}`;
      await db().query(
        `insert into "outbox_message" ("id", "queue", "name", "payload") values ($1, 'notifications', 'email.send', $2)`,
        [id, JSON.stringify(partnershipRequestPayload(id, to, link))],
      );
      return id;
    }

    it('relays a row another process inserted without waiting for its one-minute poll', async () => {
      const to = uniqueEmail('notified', 'fabrikam');
      const id = await insertEmail(to);
      const delivered = await waitForEmail({ to, timeoutMs: 20_000 });
      expect(delivered.headers['message-id']).toBe(`<${id}@${harnessSettings().messageIdDomain}>`);
      const [row] = (
        await db().query<OutboxRow>(
          `select "relayed_at", "relay_count" from "outbox_message" where "id" = $1`,
          [id],
        )
      ).rows;
      expect(row.relayed_at).not.toBeNull();
      expect(row.relay_count).toBe(1);
    });

    it('listens again after its LISTEN connection is terminated', async () => {
      const terminated = await db().query<{ pid: number }>(
        `select pg_terminate_backend("pid") as "done", "pid" from "pg_stat_activity"
          where "datname" = $1 and "application_name" = 'outbox-listener'`,
        [database()],
      );
      expect(terminated.rows).toHaveLength(1);
      // The listener reconnects; a notification (or its catch-up after reconnecting) relays the
      // row, long before the next poll.
      const to = uniqueEmail('renotified', 'fabrikam');
      const id = await insertEmail(to);
      const delivered = await waitForEmail({ to, timeoutMs: 20_000 });
      expect(delivered.headers['message-id']).toBe(`<${id}@${harnessSettings().messageIdDomain}>`);
      const listeners = await eventually('the listener to be back', async () => {
        const { rows } = await db().query<{ pid: number }>(
          `select "pid" from "pg_stat_activity" where "datname" = $1 and "application_name" = 'outbox-listener'`,
          [database()],
        );
        return rows.length === 1 ? rows : undefined;
      });
      expect(listeners[0].pid).not.toBe(terminated.rows[0].pid);
    });
  });
});
