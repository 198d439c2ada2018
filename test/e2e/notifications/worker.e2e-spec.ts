import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Job, Queue } from 'bullmq';
import { RpcClient, sealLink } from '@app/platform';
import { JOB_RETRY, PATTERNS } from '@app/contracts';
import {
  api,
  bearer,
  dbRows,
  emailsTo,
  expectApiError,
  expectStatus,
  harnessSettings,
  signIn,
  startExtraInstance,
  system,
  uniqueEmail,
  uniqueName,
  waitForEmail,
  type Collection,
  type DeliveryView,
  type ExtraInstance,
  eventually,
} from '../support';
import { freePort } from '../../../scripts/lib/system';
import { SmtpSink } from '../support/notifications/smtp-sink';

/**
 * The notifications worker you can trust (the consumer side): one email per idempotency key however
 * many jobs carry it, and a job with invalid data fails at once; an email whose invitation was
 * revoked or expired before delivery completes as skipped with a record; SMTP failures are
 * classified (5xx fails at once with the reply recorded, 4xx retries with backoff); a delivery that
 * failed for good is found and replayed by the operator; the outbox relay can ask what was
 * recorded; and a worker stopped with SIGTERM finishes what it has in flight, leaving nothing
 * half-sent. Who may read the delivery records is in delivery-records.e2e-spec.ts.
 *
 * The main system's worker delivers to MailDev. Extra notifications instances deliver to an SMTP
 * sink that refuses chosen recipients, each on its own BullMQ prefix so that only it takes their
 * jobs (they share the run's database, so the main instance's API sees their deliveries).
 */

interface DeliveryRow {
  status: string;
  settled: boolean;
  permanent: boolean;
  skip_reason: string | null;
  smtp_response: string | null;
  template: string | null;
  recipient: string | null;
  sealed_link: string | null;
  attempts: number;
  replays: number;
}

const SINK_SUFFIX = `-sink-${randomUUID().slice(0, 8)}`;
const SHUTDOWN_SUFFIX = `-stop-${randomUUID().slice(0, 8)}`;
const DOWN_SUFFIX = `-down-${randomUUID().slice(0, 8)}`;

/** A BullMQ queue `notifications` under `prefix` on the run's Redis. Close it after use. */
function queueUnder(prefix: string): Queue {
  const url = new URL(harnessSettings().redisUrl);
  return new Queue('notifications', {
    connection: {
      host: url.hostname,
      port: Number(url.port || 6379),
      db: Number(url.pathname.replace('/', '') || 0),
      maxRetriesPerRequest: null,
    },
    prefix,
  });
}

/** The final state of a job and what it returned or why it failed. */
async function settled(queue: Queue, job: Job) {
  return eventually(`job ${job.id} to settle`, async () => {
    // The state first, then the job: a job read before its completion and a state read after it
    // would pair 'completed' with no return value yet.
    const state = await queue.getJobState(job.id as string);
    if (state !== 'completed' && state !== 'failed') return undefined;
    const current = await queue.getJob(job.id as string);
    if (current) {
      return {
        state,
        returnvalue: current.returnvalue as unknown,
        failedReason: current.failedReason,
        attemptsMade: current.attemptsMade,
      };
    }
    return undefined;
  });
}

/** The delivery row of a key (one row per key). */
async function deliveryRow(key: string): Promise<DeliveryRow | undefined> {
  const rows = await dbRows<DeliveryRow>(
    'notifications',
    `select "status", "settled", "permanent", "skip_reason", "smtp_response", "template",
            "recipient", "sealed_link", "attempts", "replays"
       from "delivery" where "idempotency_key" = $1`,
    [key],
  );
  return rows[0];
}

const messageIdOf = (key: string) => `<${key}@${harnessSettings().messageIdDomain}>`;

/** An `email.send` job: a partnership request with its link sealed under the run's key. */
function invitationJob(to: string, key: string, overrides: Record<string, unknown> = {}) {
  const token = randomUUID().replace(/-/g, '');
  return {
    template: 'partnership-request',
    to,
    locale: 'en',
    data: {
      providerName: uniqueName('Contoso Distribution'),
      providerMpnId: '1234567',
      inviterName: 'Ivy Inviter',
      expiresAt: new Date(Date.now() + 7 * 24 * 3600_000).toISOString(),
    },
    sealedLink: sealLink(
      `${system().urls.relationships}/invitations/partnership?token=${token}`,
      harnessSettings().linkSealingKey,
    ),
    idempotencyKey: key,
    ...overrides,
  };
}

/** The job options the outbox relay uses (the retry policy every worker must understand). */
const RELAY_OPTIONS = {
  attempts: JOB_RETRY.attempts,
  backoff: { ...JOB_RETRY.backoff },
  removeOnComplete: { age: 3600 },
  removeOnFail: false,
};

describe('the notifications worker', () => {
  let mainQueue: Queue;
  let operatorToken: string;

  beforeAll(async () => {
    mainQueue = queueUnder(harnessSettings().bullmqPrefix);
    operatorToken = (await signIn(system().operator.email, system().operator.password)).accessToken;
  });

  afterAll(async () => {
    await mainQueue.close();
  });

  const operator = () => bearer(operatorToken);

  describe('the idempotent consumer', () => {
    let queue: Queue;

    beforeAll(() => {
      queue = queueUnder(harnessSettings().bullmqPrefix);
    });
    afterAll(async () => {
      await queue.close();
    });

    function acceptedNote(to: string, organization: string, idempotencyKey: string) {
      return {
        template: 'invitation-accepted',
        to,
        locale: 'en',
        data: {
          inviterName: 'Ivy Inviter',
          invitationKind: 'partnership',
          acceptedByOrganization: organization,
          acceptedAt: new Date().toISOString(),
        },
        idempotencyKey,
      };
    }

    async function settledState(job: Job): Promise<string> {
      return eventually(`job ${job.id} to settle`, async () => {
        const state = await job.getState();
        return state === 'completed' || state === 'failed' ? state : undefined;
      });
    }

    it('sends one email for four jobs with the same idempotency key', async () => {
      const to = uniqueEmail('ida', 'idempotent');
      const key = randomUUID();
      const organization = uniqueName('Duplicate Org');
      const jobs = await queue.addBulk(
        [randomUUID(), randomUUID(), randomUUID(), randomUUID()].map((jobId) => ({
          name: 'email.send',
          data: acceptedNote(to, organization, key),
          opts: { jobId, attempts: 3 },
        })),
      );
      expect(await Promise.all(jobs.map(settledState))).toEqual(Array(4).fill('completed'));

      // The marker: a later email to the same recipient; after it, still one duplicate-key email.
      const marker = uniqueName('Marker Org');
      await queue.add('email.send', acceptedNote(to, marker, randomUUID()), {
        jobId: randomUUID(),
      });
      await waitForEmail({ to, subjectIncludes: marker });
      const received = await emailsTo({ to, subjectIncludes: organization });
      expect(received).toHaveLength(1);
      expect(received[0].subject).toBe(`${organization} accepted your partnership request`);
      expect(received[0].headers['message-id']).toBe(
        `<${key}@${harnessSettings().messageIdDomain}>`,
      );

      const rows = await dbRows<{ status: string; attempts: number }>(
        'notifications',
        `select "status", "attempts" from "delivery" where "idempotency_key" = $1`,
        [key],
      );
      expect(rows).toEqual([{ status: 'sent', attempts: 1 }]);
    });

    it('fails a job with invalid data at once, without sending or recording', async () => {
      const to = uniqueEmail('ivan', 'invalid');
      const key = randomUUID();
      const invalid = { ...acceptedNote(to, uniqueName('Invalid Org'), key), locale: 'xx' };
      const job = await queue.add('email.send', invalid, {
        jobId: randomUUID(),
        attempts: 5,
        backoff: { type: 'fixed', delay: 100 },
      });
      expect(await settledState(job)).toBe('failed');
      const failed = await queue.getJob(job.id as string);
      expect(failed?.attemptsMade).toBe(1);
      expect(failed?.failedReason).toContain('locale');

      const marker = uniqueName('Marker Org');
      await queue.add('email.send', acceptedNote(to, marker, randomUUID()), {
        jobId: randomUUID(),
      });
      await waitForEmail({ to, subjectIncludes: marker });
      expect(await emailsTo({ to })).toHaveLength(1);
      expect(
        await dbRows('notifications', `select 1 from "delivery" where "idempotency_key" = $1`, [
          key,
        ]),
      ).toHaveLength(0);
    });

    it('fails an invitation without its link at once and records the permanent failure', async () => {
      const to = uniqueEmail('lin', 'nolink');
      const key = randomUUID();
      const job = await queue.add(
        'email.send',
        {
          template: 'partnership-request',
          to,
          locale: 'en',
          data: {
            providerName: 'Contoso',
            providerMpnId: '1234567',
            inviterName: 'Ivy Inviter',
            expiresAt: new Date(Date.now() + 3600_000).toISOString(),
          },
          idempotencyKey: key,
        },
        { jobId: randomUUID(), attempts: 5, backoff: { type: 'fixed', delay: 100 } },
      );
      expect(await settledState(job)).toBe('failed');
      expect((await queue.getJob(job.id as string))?.attemptsMade).toBe(1);
      const rows = await dbRows<{ status: string; permanent: boolean }>(
        'notifications',
        `select "status", "permanent" from "delivery" where "idempotency_key" = $1`,
        [key],
      );
      expect(rows).toEqual([{ status: 'failed', permanent: true }]);

      const marker = uniqueName('Marker Org');
      await queue.add('email.send', acceptedNote(to, marker, randomUUID()), {
        jobId: randomUUID(),
      });
      await waitForEmail({ to, subjectIncludes: marker });
      expect(await emailsTo({ to })).toHaveLength(1);
    });
  });

  describe('skips', () => {
    it('records an email cancelled (revoked) before its send as skipped, and the send sends nothing', async () => {
      const to = uniqueEmail('rhea', 'revoked');
      const key = randomUUID();
      const cancel = await mainQueue.add(
        'email.cancel',
        { idempotencyKey: key, reason: 'revoked', occurredAt: new Date().toISOString() },
        { jobId: randomUUID(), lifo: true, ...RELAY_OPTIONS },
      );
      expect(await settled(mainQueue, cancel)).toMatchObject({
        state: 'completed',
        returnvalue: { outcome: 'skipped', reason: 'revoked', messageId: messageIdOf(key) },
      });
      expect(await deliveryRow(key)).toMatchObject({
        status: 'skipped',
        skip_reason: 'revoked',
        settled: true,
        template: null,
      });

      const send = await mainQueue.add('email.send', invitationJob(to, key), {
        jobId: key,
        ...RELAY_OPTIONS,
      });
      expect(await settled(mainQueue, send)).toMatchObject({
        state: 'completed',
        returnvalue: { outcome: 'skipped', reason: 'revoked' },
      });
      // The record now says what was not sent, and holds no link.
      expect(await deliveryRow(key)).toMatchObject({
        status: 'skipped',
        skip_reason: 'revoked',
        template: 'partnership-request',
        recipient: to,
        sealed_link: null,
      });

      // A later email to the same address arrives; the skipped one never did.
      const marker = uniqueName('Marker Org');
      await mainQueue.add(
        'email.send',
        {
          template: 'invitation-accepted',
          to,
          locale: 'en',
          data: {
            inviterName: 'Ivy Inviter',
            invitationKind: 'partnership',
            acceptedByOrganization: marker,
            acceptedAt: new Date().toISOString(),
          },
          idempotencyKey: randomUUID(),
        },
        { jobId: randomUUID(), ...RELAY_OPTIONS },
      );
      await waitForEmail({ to, subjectIncludes: marker });
      expect(await emailsTo({ to })).toHaveLength(1);

      const view = expectStatus<DeliveryView>(
        await api('notifications').get(`/v1/deliveries/${key}`).set(operator()),
        200,
      );
      expect(view).toMatchObject({
        idempotencyKey: key,
        messageId: messageIdOf(key),
        status: 'skipped',
        skipReason: 'revoked',
        settled: true,
        recipient: to,
        replayable: false,
      });
    });

    it('leaves an email that was sent before its cancel arrived as sent', async () => {
      const to = uniqueEmail('sam', 'sent-first');
      const key = randomUUID();
      await mainQueue.add('email.send', invitationJob(to, key), { jobId: key, ...RELAY_OPTIONS });
      const delivered = await waitForEmail({ to });
      expect(delivered.headers['message-id']).toBe(messageIdOf(key));
      await eventually('the sent record', async () =>
        (await deliveryRow(key))?.status === 'sent' ? true : undefined,
      );

      const cancel = await mainQueue.add(
        'email.cancel',
        { idempotencyKey: key, reason: 'superseded', occurredAt: new Date().toISOString() },
        { jobId: randomUUID(), lifo: true, ...RELAY_OPTIONS },
      );
      expect(await settled(mainQueue, cancel)).toMatchObject({
        state: 'completed',
        returnvalue: { outcome: 'already_sent' },
      });
      expect(await deliveryRow(key)).toMatchObject({
        status: 'sent',
        skip_reason: null,
        sealed_link: null,
      });
    });

    it('skips an invitation that expired before it could be delivered', async () => {
      const to = uniqueEmail('eli', 'expired');
      const key = randomUUID();
      const job = await mainQueue.add(
        'email.send',
        invitationJob(to, key, { expiresAt: new Date(Date.now() - 60_000).toISOString() }),
        { jobId: key, ...RELAY_OPTIONS },
      );
      expect(await settled(mainQueue, job)).toMatchObject({
        state: 'completed',
        returnvalue: { outcome: 'skipped', reason: 'expired' },
      });
      expect(await deliveryRow(key)).toMatchObject({
        status: 'skipped',
        skip_reason: 'expired',
        settled: true,
        recipient: to,
        sealed_link: null,
      });
      expect(await emailsTo({ to })).toHaveLength(0);
    });
  });

  describe('against an SMTP server that refuses', () => {
    const sink = new SmtpSink();
    let instance: ExtraInstance;
    let sinkQueue: Queue;

    beforeAll(async () => {
      await sink.start();
      instance = await startExtraInstance('notifications', (s) => ({
        smtpHost: '127.0.0.1',
        ports: { ...s.ports, smtp: sink.port },
        bullmqPrefix: `${s.bullmqPrefix}${SINK_SUFFIX}`,
      }));
      sinkQueue = queueUnder(instance.settings.bullmqPrefix);
    });

    afterAll(async () => {
      await instance?.stop();
      await sinkQueue?.obliterate({ force: true }).catch(() => undefined);
      await sinkQueue?.close();
      await sink.stop();
    });

    it('fails a 5xx reply at once with the reply recorded; the operator lists and replays it', async () => {
      const to = uniqueEmail('bounce-ben', 'bounce');
      const key = randomUUID();
      const job = await sinkQueue.add('email.send', invitationJob(to, key), {
        jobId: key,
        ...RELAY_OPTIONS,
      });
      const outcome = await settled(sinkQueue, job);
      expect(outcome).toMatchObject({ state: 'failed', attemptsMade: 1 });
      expect(outcome.failedReason).toContain('550');
      expect(sink.refusals).toContain(`550 ${to}`);
      expect(sink.to(to)).toHaveLength(0);
      const row = await deliveryRow(key);
      expect(row).toMatchObject({
        status: 'failed',
        permanent: true,
        settled: true,
        attempts: 1,
        template: 'partnership-request',
        recipient: to,
      });
      expect(row?.smtp_response).toContain('550');
      // Kept, still sealed, for the replay.
      expect(row?.sealed_link).toEqual(expect.any(String));
      expect(row?.sealed_link).not.toContain('token=');

      // The operator finds it among the failed deliveries.
      const failed = await eventually('the failure in the operator list', async () => {
        const page = expectStatus<Collection<DeliveryView>>(
          await api('notifications').get('/v1/deliveries?status=failed&size=100').set(operator()),
          200,
        );
        return page.items.find((item) => item.idempotencyKey === key);
      });
      expect(failed).toMatchObject({
        status: 'failed',
        settled: true,
        permanent: true,
        replayable: true,
        recipient: to,
        messageId: messageIdOf(key),
      });
      expect(failed.lastResponse).toContain('550');
      expect(JSON.stringify(failed)).not.toContain('sealed');

      // Replayed (through the main instance, whose SMTP server takes the address): the same key,
      // so the same Message-ID.
      const replay = expectStatus<{ jobId: string; delivery: DeliveryView }>(
        await api('notifications').post(`/v1/deliveries/${key}/replay`).set(operator()),
        202,
      );
      expect(replay.jobId).toBe(`${key}-replay-1`);
      expect(replay.delivery).toMatchObject({ status: 'failed', settled: false, replays: 1 });
      const delivered = await waitForEmail({ to });
      expect(delivered.headers['message-id']).toBe(messageIdOf(key));
      expect(delivered.subject).toContain('invites you to authorize it as your indirect provider');
      const after = await eventually('the replayed delivery recorded', async () => {
        const current = await deliveryRow(key);
        return current?.status === 'sent' ? current : undefined;
      });
      expect(after).toMatchObject({
        settled: true,
        permanent: false,
        replays: 1,
        sealed_link: null,
      });
      expect(await emailsTo({ to })).toHaveLength(1);

      // Only a delivery that failed for good can be replayed.
      expectApiError(
        await api('notifications').post(`/v1/deliveries/${key}/replay`).set(operator()),
        409,
        'delivery.not_replayable',
        'notifications',
      );
      expectApiError(
        await api('notifications').post(`/v1/deliveries/${randomUUID()}/replay`).set(operator()),
        404,
        'delivery.not_found',
        'notifications',
      );
    });

    it('retries a 4xx reply with backoff and delivers once the server accepts', async () => {
      const to = uniqueEmail('greylist-gia', 'greylist');
      const key = randomUUID();
      const job = await sinkQueue.add('email.send', invitationJob(to, key), {
        jobId: key,
        ...RELAY_OPTIONS,
      });
      expect(await settled(sinkQueue, job)).toMatchObject({
        state: 'completed',
        returnvalue: { outcome: 'sent', messageId: messageIdOf(key) },
        attemptsMade: 2,
      });
      expect(sink.refusals.filter((r) => r.endsWith(to))).toEqual([`451 ${to}`]);
      expect(sink.to(to).map((m) => m.messageId)).toEqual([messageIdOf(key)]);
      expect(await deliveryRow(key)).toMatchObject({
        status: 'sent',
        settled: true,
        attempts: 2,
        sealed_link: null,
      });
    });

    it('answers the relay what it recorded, one entry per key with a record', async () => {
      const sent = randomUUID();
      const bounced = randomUUID();
      const unknown = randomUUID();
      const jobs = await sinkQueue.addBulk([
        {
          name: 'email.send',
          data: invitationJob(uniqueEmail('sol'), sent),
          opts: { jobId: sent, ...RELAY_OPTIONS },
        },
        {
          name: 'email.send',
          data: invitationJob(uniqueEmail('bounce-bo'), bounced),
          opts: { jobId: bounced, ...RELAY_OPTIONS },
        },
      ]);
      await Promise.all(jobs.map((job) => settled(sinkQueue, job)));
      Logger.overrideLogger(false);
      const s = harnessSettings();
      const rpc = new RpcClient({
        natsUrl: s.natsUrl,
        namespace: s.messageNamespace,
        timeoutMs: 5000,
        name: 'worker-e2e',
      });
      try {
        const answer = await rpc.send(PATTERNS.deliveryStatus, {
          idempotencyKeys: [sent, bounced, unknown],
        });
        expect(
          [...answer.deliveries].sort((a, b) => a.idempotencyKey.localeCompare(b.idempotencyKey)),
        ).toEqual(
          [
            { idempotencyKey: sent, status: 'sent', settled: true },
            { idempotencyKey: bounced, status: 'failed', settled: true },
          ].sort((a, b) => a.idempotencyKey.localeCompare(b.idempotencyKey)),
        );
      } finally {
        await rpc.onApplicationShutdown();
      }
    });
  });

  describe('against an SMTP server that is down', () => {
    const sink = new SmtpSink();
    let instance: ExtraInstance;
    let queue: Queue;

    afterAll(async () => {
      await instance?.stop();
      await queue?.obliterate({ force: true }).catch(() => undefined);
      await queue?.close();
      await sink.stop();
    });

    it('retries refused connections with backoff and delivers each email once when it is back', async () => {
      const port = await freePort();
      instance = await startExtraInstance('notifications', (s) => ({
        smtpHost: '127.0.0.1',
        ports: { ...s.ports, smtp: port },
        bullmqPrefix: `${s.bullmqPrefix}${DOWN_SUFFIX}`,
      }));
      queue = queueUnder(instance.settings.bullmqPrefix);
      // More emails than the SMTP pool has connections.
      const keys = Array.from({ length: 12 }, () => randomUUID());
      const recipients = new Map(keys.map((key, i) => [key, uniqueEmail(`down-${i}`, 'outage')]));
      await queue.addBulk(
        keys.map((key) => ({
          name: 'email.send',
          data: invitationJob(recipients.get(key) ?? '', key),
          opts: { jobId: key, ...RELAY_OPTIONS },
        })),
      );
      await eventually('every email to have failed an attempt', async () => {
        const rows = await dbRows<{ n: string }>(
          'notifications',
          `select count(*) as n from "delivery" where "idempotency_key" = any($1::text[])
              and "status" = 'failed' and not "settled" and "smtp_response" like '%ECONNREFUSED%'`,
          [keys],
        );
        return Number(rows[0].n) === keys.length ? true : undefined;
      });

      await sink.start(port);
      await eventually('every email once the server is back', () =>
        sink.messages.length >= keys.length ? true : undefined,
      );
      await eventually('every job completed', async () =>
        (await queue.getJobCounts('completed')).completed === keys.length ? true : undefined,
      );
      for (const [key, to] of recipients) {
        expect(sink.to(to).map((m) => m.messageId)).toEqual([messageIdOf(key)]);
      }
      const rows = await dbRows<{ status: string; attempts: number }>(
        'notifications',
        `select "status", "attempts" from "delivery" where "idempotency_key" = any($1::text[])`,
        [keys],
      );
      expect(rows).toHaveLength(keys.length);
      for (const row of rows) {
        expect(row.status).toBe('sent');
        expect(row.attempts).toBeGreaterThanOrEqual(2);
      }
    });
  });

  describe('graceful shutdown', () => {
    const sink = new SmtpSink(200);
    let queue: Queue;
    const started: ExtraInstance[] = [];

    beforeAll(async () => {
      await sink.start();
    });

    afterAll(async () => {
      await Promise.all(started.map((instance) => instance.stop()));
      await queue?.obliterate({ force: true }).catch(() => undefined);
      await queue?.close();
      await sink.stop();
    });

    const startWorker = async () => {
      const instance = await startExtraInstance('notifications', (s) => ({
        smtpHost: '127.0.0.1',
        ports: { ...s.ports, smtp: sink.port },
        bullmqPrefix: `${s.bullmqPrefix}${SHUTDOWN_SUFFIX}`,
      }));
      started.push(instance);
      return instance;
    };

    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };

    it('on SIGTERM finishes and records the sends in flight, takes no more, and loses nothing', async () => {
      const first = await startWorker();
      queue = queueUnder(first.settings.bullmqPrefix);
      // More jobs than the worker takes at once (WORKER_CONCURRENCY, 100).
      const keys = Array.from({ length: 160 }, () => randomUUID());
      const recipients = new Map(keys.map((key, i) => [key, uniqueEmail(`slow-${i}`, 'shutdown')]));
      await queue.addBulk(
        keys.map((key) => ({
          name: 'email.send',
          data: invitationJob(recipients.get(key) ?? '', key),
          opts: { jobId: key, ...RELAY_OPTIONS },
        })),
      );

      // Mid-batch: the first messages are accepted, many more are in flight.
      await eventually('the first accepted message', () =>
        sink.messages.length > 0 ? true : undefined,
      );
      process.kill(first.pid, 'SIGTERM');
      await eventually(
        'the stopped worker to exit',
        () => (alive(first.pid) ? undefined : true),
        30000,
      );

      // Nothing half-done: no job left active, every completed job's email accepted exactly once
      // and recorded sent; the jobs it did not take are still waiting.
      const counts = await queue.getJobCounts(
        'active',
        'completed',
        'failed',
        'waiting',
        'delayed',
      );
      expect(counts.active).toBe(0);
      expect(counts.failed).toBe(0);
      expect(counts.completed).toBe(sink.messages.length);
      expect(counts.completed + counts.waiting + counts.delayed).toBe(keys.length);
      expect(counts.waiting + counts.delayed).toBeGreaterThan(0);
      const sentRows = await dbRows<{ n: string }>(
        'notifications',
        `select count(*) as n from "delivery"
          where "idempotency_key" = any($1::text[]) and "status" = 'sent'`,
        [keys],
      );
      expect(Number(sentRows[0].n)).toBe(counts.completed);
      const pending = await dbRows(
        'notifications',
        `select 1 from "delivery" where "idempotency_key" = any($1::text[]) and "status" = 'pending'`,
        [keys],
      );
      expect(pending).toHaveLength(0);

      // Another worker delivers the rest: every email exactly once, with its own Message-ID.
      await startWorker();
      await eventually(
        'every email',
        () => (sink.messages.length >= keys.length ? true : undefined),
        60000,
      );
      await eventually('every job completed', async () =>
        (await queue.getJobCounts('completed')).completed === keys.length ? true : undefined,
      );
      const ids = sink.messages.map((m) => m.messageId).sort();
      expect(ids).toEqual(keys.map(messageIdOf).sort());
      for (const [key, to] of recipients) {
        expect(sink.to(to).map((m) => m.messageId)).toEqual([messageIdOf(key)]);
      }
    });
  });
});
