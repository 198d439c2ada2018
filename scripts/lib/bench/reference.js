// @ts-check
'use strict';
/**
 * The reference of the end-to-end benchmark: `minimal-pipeline.js` (the same work as one
 * invitation written naively: a PostgreSQL transaction with the invitation and outbox rows, a
 * BullMQ add, a worker that renders handlebars and sends with pooled nodemailer to an in-process
 * SMTP sink; no HTTP, no auth, no validation). It runs from the project root (so that its packages
 * resolve from our node_modules) in a database of its own, with its own SINK_PORT, never at the
 * same time as our load. Its one JSON line `{ N, producedPerSec, endToEndPerSec, seconds }` is the
 * figure our emails/s is compared with.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { countersPerUnit } = require('./bench-system');
const { startCpuMeter } = require('./cpu');

/** Where the reference lives: `<project>/../shared/bench/minimal-pipeline.js`. @param {string} root */
function defaultReferencePath(root) {
  return path.resolve(root, '..', 'shared', 'bench', 'minimal-pipeline.js');
}

/**
 * @typedef {object} ReferenceResult
 * @property {string} script
 * @property {number} N
 * @property {number} producedPerSec
 * @property {number} endToEndPerSec  emails delivered per second, first insert to last email
 * @property {number} seconds
 * @property {Record<string, { avg: number | null, max: number | null, cpuMs: number }>} cpu
 *   of its process, of the PostgreSQL backends of its database and of Redis: % of one core and CPU
 *   time (ms) over its run
 * @property {import('./bench-system').DatabaseCounters | null} databasePerEmail
 *   its database's transactions and rows per email
 */

/**
 * Runs the reference once and parses its JSON line.
 * @param {{ root: string, script: string, n: number, sinkPort: number, postgresUrl: string, database: string, redisUrl: string, timeoutMs: number }} options
 * @param {(child: import('node:child_process').ChildProcess | null) => void} track for Ctrl-C
 * @param {{ groups: () => Promise<Record<string, number[]>>, counters: () => Promise<Record<string, import('./bench-system').DatabaseCounters>> }} measure
 *   what to measure besides its process: the PostgreSQL backends of its database and Redis, and
 *   its database's counters
 * @returns {Promise<ReferenceResult>}
 */
async function runReference(options, track, measure) {
  if (!fs.existsSync(options.script)) {
    throw new Error(`the reference ${options.script} does not exist (give --reference <path>)`);
  }
  const pg = new URL(options.postgresUrl);
  const redis = new URL(options.redisUrl);
  const child = spawn(process.execPath, [options.script], {
    cwd: options.root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      N: String(options.n),
      SINK_PORT: String(options.sinkPort),
      PGHOST: pg.hostname,
      PGPORT: pg.port || '5432',
      PGUSER: decodeURIComponent(pg.username) || 'postgres',
      PGDATABASE: options.database,
      REDIS_HOST: redis.hostname,
      REDIS_PORT: redis.port || '6379',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  const pid = child.pid;
  const countersBefore = await measure.counters();
  const meter = startCpuMeter(async () => ({
    'minimal-pipeline.js': pid ? [pid] : [],
    ...(await measure.groups()),
  }));
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += String(chunk)));
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const exit = await new Promise((resolve) => {
    timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.once('exit', (code, signal) => resolve(signal ?? code));
  });
  clearTimeout(timer);
  track(null);
  const cpu = await meter.stop();
  const countersAfter = await measure.counters();
  const line = stdout
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.trim().startsWith('{'));
  if (exit !== 0 || !line) {
    throw new Error(
      `the reference exited (${String(exit)}) without its figures:\n${stderr.trim()}`,
    );
  }
  const figures = JSON.parse(line);
  return {
    script: options.script,
    N: figures.N,
    producedPerSec: figures.producedPerSec,
    endToEndPerSec: figures.endToEndPerSec,
    seconds: figures.seconds,
    cpu: cpu.groups,
    databasePerEmail:
      Object.values(countersPerUnit(countersBefore, countersAfter, figures.N))[0] ?? null,
  };
}

module.exports = { runReference, defaultReferencePath };
