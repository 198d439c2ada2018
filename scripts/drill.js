#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run drill`: the failure drills (README "Failure drills"). Each drill sends N reseller
 * relationship requests through the HTTP API while injecting one fault, waits until the queue has
 * drained, and counts from the SMTP sink what arrived:
 *   1. the notifications worker killed with SIGKILL mid-batch, then restarted;
 *   2. Redis killed with SIGKILL mid-batch, then restarted (with AOF, and without persistence);
 *   3. the SMTP sink and the webhook receiver down for --smtp-down-seconds mid-batch, then back;
 *   4. the services' PostgreSQL connections terminated mid-batch (pg_terminate_backend);
 *   5. relationships killed with SIGKILL mid-batch, then restarted;
 *   6. two relationships instances share the load (the clients send to each in turn) and one is
 *      killed with SIGKILL mid-batch, not restarted: a request that meets a connection error is
 *      sent once more, to the other instance (as a load balancer retries), and none may be
 *      refused.
 *
 * For the whole run it builds when `dist/` is stale, then starts an isolated system of its own:
 * databases `pcp_drill_<runid>_<service>`, BullMQ prefix and message namespace `pcp-drill-<runid>`,
 * free ports, its own `redis-server` (AOF everysec, noeviction) and an in-process SMTP sink.
 * Every drill also counts the webhooks (issue 14): the sending partner's endpoint subscribes to
 * `reseller_relationship.requested`, and an in-process receiver verifies and records each message: delivered,
 * duplicates by `webhook-id`, lost.
 * Prints one table and a JSON line per drill; exits 1 when a drill misses the bar, 2 when the run
 * itself failed. Everything it started or created is removed at the end or on Ctrl-C (`--keep`
 * keeps logs, Redis files and databases).
 *
 * Flags: --n N (300), --only 1,2,… , --smtp-down-seconds S (30), --redis-no-persistence (drill 2
 * only without persistence), --concurrency C (10), --timeout-seconds T (90), --keep, --build.
 */
const { spawnSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');
const system = require('./lib/system');
const { buildIfStale } = require('./lib/build');
const { RedisServer } = require('./lib/drill/redis-server');
const { SmtpSink } = require('./lib/drill/smtp-sink');
const { WebhookReceiver } = require('./lib/drill/webhook-receiver');
const { Inspector } = require('./lib/drill/inspect');
const { call, enrollReseller, signIn } = require('./lib/drill/channel-api');
const {
  DRILLS,
  runDrill,
  prepare,
  startService,
  MAX_SECONDS_AFTER_FAULT,
} = require('./lib/drill/drills');
const { formatTable } = require('./lib/drill/report');

const USAGE = `Usage: npm run drill -- [--n 300] [--only 1,2,3,4,5,6] [--smtp-down-seconds 30]
                        [--redis-no-persistence] [--concurrency 10] [--timeout-seconds 90]
                        [--keep] [--build]`;

/** @param {string} message @returns {never} */
function usage(message) {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

/** @param {string | undefined} value @param {string} flag @param {number} fallback @param {number} min */
function positive(value, flag, fallback, min = 1) {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min) usage(`${flag} must be an integer ≥ ${min}.`);
  return number;
}

function parseOptions() {
  /** @type {ReturnType<typeof parseArgs<{ options: Record<string, { type: 'string' | 'boolean' }> }>>} */
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        n: { type: 'string' },
        only: { type: 'string' },
        'smtp-down-seconds': { type: 'string' },
        'redis-no-persistence': { type: 'boolean' },
        concurrency: { type: 'string' },
        'timeout-seconds': { type: 'string' },
        keep: { type: 'boolean' },
        build: { type: 'boolean' },
        help: { type: 'boolean' },
      },
      strict: true,
    });
  } catch (error) {
    return usage(error instanceof Error ? error.message : String(error));
  }
  const values = /** @type {Record<string, string | boolean | undefined>} */ (parsed.values);
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const str = (/** @type {string} */ key) =>
    typeof values[key] === 'string' ? /** @type {string} */ (values[key]) : undefined;
  const only = str('only')
    ? /** @type {string} */ (str('only'))
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean)
    : ['1', '2', '3', '4', '5', '6'];
  const unknown = only.filter((id) => !DRILLS.some((drill) => drill.id === id));
  if (unknown.length > 0) usage(`--only: no drill ${unknown.join(', ')} (drills are 1 to 6).`);
  return {
    n: positive(str('n'), '--n', 300),
    only,
    smtpDownSeconds: positive(str('smtp-down-seconds'), '--smtp-down-seconds', 30),
    redisNoPersistence: values['redis-no-persistence'] === true,
    concurrency: positive(str('concurrency'), '--concurrency', 10),
    timeoutSeconds: positive(str('timeout-seconds'), '--timeout-seconds', 90),
    keep: values.keep === true,
    build: values.build === true,
  };
}

/** @param {string} line */
function log(line) {
  process.stdout.write(`${line}\n`);
}

async function main() {
  const options = parseOptions();
  const drills = DRILLS.filter((drill) => {
    if (!options.only.includes(drill.id)) return false;
    // Drill 2 runs in both variants; --redis-no-persistence keeps only the one without persistence.
    return drill.id !== '2' || !options.redisNoPersistence || drill.redisPersistence === 'none';
  });
  // Drills on a Redis with AOF first, so that Redis changes mode at most once.
  drills.sort(
    (a, b) =>
      Number(a.redisPersistence === 'none') - Number(b.redisPersistence === 'none') ||
      a.id.localeCompare(b.id),
  );

  const pgProblem = await system.checkPostgres();
  if (pgProblem) {
    process.stderr.write(
      `The drill needs PostgreSQL on 127.0.0.1:5432 as user postgres (${pgProblem}).\n` +
        `Start it with:  ${system.START_POSTGRES}\n`,
    );
    process.exit(2);
  }
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    process.stderr.write('The drill starts its own redis-server, which is not on the PATH.\n');
    process.exit(2);
  }
  if (!buildIfStale({ force: options.build, log })) {
    process.stderr.write('The build failed; no drill was run.\n');
    process.exit(2);
  }

  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const host = '127.0.0.1';
  const ports = {
    identity: await system.freePort(host),
    relationships: await system.freePort(host),
    notifications: await system.freePort(host),
    smtp: await system.freePort(host),
    // Part of the settings' shape; the drill runs no MailDev (its sink is in this process).
    mailWeb: await system.freePort(host),
  };
  const runDir = path.join(system.RUN_DIR, `drill-${runId}`);
  const redis = new RedisServer({
    host,
    port: await system.freePort(host),
    dir: path.join(runDir, 'redis'),
  });
  const settings = {
    ...system.testSettings(runId, ports),
    name: `drill-${runId}`,
    databases: {
      identity: `pcp_drill_${runId}_identity`,
      relationships: `pcp_drill_${runId}_relationships`,
      notifications: `pcp_drill_${runId}_notifications`,
    },
    bullmqPrefix: `pcp-drill-${runId}`,
    messageNamespace: `pcp-drill-${runId}:`,
    redisUrl: redis.url,
    logDir: runDir,
    // One partner sends every drill's invitations: the invitation email caps out of its way. Its
    // webhook receiver listens on 127.0.0.1; retries come within seconds (0.5 s doubling, capped
    // at 4 s) and outlast any fault of the drill (200 attempts).
    extraEnv: {
      relationships: {
        INVITATION_EMAILS_PER_PARTNER_PER_HOUR: '100000',
        WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
        WEBHOOK_RETRY_BASE_MS: '500',
        WEBHOOK_RETRY_MAX_DELAY_MS: '4000',
        WEBHOOK_MAX_ATTEMPTS: '200',
        WEBHOOK_CONCURRENCY: '20',
      },
    },
  };
  // The sink keeps the whole message only for the partner's own address (`admin.…`): the
  // verification email, whose link the set-up follows.
  const sink = new SmtpSink({
    host,
    port: ports.smtp,
    keepRaw: (to) => to.some((address) => address.startsWith('admin.')),
  });
  const receiver = new WebhookReceiver({ host, port: await system.freePort(host) });
  /** @type {Inspector | null} */
  let inspect = null;

  let cleaning = null;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      await inspect?.close().catch(() => undefined);
      await system.stopAll().catch(() => undefined);
      await sink.stop().catch(() => undefined);
      await receiver.stop().catch(() => undefined);
      await redis.stop().catch(() => undefined);
      if (options.keep) {
        log(`Kept: logs and Redis files in ${path.relative(system.ROOT, runDir)}/, databases`);
        log(`      ${Object.values(settings.databases).join(', ')}`);
      } else {
        await system.dropDatabases(settings).catch((error) => {
          process.stderr.write(`Could not drop the drill's databases: ${String(error)}\n`);
        });
        fs.rmSync(runDir, { recursive: true, force: true });
      }
    })());
  const interrupt = () => {
    process.stderr.write('\nInterrupted; stopping the drill system …\n');
    void cleanUp().then(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  // Last resort if the process leaves some other way: no orphaned redis-server.
  process.once('exit', () => redis.killNow());

  /** @type {import('./lib/drill/drills').DrillResult[]} */
  const results = [];
  /** @type {string[]} */
  const errors = [];
  try {
    log(
      `Drill system ${runId}: starting Redis (port ${redis.port}), the SMTP sink and the services …`,
    );
    await redis.start('aof');
    await sink.start();
    await receiver.start();
    await system.migrateAll(settings);
    inspect = new Inspector(settings, redis);
    const identityUrl = system.urlOf(settings, 'identity');
    /** @type {import('./lib/drill/drills').DrillContext} */
    const ctx = {
      runId,
      settings,
      redis,
      sink,
      receiver,
      inspect,
      pids: { identity: undefined, relationships: undefined, notifications: undefined },
      token: () => signIn(identityUrl, partner.email, partner.password, partner.tenantId),
      options: {
        n: options.n,
        concurrency: options.concurrency,
        smtpDownSeconds: options.smtpDownSeconds,
        timeoutSeconds: options.timeoutSeconds,
      },
      log,
    };
    for (const service of /** @type {const} */ (['identity', 'notifications', 'relationships'])) {
      await startService(ctx, service);
    }
    const partner = await enrollReseller({ identity: identityUrl }, sink, runId);
    log(`Sending partner: ${partner.email} (indirect reseller, active)`);
    const endpoint = /** @type {{ secret: string }} */ (
      (
        await call(system.urlOf(settings, 'relationships'), 'POST', '/v1/webhook-endpoints', {
          token: await ctx.token(),
          body: { url: receiver.url, eventTypes: ['reseller_relationship.requested'] },
        })
      ).body
    );
    if (!endpoint?.secret) throw new Error('Could not register the webhook endpoint.');
    receiver.secrets = [endpoint.secret];
    log(`Webhook endpoint: ${receiver.url} (reseller_relationship.requested)`);
    for (const drill of drills) {
      log(`\nDrill ${drill.id}: ${drill.label}`);
      try {
        await prepare(ctx, drill);
        const result = await runDrill(ctx, drill);
        results.push(result);
        log(
          `  ${result.pass ? 'pass' : `FAIL (${result.failures.join('; ')})`}: ${result.accepted} accepted, ${result.delivered} delivered, ${result.extraCopies} extra, ${result.lost} lost; webhooks ${result.webhooksDelivered} delivered, ${result.webhookDuplicates} duplicate(s), ${result.webhooksLost} lost`,
        );
        if (result.lostDiagnosis) {
          for (const [stage, count] of Object.entries(result.lostDiagnosis.stages)) {
            log(`    lost: ${count} × ${stage}`);
          }
        }
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        errors.push(`drill ${drill.id} (${drill.label}): ${message}`);
        log(`  ERROR: ${message}`);
        break;
      }
    }
  } catch (error) {
    errors.push(error instanceof Error ? error.message : String(error));
  }

  if (results.length > 0) {
    const ordered = results
      .slice()
      .sort(
        (a, b) =>
          a.drill.localeCompare(b.drill) ||
          Number(a.redisPersistence === 'none') - Number(b.redisPersistence === 'none'),
      );
    log('');
    log(formatTable(ordered, MAX_SECONDS_AFTER_FAULT));
    log('');
    for (const result of ordered) log(JSON.stringify(result));
  }
  for (const error of errors) process.stderr.write(`Drill run failed: ${error}\n`);
  if (errors.length > 0 && !options.keep) {
    process.stderr.write('Run again with --keep to keep the logs and databases for inspection.\n');
  }
  await cleanUp();
  process.exit(errors.length > 0 ? 2 : results.every((result) => result.pass) ? 0 : 1);
}

main().catch(async (error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  await system.stopAll().catch(() => undefined);
  process.exit(2);
});
