// @ts-check
'use strict';
/**
 * What a drill reads from the system besides the SMTP sink: the notifications queue's job counts
 * (BullMQ, on the drill's Redis), the relationships outbox (rows not relayed yet), the services'
 * PostgreSQL connections (drill 4 terminates them), and, for an email that never arrived, where
 * it stopped (outbox row, queue job, delivery record).
 */
const { Queue } = require('bullmq');
const { Client } = require('pg');

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `promise`, or `fallback` when it has not settled (or failed) within `ms`.
 * @template T @param {Promise<T>} promise @param {number} ms @param {T} fallback @returns {Promise<T>}
 */
function within(promise, ms, fallback) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  return Promise.race([
    promise.catch(() => fallback),
    new Promise((resolve) => (timer = setTimeout(() => resolve(fallback), ms))),
  ]).finally(() => clearTimeout(timer));
}

/**
 * @typedef {object} JobCounts
 * @property {number} waiting @property {number} active @property {number} delayed
 * @property {number} prioritized @property {number} failed
 * @property {number} completed
 */

class Inspector {
  /**
   * @param {import('../system').Settings} settings  the drill's system
   * @param {{ host: string, port: number }} redis
   */
  constructor(settings, redis) {
    this.settings = settings;
    this.queue = new Queue('notifications', {
      connection: { host: redis.host, port: redis.port, maxRetriesPerRequest: 1 },
      prefix: settings.bullmqPrefix,
    });
    this.queue.on('error', () => undefined);
  }

  /** The notifications queue's job counts, or null when Redis does not answer within 3 s. */
  async jobCounts() {
    const counts = await within(
      this.queue.getJobCounts(
        'waiting',
        'active',
        'delayed',
        'prioritized',
        'waiting-children',
        'failed',
        'completed',
      ),
      3000,
      null,
    );
    return /** @type {JobCounts | null} */ (counts);
  }

  /** Jobs being processed right now (0 when Redis does not answer). */
  async activeJobs() {
    return (await this.jobCounts())?.active ?? 0;
  }

  /**
   * Work still under way: jobs waiting, active or delayed (a retry), and outbox rows not relayed;
   * null when one of them cannot be read.
   */
  async pendingWork() {
    const [counts, outbox] = await Promise.all([
      this.jobCounts(),
      within(this.pendingOutbox(), 3000, null),
    ]);
    if (!counts || outbox === null) return null;
    return counts.waiting + counts.active + counts.delayed + counts.prioritized + outbox;
  }

  /**
   * Webhook deliveries not yet settled (pending: sent or retried until a 2xx or given up), or
   * null when the relationships database cannot be read.
   */
  async pendingWebhooks() {
    return within(
      this.withClient(this.settings.databases.relationships, async (client) => {
        const result = await client.query(
          `select count(*)::int as n from webhook_delivery where status = 'pending'`,
        );
        return /** @type {number} */ (result.rows[0].n);
      }),
      3000,
      null,
    );
  }

  /**
   * A short-lived connection to one database (`postgres` or a service's), closed after `work`.
   * @template T @param {string} database @param {(client: Client) => Promise<T>} work
   * @returns {Promise<T>}
   */
  async withClient(database, work) {
    const client = new Client({
      connectionString: `${this.settings.postgresUrl}/${database}`,
      connectionTimeoutMillis: 5000,
    });
    client.on('error', () => undefined);
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** Relationships outbox rows not relayed yet. */
  async pendingOutbox() {
    return this.withClient(this.settings.databases.relationships, async (client) => {
      const result = await client.query(
        'select count(*)::int as n from "outbox_message" where "relayed_at" is null',
      );
      return /** @type {number} */ (result.rows[0].n);
    });
  }

  /**
   * `pg_terminate_backend` on every connection of the three services' databases (drill 4).
   * @returns {Promise<{ terminated: number, workerTransactions: number }>} how many connections
   *   were terminated, and how many of them were inside a transaction of the notifications
   *   database (a delivery holds one from its claim to its record, SMTP send included)
   */
  async terminateServiceConnections() {
    return this.withClient('postgres', async (client) => {
      const result = await client.query(
        `select count(*) filter (where pg_terminate_backend(pid))::int as terminated,
                count(*) filter (where datname = $2 and xact_start is not null)::int as worker
           from pg_stat_activity where datname = any($1) and pid <> pg_backend_pid()`,
        [Object.values(this.settings.databases), this.settings.databases.notifications],
      );
      const row = /** @type {{ terminated: number, worker: number }} */ (result.rows[0]);
      return { terminated: row.terminated, workerTransactions: row.worker };
    });
  }

  /**
   * Where the email of each recipient stopped: the relationships outbox row (missing, not relayed),
   * the BullMQ job of that row (its state, or `unknown` when Redis no longer has it), and the
   * notifications delivery record (none, `sent`, `failed`). Returns counts per stage and up to
   * three examples per stage.
   * @param {string[]} recipients
   */
  async diagnose(recipients) {
    if (recipients.length === 0) return { stages: {}, examples: {} };
    const outbox = await this.withClient(this.settings.databases.relationships, (client) =>
      client.query(
        `select "id", "payload"->>'to' as "to", "relayed_at" from "outbox_message"
          where "name" = 'email.send' and lower("payload"->>'to') = any($1)`,
        [recipients],
      ),
    );
    const deliveries = await this.withClient(this.settings.databases.notifications, (client) =>
      client.query(
        `select "idempotency_key", "status", "attempts", "smtp_response" from "delivery"
          where lower("recipient") = any($1)`,
        [recipients],
      ),
    );
    const deliveryByKey = new Map(deliveries.rows.map((row) => [row.idempotency_key, row]));
    const rowByRecipient = new Map(outbox.rows.map((row) => [String(row.to).toLowerCase(), row]));
    /** @type {Record<string, number>} */
    const stages = {};
    /** @type {Record<string, string[]>} */
    const examples = {};
    for (const recipient of recipients) {
      const row = rowByRecipient.get(recipient);
      let stage;
      if (!row) stage = 'no outbox row';
      else if (!row.relayed_at) stage = 'outbox row not relayed';
      else {
        const delivery = deliveryByKey.get(row.id);
        const state = await within(this.queue.getJobState(row.id), 3000, 'unreadable');
        const job = state === 'unknown' ? 'job gone from Redis' : `job ${state}`;
        stage = delivery
          ? `${job}, delivery ${delivery.status} after ${delivery.attempts} attempt(s)${delivery.smtp_response ? ` (${String(delivery.smtp_response).slice(0, 80)})` : ''}`
          : `${job}, no delivery record`;
      }
      stages[stage] = (stages[stage] ?? 0) + 1;
      const list = (examples[stage] ??= []);
      if (list.length < 3) list.push(`${recipient}${row ? ` (outbox ${row.id})` : ''}`);
    }
    return { stages, examples };
  }

  async close() {
    await within(this.queue.close(), 3000, undefined);
  }
}

module.exports = { Inspector, within, sleep };
