// @ts-check
'use strict';
/**
 * The end-to-end run with 1 and with N instances of each service, side by side (`npm run bench --
 * --instances N`). Each variant gets a fresh isolated system of its own (databases, BullMQ prefix,
 * message namespace, free ports, its own counting SMTP sink), so that neither inherits the other's
 * tables or queues; the same partners' load (end-to-end.js) is spread by the bench client over the
 * relationships instances: autocannon opens its connections to the instances' URLs in turn (there
 * is no load balancer), and the services share out the rest themselves (a NATS queue group per
 * service, BullMQ workers, the outbox relay's `SKIP LOCKED`).
 *
 * Besides the end-to-end figures, each variant reads every instance's `/metrics` before the load
 * and after the last email: request/response calls made (`rpc_calls_total`) and handler runs
 * (`rpc_handled_total`), summed over every instance of every service. Handler runs per call is
 * 1.0 when each call runs on exactly one instance.
 */
const path = require('node:path');
const system = require('../system');
const { backendPids, benchSettings, databaseCounters } = require('./bench-system');
const { runEndToEnd } = require('./end-to-end');
const { startSink } = require('./sink');

/**
 * The sum of a counter's series in a Prometheus text exposition (every label combination).
 * @param {string} text @param {string} name
 */
function sumCounter(text, name) {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(value)) sum += value;
  }
  return sum;
}

/**
 * Calls made and handler runs so far, summed over the given instances' `/metrics`.
 * @param {string[]} urls
 * @returns {Promise<{ calls: number, handled: number }>}
 */
async function rpcCounts(urls) {
  const texts = await Promise.all(
    urls.map(async (url) => {
      const response = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(10000) });
      if (!response.ok) throw new Error(`${url}/metrics answered ${response.status}`);
      return response.text();
    }),
  );
  return {
    calls: texts.reduce((sum, text) => sum + sumCounter(text, 'rpc_calls_total'), 0),
    handled: texts.reduce((sum, text) => sum + sumCounter(text, 'rpc_handled_total'), 0),
  };
}

/**
 * @typedef {object} InstancesContext
 * @property {string} runId
 * @property {string} runDir
 * @property {string} loadDomain
 * @property {import('pg').Client} admin   a client on the `postgres` database
 * @property {number | null} redisPid
 * @property {(instance: { stop: () => void } | null) => void} track
 * @property {(cleanup: (() => Promise<void>) | null) => void} onCleanup  what Ctrl-C must undo
 * @property {(line: string) => void} say
 */

/**
 * Runs the end-to-end benchmark once per instance count.
 * @param {InstancesContext} ctx @param {number[]} counts e.g. [1, 2]
 * @param {import('./end-to-end').EndToEndOptions} options
 * @returns {Promise<{ counts: number[], variants: Record<string, any>[] }>}
 */
async function runInstancesComparison(ctx, counts, options) {
  /** @type {Record<string, any>[]} */
  const variants = [];
  for (const count of counts) {
    const label = `${count} instance${count === 1 ? '' : 's'}`;
    ctx.say(`\nEnd to end with ${label} of each service (a fresh system) …`);
    const variantId = `${ctx.runId}n${count}`;
    const base = await benchSettings(variantId, ctx.runDir);
    const settings = { ...base, logDir: path.join(ctx.runDir, `logs-${count}`) };
    const sink = await startSink(settings.ports.smtp, ctx.loadDomain);
    let created = false;
    const cleanup = async () => {
      await system.stopAll();
      await sink.stop().catch(() => undefined);
      if (created) {
        await system.dropDatabases(settings).catch(() => undefined);
        await system.deleteRedisKeys(settings).catch(() => undefined);
      }
    };
    ctx.onCleanup(cleanup);
    try {
      created = true;
      await system.migrateAll(settings);
      const started = await system.startInstances(settings, count, {
        portOf: () => system.freePort(),
      });
      const urlsOf = (/** @type {import('../system').ServiceName} */ service) =>
        started[service].map((instance) => instance.url);
      const pidsOf = (/** @type {import('../system').ServiceName} */ service) =>
        started[service].map((instance) => /** @type {number} */ (instance.pid));
      const everyUrl = system.SERVICES.flatMap(urlsOf);
      const databases = Object.values(settings.databases);
      const byService = Object.fromEntries(
        Object.entries(settings.databases).map(([service, db]) => [db, service]),
      );
      ctx.say(
        `  up: ${system.SERVICES.map((service) => `${service} ${urlsOf(service).join(' ')}`).join('; ')}`,
      );
      /** @type {{ calls: number, handled: number } | null} */
      let rpcBefore = null;
      const result = await runEndToEnd(
        {
          runId: variantId,
          urls: { identity: urlsOf('identity')[0], relationships: urlsOf('relationships')[0] },
          loadUrls: urlsOf('relationships'),
          sink,
          loadDomain: ctx.loadDomain,
          processes: async () => ({
            identity: pidsOf('identity'),
            relationships: pidsOf('relationships'),
            notifications: pidsOf('notifications'),
            'smtp sink': sink.pid ? [sink.pid] : [],
            postgres: await backendPids(ctx.admin, databases),
            redis: ctx.redisPid ? [ctx.redisPid] : [],
            'bench client': [process.pid],
          }),
          databaseCounters: async () =>
            Object.fromEntries(
              Object.entries(await databaseCounters(ctx.admin, databases)).map(([db, c]) => [
                byService[db] ?? db,
                c,
              ]),
            ),
          track: ctx.track,
          say: ctx.say,
          onLoadStart: async () => {
            rpcBefore = await rpcCounts(everyUrl);
          },
        },
        options,
      );
      const rpcAfter = await rpcCounts(everyUrl);
      const calls = rpcAfter.calls - (rpcBefore?.calls ?? 0);
      const handled = rpcAfter.handled - (rpcBefore?.handled ?? 0);
      variants.push({
        instances: count,
        urls: Object.fromEntries(system.SERVICES.map((service) => [service, urlsOf(service)])),
        endToEnd: result,
        rpc: { calls, handled, handledPerCall: calls > 0 ? handled / calls : null },
      });
      ctx.say(
        `  ${label}: ${result.delivery.emailsPerSec?.toFixed(1) ?? '—'} emails/s; ${handled} handler runs for ${calls} calls between services`,
      );
    } finally {
      await cleanup();
      ctx.onCleanup(null);
    }
  }
  return { counts, variants };
}

module.exports = { runInstancesComparison, sumCounter };
