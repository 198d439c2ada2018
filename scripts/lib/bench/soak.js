// @ts-check
'use strict';
/**
 * The soak run (`npm run bench -- --soak <minutes>`, issue 13 goal 6 "Bounded growth"): a steady
 * stream of reseller relationship requests for the given minutes, with every retention shortened
 * to `retentionSeconds` (the services were started with it, see `soakRetentionEnv`), and the
 * things that must not grow without end read at the start and at the end: Redis memory and key
 * count under the run's BullMQ prefix, and the rows of the tables that have a retention (settled
 * outbox rows of identity and relationships, identity's processed requests, notifications'
 * delivery records). The start is read once the first retention window has passed under load (the
 * steady state); flat means the end is no higher than the start, give or take a load's worth.
 * Domain rows (invitations, the activity log) grow by design and are not part of it.
 */
const autocannon = require('autocannon');
const Redis = require('ioredis');
const { connect } = require('./bench-system');
const { enrollPartner, mapLimit, signIn, sleep } = require('./partners');

const PATH = '/v1/customers/relationship-requests';

/**
 * The environment that shortens every retention to `seconds` (and purges every few seconds).
 * @param {number} seconds
 * @returns {Record<string, string>}
 */
function soakRetentionEnv(seconds) {
  const hours = String(seconds / 3600);
  return {
    OUTBOX_RETENTION_HOURS: hours,
    COMPLETED_JOB_RETENTION_HOURS: hours,
    FAILED_JOB_RETENTION_HOURS: hours,
    PROCESSED_REQUEST_RETENTION_HOURS: hours,
    DELIVERY_RECORD_RETENTION_HOURS: hours,
    RETENTION_PURGE_INTERVAL_SECONDS: String(Math.max(1, Math.round(seconds / 6))),
  };
}

/** The tables with a retention: service → [label, SQL counting its rows]. */
const TABLES = {
  identity: [
    ['identity outbox rows', `select count(*)::int as n from "outbox_message"`],
    ['identity processed requests', `select count(*)::int as n from "processed_request"`],
  ],
  relationships: [['relationships outbox rows', `select count(*)::int as n from "outbox_message"`]],
  notifications: [['notifications delivery records', `select count(*)::int as n from "delivery"`]],
};

/**
 * One reading of everything that must stay flat.
 * @param {import('../system').Settings} settings @param {Redis} redis
 * @returns {Promise<Record<string, number>>}
 */
async function snapshot(settings, redis) {
  /** @type {Record<string, number>} */
  const out = {};
  const info = await redis.info('memory');
  out['Redis used memory (bytes)'] = Number(/used_memory:(\d+)/.exec(info)?.[1] ?? NaN);
  let keys = 0;
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(
      cursor,
      'MATCH',
      `${settings.bullmqPrefix}:*`,
      'COUNT',
      1000,
    );
    cursor = next;
    keys += batch.length;
  } while (cursor !== '0');
  out['Redis keys of the run'] = keys;
  for (const [service, queries] of Object.entries(TABLES)) {
    const client = await connect(settings, settings.databases[/** @type {'identity'} */ (service)]);
    try {
      for (const [label, sql] of queries) {
        const { rows } = await client.query(sql);
        out[label] = rows[0].n;
      }
    } finally {
      await client.end();
    }
  }
  return out;
}

/**
 * @typedef {object} SoakContext
 * @property {string} runId
 * @property {import('../system').Settings} settings
 * @property {{ identity: string, relationships: string }} urls
 * @property {import('./sink').Sink} sink
 * @property {string} loadDomain
 * @property {(instance: { stop: () => void } | null) => void} track
 * @property {(line: string) => void} say
 */

/**
 * The soak run: `minutes` of load at `rate` requests/s after a warm window of
 * `retentionSeconds` + two purge intervals, with a reading at the start and at the end.
 * @param {SoakContext} ctx
 * @param {{ minutes: number, rate: number, retentionSeconds: number, partners: number }} options
 */
async function runSoak(ctx, options) {
  const names = Array.from(
    { length: options.partners },
    (_, i) => `Soak Reseller ${String(i + 1).padStart(2, '0')}`,
  );
  const partners = await mapLimit(names, 4, (name) =>
    enrollPartner(ctx.urls, ctx.sink, { name, partnerType: 'indirect_reseller', runId: ctx.runId }),
  );
  const tokens = await mapLimit(partners, 4, (partner) => signIn(ctx.urls, partner));
  const redis = new Redis(ctx.settings.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 3 });
  await redis.connect();
  const warmSeconds =
    options.retentionSeconds + 2 * Math.max(1, Math.round(options.retentionSeconds / 6));
  const totalSeconds = warmSeconds + options.minutes * 60;
  let n = 0;
  /** @type {Record<string, number>} */
  const statuses = {};
  const instance = autocannon({
    url: ctx.urls.relationships,
    connections: 10,
    overallRate: options.rate,
    duration: totalSeconds,
    timeout: 30,
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        method: 'POST',
        path: PATH,
        setupRequest(/** @type {any} */ req) {
          n += 1;
          req.headers.authorization = `Bearer ${tokens[n % tokens.length]}`;
          req.body = JSON.stringify({
            email: `s${n}.${ctx.runId}@${ctx.loadDomain}`,
            delegatedAdmin: false,
          });
          return req;
        },
        onResponse(/** @type {number} */ status) {
          statuses[status] = (statuses[status] ?? 0) + 1;
        },
      },
    ],
  });
  ctx.track(instance);
  try {
    ctx.say(
      `  ${options.rate} requests/s; retention ${options.retentionSeconds} s; warm window ${warmSeconds} s, then ${options.minutes} min …`,
    );
    await sleep(warmSeconds * 1000);
    const start = await snapshot(ctx.settings, redis);
    ctx.say(`  start: ${JSON.stringify(start)}`);
    /** @type {any} */
    const result = await instance;
    const end = await snapshot(ctx.settings, redis);
    ctx.say(`  end: ${JSON.stringify(end)}`);
    return {
      minutes: options.minutes,
      rate: options.rate,
      retentionSeconds: options.retentionSeconds,
      warmSeconds,
      requests: result.requests.total,
      statuses,
      start,
      end,
    };
  } finally {
    ctx.track(null);
    await redis.quit().catch(() => undefined);
  }
}

module.exports = { runSoak, soakRetentionEnv };
