// @ts-check
'use strict';
/**
 * The isolated system a benchmark runs against, built on scripts/lib/system.js: databases
 * `pcp_bench_<runId>_<service>`, BullMQ prefix `pcp-bench-<runId>`, message namespace
 * `pcp-bench-<runId>:`, free ports, a random link key and operator password, enrollment
 * auto-approval on, and the services as in production (`NODE_ENV=production`, built output, log
 * level `warn`). Email goes to the bench's own SMTP sink instead of MailDev.
 */
const path = require('node:path');
const { Client } = require('pg');
const system = require('../system');

/**
 * @param {string} runId lower-case letters and digits
 * @param {string} runDir where logs, profiles and results go
 * @returns {Promise<import('../system').Settings>}
 */
async function benchSettings(runId, runDir) {
  const ports = {
    identity: await system.freePort(),
    relationships: await system.freePort(),
    notifications: await system.freePort(),
    smtp: await system.freePort(),
    // MailDev is not started; the port only keeps the settings complete.
    mailWeb: await system.freePort(),
  };
  const base = system.testSettings(runId, ports);
  return {
    ...base,
    name: `bench-${runId}`,
    nodeEnv: 'production',
    logLevel: 'warn',
    databases: {
      identity: `pcp_bench_${runId}_identity`,
      relationships: `pcp_bench_${runId}_relationships`,
      notifications: `pcp_bench_${runId}_notifications`,
    },
    bullmqPrefix: `pcp-bench-${runId}`,
    messageNamespace: `pcp-bench-${runId}:`,
    logDir: path.join(runDir, 'logs'),
    // The load is the point here: the invitation email caps (abuse limits) out of its way.
    extraEnv: {
      ...base.extraEnv,
      relationships: {
        ...base.extraEnv?.relationships,
        INVITATION_EMAILS_PER_PARTNER_PER_HOUR: '100000',
        // As in production (which refuses it): the bench registers no webhook receiver.
        WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false',
      },
    },
  };
}

/**
 * A pg client on one of the system's databases (or `postgres`); the caller ends it.
 * @param {import('../system').Settings} settings @param {string} database
 */
async function connect(settings, database) {
  const client = new Client({ connectionString: `${settings.postgresUrl}/${database}` });
  // A connection lost while idle (e.g. its database dropped at cleanup) must not crash the bench.
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/**
 * The pids of the PostgreSQL backends connected to the given databases right now.
 * @param {import('pg').Client} admin a client on any database
 * @param {string[]} databases
 * @returns {Promise<number[]>}
 */
async function backendPids(admin, databases) {
  const { rows } = await admin.query(
    'SELECT pid FROM pg_stat_activity WHERE datname = ANY($1::text[]) AND pid <> pg_backend_pid()',
    [databases],
  );
  return rows.map((row) => Number(row.pid));
}

/**
 * @typedef {{ transactions: number, rowsInserted: number, rowsUpdated: number, rowsDeleted: number, rowsFetched: number }} DatabaseCounters
 */

/**
 * PostgreSQL's cumulative counters of the given databases (`pg_stat_database`): committed and
 * rolled back transactions, rows inserted, updated, deleted and fetched. Backends report them at
 * the end of a transaction at most once a second, so a reading lags by up to a second of work.
 * @param {import('pg').Client} admin @param {string[]} databases
 * @returns {Promise<Record<string, DatabaseCounters>>}
 */
async function databaseCounters(admin, databases) {
  const { rows } = await admin.query(
    `SELECT datname, xact_commit + xact_rollback AS transactions, tup_inserted, tup_updated,
            tup_deleted, tup_fetched
       FROM pg_stat_database WHERE datname = ANY($1::text[])`,
    [databases],
  );
  return Object.fromEntries(
    rows.map((row) => [
      row.datname,
      {
        transactions: Number(row.transactions),
        rowsInserted: Number(row.tup_inserted),
        rowsUpdated: Number(row.tup_updated),
        rowsDeleted: Number(row.tup_deleted),
        rowsFetched: Number(row.tup_fetched),
      },
    ]),
  );
}

/**
 * What changed between two readings of {@link databaseCounters}, per unit of work.
 * @param {Record<string, DatabaseCounters>} before @param {Record<string, DatabaseCounters>} after
 * @param {number} units @param {(database: string) => string} [label]
 * @returns {Record<string, DatabaseCounters>}
 */
function countersPerUnit(before, after, units, label = (d) => d) {
  /** @type {Record<string, DatabaseCounters>} */
  const out = {};
  for (const [database, end] of Object.entries(after)) {
    const start = before[database];
    if (!start || units <= 0) continue;
    out[label(database)] = {
      transactions: (end.transactions - start.transactions) / units,
      rowsInserted: (end.rowsInserted - start.rowsInserted) / units,
      rowsUpdated: (end.rowsUpdated - start.rowsUpdated) / units,
      rowsDeleted: (end.rowsDeleted - start.rowsDeleted) / units,
      rowsFetched: (end.rowsFetched - start.rowsFetched) / units,
    };
  }
  return out;
}

/**
 * The Redis server's pid (`INFO server`), or null when Redis does not say (or runs elsewhere).
 * @param {string} redisUrl
 * @returns {Promise<number | null>}
 */
async function redisPid(redisUrl) {
  const Redis = require('ioredis');
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const info = await redis.info('server');
    const match = /process_id:(\d+)/.exec(info);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  } finally {
    redis.disconnect();
  }
}

module.exports = {
  benchSettings,
  connect,
  backendPids,
  databaseCounters,
  countersPerUnit,
  redisPid,
};
