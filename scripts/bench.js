#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run bench`: the platform's benchmark, printed as tables (and saved as JSON). It asserts
 * nothing; it measures.
 *
 * 1. reference: `minimal-pipeline.js` (../shared/bench/, the same work as an invitation written
 *    naively, without HTTP, auth or validation), alone, before anything of ours runs and (with the
 *    end-to-end part) again once ours has stopped; the ratio is taken against the mean of the two,
 *    since this machine's speed drifts within minutes;
 * 2. end to end: an isolated system (own databases, BullMQ prefix, message namespace, free ports)
 *    built and started as in production (`NODE_ENV=production`, log level `warn`) with a counting
 *    SMTP sink in its own process; partners enroll through the API; autocannon sends reseller
 *    relationship requests for a fixed time; the emails are awaited (bounded); API requests/s and
 *    latency, invitation-to-inbox latency, emails delivered/s, CPU per process, and the ratio of
 *    our emails/s to the reference's;
 * 3. read path: 100,000 customers under one indirect provider, `GET /v1/customers` first and seek
 *    pages, with and without the indirect reseller filter: latency from one client, requests/s from
 *    many, and the plans of the list's queries;
 * 4. sign-up flood: sign-in p50/p99 alone and while N customer sign-ups arrive at once, with
 *    identity's public hashing lane unbounded (as before it existed), one at a time with every
 *    sign-up queued, and one at a time with the default queue (identity restarted for each);
 * 5. with `--profile`, the services run with `--cpu-prof`; the busiest one's top functions and
 *    packages by self time over the end-to-end window;
 * 6. with `--instances N`, the end-to-end part runs twice, each time on a fresh system: with 1
 *    and with N instances of each service (instances.js), the load spread over the relationships
 *    instances by the bench client, and prints both side by side with the handler runs per call
 *    between services (from every instance's `/metrics`: 1.0 when each call runs once).
 *
 * Everything it created (databases, Redis keys, processes) is removed at the end and on Ctrl-C;
 * logs, profiles, `results.json` and `report.txt` stay in `.run/bench-<runId>/`.
 * Run `node scripts/bench.js --help` for the flags.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { randomBytes } = require('node:crypto');
const { parseArgs } = require('node:util');
const system = require('./lib/system');
const { buildIfStale } = require('./lib/build');
const {
  backendPids,
  benchSettings,
  connect,
  databaseCounters,
  redisPid,
} = require('./lib/bench/bench-system');
const { releaseCpuMeters } = require('./lib/bench/cpu');
const { runEndToEnd } = require('./lib/bench/end-to-end');
const { runFlood } = require('./lib/bench/flood');
const { runInstancesComparison } = require('./lib/bench/instances');
const { profileFileOf, summarizeProfile } = require('./lib/bench/profile');
const { runReadPath } = require('./lib/bench/read-path');
const { defaultReferencePath, runReference } = require('./lib/bench/reference');
const { printReport } = require('./lib/bench/report');
const { startSink } = require('./lib/bench/sink');
const { runSoak, soakRetentionEnv } = require('./lib/bench/soak');

const LOAD_DOMAIN = 'load.bench.example';
const PARTS = ['reference', 'e2e', 'read', 'flood'];
/** Parts run only when asked for (`--soak`, or `--only soak`). */
const OPTIONAL_PARTS = ['soak'];

const HELP = `npm run bench -- [flags]

  --only <parts>           comma-separated parts to run: reference, e2e, read, flood (default: all)
  --duration <s>           end to end: seconds of load (default 30)
  --connections <n>        end to end: autocannon connections (default 50)
  --rate <n>               end to end: requests per second in all (default: as fast as the
                           connections go); below saturation, CPU per email is the work's own cost
  --partners <n>           end to end: partners sending, tokens round-robin (default 20)
  --warmup <s>             end to end: seconds of the same load, sent and delivered before measuring
                           (default 20; 0: none)
  --drain-timeout <s>      end to end: longest wait for the emails after the load (default 120)
  --reference <path>       the reference script (default ../shared/bench/minimal-pipeline.js)
  --reference-n <n>        the reference's N (default 5000)
  --customers <n>          read path: customers under one indirect provider (default 100000)
  --resellers <n>          read path: indirect resellers the customers are spread across (default 4)
  --read-requests <n>      read path: sequential requests from one client (default 2000)
  --read-depth <n>         read path: pages per walk, first + seek pages (default 5)
  --page-size <n>          read path: size of a page (default 100)
  --read-connections <n>   read path: autocannon connections (default 50)
  --read-duration <s>      read path: seconds of load (default 10)
  --flood-sign-ups <n>     sign-up flood: sign-ups sent at once (default 160)
  --flood-sign-ins <n>     sign-up flood: sequential sign-ins measured alone (default 40)
  --soak <minutes>         soak: steady load for this long with every retention shortened, and Redis
                           memory and the rows of the tables with a retention read at its start and
                           end (flat, not rising); alone unless --only names other parts
  --soak-rate <n>          soak: requests per second (default 50)
  --soak-retention <s>     soak: the retention every table and queue gets meanwhile (default 60)
  --instances [n]          end to end with 1 and with n instances of each service, side by side,
                           each on a fresh system (n: default 2 when the flag is given alone)
  --profile                run the services with --cpu-prof; print the busiest one's top functions
  --build                  rebuild even when dist/ is up to date
  --help`;

/** @returns {Record<string, any>} */
function options() {
  // `--instances` alone means 2 (compare 1 with 2 instances).
  const args = process.argv.slice(2);
  const at = args.indexOf('--instances');
  if (at >= 0 && (at === args.length - 1 || args[at + 1].startsWith('--'))) {
    args.splice(at + 1, 0, '2');
  }
  const { values } = parseArgs({
    args,
    options: {
      instances: { type: 'string' },
      only: { type: 'string' },
      duration: { type: 'string', default: '30' },
      connections: { type: 'string', default: '50' },
      rate: { type: 'string' },
      partners: { type: 'string', default: '20' },
      warmup: { type: 'string', default: '20' },
      'drain-timeout': { type: 'string', default: '120' },
      reference: { type: 'string' },
      'reference-n': { type: 'string', default: '5000' },
      customers: { type: 'string', default: '100000' },
      resellers: { type: 'string', default: '4' },
      'read-requests': { type: 'string', default: '2000' },
      'read-depth': { type: 'string', default: '5' },
      'page-size': { type: 'string', default: '100' },
      'read-connections': { type: 'string', default: '50' },
      'read-duration': { type: 'string', default: '10' },
      'flood-sign-ups': { type: 'string', default: '160' },
      'flood-sign-ins': { type: 'string', default: '40' },
      soak: { type: 'string' },
      'soak-rate': { type: 'string', default: '50' },
      'soak-retention': { type: 'string', default: '60' },
      profile: { type: 'boolean', default: false },
      build: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  /** @param {string} name @param {number} min */
  const int = (name, min) => {
    const value = Number(/** @type {any} */ (values)[name]);
    if (!Number.isInteger(value) || value < min) {
      console.error(
        `--${name} must be an integer ≥ ${min} (got ${String(/** @type {any} */ (values)[name])})`,
      );
      process.exit(2);
    }
    return value;
  };
  const parts = values.only
    ? values.only.split(',').map((p) => p.trim())
    : values.soak !== undefined
      ? ['soak']
      : PARTS;
  const unknown = parts.filter((p) => ![...PARTS, ...OPTIONAL_PARTS].includes(p));
  if (unknown.length > 0) {
    console.error(
      `--only: unknown part ${unknown.join(', ')} (parts: ${[...PARTS, ...OPTIONAL_PARTS].join(', ')})`,
    );
    process.exit(2);
  }
  if (values.soak !== undefined && !parts.includes('soak')) parts.push('soak');
  return {
    parts,
    duration: int('duration', 1),
    connections: int('connections', 1),
    rate: values.rate === undefined ? undefined : int('rate', 1),
    partners: int('partners', 1),
    warmup: int('warmup', 0),
    drainTimeoutMs: int('drain-timeout', 1) * 1000,
    reference: values.reference
      ? path.resolve(values.reference)
      : defaultReferencePath(system.ROOT),
    referenceN: int('reference-n', 1),
    customers: int('customers', 1),
    resellers: int('resellers', 1),
    readRequests: int('read-requests', 1),
    readDepth: int('read-depth', 1),
    pageSize: int('page-size', 1),
    readConnections: int('read-connections', 1),
    readDuration: int('read-duration', 1),
    floodSignUps: int('flood-sign-ups', 1),
    floodSignIns: int('flood-sign-ins', 1),
    soakMinutes: values.soak === undefined ? 5 : int('soak', 1),
    soakRate: int('soak-rate', 1),
    soakRetention: int('soak-retention', 5),
    instances: values.instances === undefined ? null : int('instances', 2),
    profile: values.profile,
    build: values.build,
  };
}

async function main() {
  const opts = options();
  const say = (/** @type {string} */ line) => console.log(line);
  await system.checkPrerequisites();
  if (!buildIfStale({ force: opts.build })) {
    console.error('The build failed; nothing was run.');
    process.exit(1);
  }

  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const runDir = path.join(system.RUN_DIR, `bench-${runId}`);
  const profileDir = path.join(runDir, 'profiles');
  fs.mkdirSync(runDir, { recursive: true });
  const baseSettings = await benchSettings(runId, runDir);
  // A soak shortens every retention (in every service) so that minutes show the steady state.
  const settings = opts.parts.includes('soak')
    ? withEnv(baseSettings, soakRetentionEnv(opts.soakRetention))
    : baseSettings;
  const referenceDb = `pcp_bench_${runId}_reference`;
  /** @type {Record<string, any>} */
  const results = {
    runId,
    startedAt: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      model: os.cpus()[0]?.model ?? '',
      loadAverageAtStart: os.loadavg(),
      node: process.version,
    },
    options: opts,
  };

  /** What Ctrl-C must stop. */
  const active = {
    /** @type {{ stop: () => void } | null} */ cannon: null,
    /** @type {import('node:child_process').ChildProcess | null} */ child: null,
    /** @type {import('./lib/bench/sink').Sink | null} */ sink: null,
    /** @type {import('pg').Client | null} */ admin: null,
    systemCreated: false,
    referenceDbCreated: false,
  };
  let cleaned = false;
  /** @type {(() => Promise<void>) | null} */
  let variantCleanup = null;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    active.cannon?.stop();
    await variantCleanup?.().catch(() => undefined);
    active.child?.kill('SIGTERM');
    await active.admin?.end().catch(() => undefined);
    await system.stopAll();
    await active.sink?.stop().catch(() => undefined);
    if (active.systemCreated) {
      await system.dropDatabases(settings).catch(() => undefined);
      await system.deleteRedisKeys(settings).catch(() => undefined);
    }
    if (active.referenceDbCreated) await dropDatabase(settings, referenceDb);
    releaseCpuMeters();
  };
  let interrupted = false;
  const interrupt = () => {
    if (interrupted) return;
    interrupted = true;
    console.error('\nInterrupted: stopping the processes, dropping the databases …');
    void cleanup().finally(() => process.exit(130));
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);

  say(
    `npm run bench: run ${runId} on ${results.machine.cpus} CPUs (${results.machine.model}), Node ${process.version}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  say(`  parts: ${opts.parts.join(', ')}; files in ${path.relative(system.ROOT, runDir)}/`);

  try {
    active.admin = await connect(settings, 'postgres');
    const admin = active.admin;
    const redis = await redisPid(settings.redisUrl);
    /**
     * One run of the reference, alone (its own database and sink), or `{ error }`.
     * @param {string} when  what the progress line says
     */
    const measureReference = async (when) => {
      say(`\nReference (minimal-pipeline.js), alone, ${when} …`);
      await createDatabase(settings, referenceDb);
      active.referenceDbCreated = true;
      /** @type {any} */
      let measured;
      try {
        measured = await runReference(
          {
            root: system.ROOT,
            script: opts.reference,
            n: opts.referenceN,
            sinkPort: await system.freePort(),
            postgresUrl: settings.postgresUrl,
            database: referenceDb,
            redisUrl: settings.redisUrl,
            timeoutMs: 10 * 60 * 1000,
          },
          (child) => (active.child = child),
          {
            groups: async () => ({
              postgres: await backendPids(admin, [referenceDb]),
              redis: redis ? [redis] : [],
            }),
            counters: () => databaseCounters(admin, [referenceDb]),
          },
        );
        say(`  ${measured.endToEndPerSec} emails/s`);
      } catch (error) {
        measured = { error: error instanceof Error ? error.message : String(error) };
        say(`  the reference did not run: ${measured.error}`);
      }
      await dropDatabase(settings, referenceDb);
      active.referenceDbCreated = false;
      return measured;
    };
    if (opts.parts.includes('reference')) {
      results.reference = await measureReference(
        opts.parts.includes('e2e') ? 'before ours' : 'first',
      );
    }

    // With --instances, the end-to-end part runs on systems of its own (1 and N instances).
    const e2eOnMain = opts.parts.includes('e2e') && opts.instances === null;
    if (opts.parts.includes('e2e') && opts.instances !== null) {
      results.instances = await runInstancesComparison(
        {
          runId,
          runDir,
          loadDomain: LOAD_DOMAIN,
          admin,
          redisPid: redis,
          track: (instance) => (active.cannon = instance),
          onCleanup: (undo) => (variantCleanup = undo),
          say,
        },
        [1, opts.instances],
        {
          partners: opts.partners,
          connections: opts.connections,
          rate: opts.rate,
          duration: opts.duration,
          warmup: opts.warmup,
          drainTimeoutMs: opts.drainTimeoutMs,
        },
      );
      // The 1-instance run is the end-to-end result (the ratio to the reference, the CPU tables).
      results.endToEnd = results.instances.variants[0]?.endToEnd;
    }

    if (e2eOnMain || ['read', 'flood', 'soak'].some((part) => opts.parts.includes(part))) {
      say('\nStarting the system (production settings, built output) …');
      active.sink = await startSink(settings.ports.smtp, LOAD_DOMAIN);
      active.systemCreated = true;
      await system.migrateAll(settings);
      const nodeArgs = opts.profile ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
      /** @type {Record<string, number>} */
      const pids = {};
      for (const service of /** @type {const} */ (['identity', 'notifications', 'relationships'])) {
        const started = await system.startService(service, settings, 60000, nodeArgs);
        pids[service] = /** @type {number} */ (started.pid);
      }
      const urls = {
        identity: system.urlOf(settings, 'identity'),
        relationships: system.urlOf(settings, 'relationships'),
      };
      const databases = Object.values(settings.databases);
      const processes = async () => ({
        identity: [pids.identity],
        relationships: [pids.relationships],
        notifications: [pids.notifications],
        'smtp sink': active.sink?.pid ? [active.sink.pid] : [],
        postgres: await backendPids(admin, databases),
        redis: redis ? [redis] : [],
        'bench client': [process.pid],
      });
      const track = (/** @type {{ stop: () => void } | null} */ instance) =>
        (active.cannon = instance);
      say(`  up: identity ${urls.identity}, relationships ${urls.relationships}`);

      if (e2eOnMain) {
        say('\nEnd to end …');
        const byService = Object.fromEntries(
          Object.entries(settings.databases).map(([service, db]) => [db, service]),
        );
        results.endToEnd = await runEndToEnd(
          {
            runId,
            urls,
            sink: active.sink,
            loadDomain: LOAD_DOMAIN,
            processes,
            databaseCounters: async () =>
              Object.fromEntries(
                Object.entries(await databaseCounters(admin, databases)).map(([db, c]) => [
                  byService[db] ?? db,
                  c,
                ]),
              ),
            track,
            say,
          },
          {
            partners: opts.partners,
            connections: opts.connections,
            rate: opts.rate,
            duration: opts.duration,
            warmup: opts.warmup,
            drainTimeoutMs: opts.drainTimeoutMs,
          },
        );
      }
      if (opts.parts.includes('read')) {
        say('\nRead path …');
        results.readPath = await runReadPath(
          { runId, settings, urls, sink: active.sink, processes, track, say },
          {
            customers: opts.customers,
            resellers: opts.resellers,
            requests: opts.readRequests,
            depth: opts.readDepth,
            pageSize: opts.pageSize,
            connections: opts.readConnections,
            duration: opts.readDuration,
          },
        );
      }

      if (opts.parts.includes('soak')) {
        say(`\nSoak (${opts.soakMinutes} min) …`);
        if (!active.sink) throw new Error('the SMTP sink is not running');
        results.soak = await runSoak(
          { runId, settings, urls, sink: active.sink, loadDomain: LOAD_DOMAIN, track, say },
          {
            minutes: opts.soakMinutes,
            rate: opts.soakRate,
            retentionSeconds: opts.soakRetention,
            partners: 4,
          },
        );
      }

      if (opts.parts.includes('flood')) {
        say('\nSign-up flood …');
        results.flood = await runFlood(
          {
            runId,
            say,
            waitForMail: (to, timeoutMs) => {
              if (!active.sink) throw new Error('the SMTP sink is not running');
              return active.sink.waitForMail(to, timeoutMs);
            },
            // The last part: identity is restarted with each lane setting (no CPU profile).
            restartIdentity: async (env) => {
              await system.killProcess('identity', 'SIGTERM');
              const started = await system.startService('identity', {
                ...settings,
                extraEnv: { ...settings.extraEnv, identity: env },
              });
              return started.url;
            },
          },
          { signUps: opts.floodSignUps, signIns: opts.floodSignIns },
        );
      }

      // Stopping the services writes their CPU profiles.
      await system.stopAll();
      if (opts.profile) {
        results.profiles = {
          ...(results.endToEnd && e2eOnMain
            ? { endToEnd: profiles(pids, profileDir, results.endToEnd.window) }
            : {}),
          ...(results.readPath
            ? {
                readPath: profiles(
                  { relationships: pids.relationships },
                  profileDir,
                  results.readPath.load.window,
                ),
              }
            : {}),
        };
      }
    }
    // The reference again, once everything of ours has stopped: this machine's speed drifts by a
    // third within minutes (another tenant's load on the host), so the ratio is taken against the
    // mean of a run before and a run after ours.
    if (opts.parts.includes('reference') && opts.parts.includes('e2e') && results.endToEnd) {
      await system.stopAll();
      results.referenceAfter = await measureReference('after ours');
    }
  } catch (error) {
    // Report what was measured before the failure, then fail.
    results.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
  } finally {
    await cleanup();
  }
  // Ctrl-C: the interrupt handler exits once everything is cleaned up; no report.
  if (interrupted) return;

  const referenceRates = [results.reference, results.referenceAfter]
    .map((run) => run?.endToEndPerSec)
    .filter((rate) => typeof rate === 'number' && rate > 0);
  if (results.endToEnd?.delivery.emailsPerSec && referenceRates.length > 0) {
    results.referenceEmailsPerSec =
      referenceRates.reduce((sum, rate) => sum + rate, 0) / referenceRates.length;
    results.ratio = results.endToEnd.delivery.emailsPerSec / results.referenceEmailsPerSec;
  }
  results.finishedAt = new Date().toISOString();
  const report = printReport(results, { root: system.ROOT, runDir });
  fs.writeFileSync(path.join(runDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  fs.writeFileSync(path.join(runDir, 'report.txt'), `${report}\n`);
  console.log(`\n${report}`);
  if (results.error) {
    console.error(`\nThe benchmark stopped early: ${results.error}`);
    process.exitCode = 1;
  }
}

/**
 * Summaries of the services' CPU profiles over the end-to-end window (the whole run without it).
 * @param {Record<string, number>} pids @param {string} dir
 * @param {{ fromUs: number, toUs: number } | undefined} window
 */
function profiles(pids, dir, window) {
  /** @type {Record<string, any>} */
  const out = {};
  for (const [service, pid] of Object.entries(pids)) {
    const file = profileFileOf(dir, pid);
    out[service] = file
      ? summarizeProfile(file, system.ROOT, window)
      : { error: `no profile of pid ${pid} in ${dir}` };
  }
  return out;
}

/**
 * `settings` with `env` added to every service's environment.
 * @param {import('./lib/system').Settings} settings @param {Record<string, string>} env
 * @returns {import('./lib/system').Settings}
 */
function withEnv(settings, env) {
  const extra = settings.extraEnv ?? {};
  return {
    ...settings,
    extraEnv: {
      ...extra,
      identity: { ...extra.identity, ...env },
      relationships: { ...extra.relationships, ...env },
      notifications: { ...extra.notifications, ...env },
    },
  };
}

/** @param {import('./lib/system').Settings} settings @param {string} name */
async function createDatabase(settings, name) {
  const admin = await connect(settings, 'postgres');
  try {
    await admin.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
  } finally {
    await admin.end();
  }
}

/** @param {import('./lib/system').Settings} settings @param {string} name */
async function dropDatabase(settings, name) {
  const admin = await connect(settings, 'postgres').catch(() => null);
  if (!admin) return;
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '')}" WITH (FORCE)`);
  } catch {
    // Best effort at cleanup.
  } finally {
    await admin.end();
  }
}

main().catch(async (error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  await system.stopAll().catch(() => undefined);
  process.exit(1);
});
