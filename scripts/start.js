#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm start`: runs the whole system on this machine, in the foreground, against the local
 * PostgreSQL and Redis.
 *
 * 1. checks that PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379) answer, else says how to
 *    start them and exits 1;
 * 2. builds the three services when `dist/` is missing or older than the sources (`--build`
 *    rebuilds always);
 * 3. creates the databases `pcp_identity`, `pcp_relationships`, `pcp_notifications` if missing and
 *    applies the committed migrations;
 * 4. starts MailDev (SMTP 1025, inbox and REST API 1080) and the services (identity 3001,
 *    relationships 3002, notifications health 3003) with development settings: enrollment
 *    auto-approval on, an operator account, a fixed development link key;
 * 5. starts the gateway (apps/gateway) on 3000: the one base URL of the API, every `/v1` route of
 *    every service, the emailed pages (whose links name it), `/openapi.json`, `/docs` and the
 *    portal at `/portal/`;
 * 6. prints the base URL first, then the other URLs and the operator's credentials, writes them to
 *    `.run/system.json` (read by `npm run demo`), and stops everything on Ctrl-C or SIGTERM.
 *
 * `--instances N` (default 1) runs N instances of each service on one database per service, one
 * BullMQ prefix and one message namespace: instance k of a service listens 10 × (k − 1) above the
 * first (identity 3001, 3011, 3021 …; relationships 3002, 3012 …; notifications 3003, 3013 …).
 * Each request between services runs on one instance (NATS queue groups), each job on one worker,
 * and the background loops (outbox relay, signing-key rotation, activity-log chainer, sweeps)
 * coordinate through PostgreSQL. The gateway spreads the API's requests over the instances in
 * turn; each service URL printed is one instance.
 *
 * Service logs go to `.run/logs/<service>.log` (`<service>-<k>.log` for instance k > 1);
 * `--logs=console` prints them here instead.
 */
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');
const system = require('./lib/system');
const { buildIfStale } = require('./lib/build');

const SYSTEM_FILE = path.join(system.RUN_DIR, 'system.json');

/** The most instances of each service `--instances` accepts (instance ports stay apart). */
const MAX_INSTANCES = 9;

const USAGE = 'Usage: npm start -- [--instances N (1 to 9, default 1)] [--build] [--logs=console]';

function parseOptions() {
  /** @type {{ instances?: string, build?: boolean, logs?: string, help?: boolean }} */
  let values = {};
  try {
    values = parseArgs({
      options: {
        instances: { type: 'string' },
        build: { type: 'boolean' },
        logs: { type: 'string' },
        help: { type: 'boolean' },
      },
      strict: true,
    }).values;
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const instances = values.instances === undefined ? 1 : Number(values.instances);
  if (!Number.isInteger(instances) || instances < 1 || instances > MAX_INSTANCES) {
    console.error(`--instances must be an integer from 1 to ${MAX_INSTANCES}.\n${USAGE}`);
    process.exit(2);
  }
  if (values.logs !== undefined && values.logs !== 'console') {
    console.error(`--logs takes only \`console\`.\n${USAGE}`);
    process.exit(2);
  }
  return { instances, build: values.build === true, consoleLogs: values.logs === 'console' };
}

/** @param {boolean} force */
function build(force) {
  if (!buildIfStale({ force })) {
    console.error('The build failed; nothing was started.');
    process.exit(1);
  }
}

/** @param {import('./lib/system').Settings} settings @param {number} instances */
async function assertPortsFree(settings, instances) {
  const taken = [];
  /** @type {[string, number][]} */
  const wanted = [
    ['smtp', settings.ports.smtp],
    ['mailWeb', settings.ports.mailWeb],
    ['gateway', /** @type {number} */ (settings.ports.gateway)],
  ];
  for (const service of system.SERVICES) {
    for (let index = 1; index <= instances; index += 1) {
      wanted.push([
        system.instanceName(service, index),
        system.instancePort(settings, service, index),
      ]);
    }
  }
  for (const [name, port] of wanted) {
    if (!(await system.isPortFree(settings.host, port))) taken.push(`${name} (${port})`);
  }
  if (taken.length > 0) {
    console.error(
      `These ports are already in use: ${taken.join(', ')}.\n` +
        'Is the system already running (another `npm start`)? Stop it first.',
    );
    process.exit(1);
  }
}

async function main() {
  const options = parseOptions();
  await system.checkPrerequisites();
  const settings = system.devSettings();
  if (options.consoleLogs) settings.logDir = null;
  await assertPortsFree(settings, options.instances);
  build(options.build);

  console.log('Migrate: creating missing databases and applying migrations …');
  const outputs = await system.migrateAll(settings);
  for (const [service, output] of Object.entries(outputs)) {
    // eslint-disable-next-line no-control-regex
    const plain = output.replace(/\u001b\[[0-9;]*m/g, '');
    const last = plain.trim().split('\n').filter(Boolean).pop() ?? 'done';
    console.log(`  ${service}: ${last}`);
  }

  /** @type {Record<string, number | undefined>} */
  const pids = {};
  let stopping = false;
  const stop = async (/** @type {number} */ code) => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping …');
    await system.stopAll();
    fs.rmSync(SYSTEM_FILE, { force: true });
    console.log('Stopped.');
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    const mail = await system.startMailDev(settings);
    pids.maildev = mail.pid;
    const started = await system.startInstances(settings, options.instances);
    for (const service of system.SERVICES) {
      for (const instance of started[service]) pids[instance.name] = instance.pid;
    }
    /** @type {Record<import('./lib/system').ServiceName, string[]>} */
    const instances = {
      identity: started.identity.map((instance) => instance.url),
      relationships: started.relationships.map((instance) => instance.url),
      notifications: started.notifications.map((instance) => instance.url),
    };
    const gateway = await system.startGateway(settings, instances);
    pids.gateway = gateway.pid;
    const urls = {
      api: gateway.url,
      identity: instances.identity[0],
      relationships: instances.relationships[0],
      notifications: instances.notifications[0],
      maildev: mail.url,
      maildevApi: mail.apiUrl,
    };
    fs.mkdirSync(system.RUN_DIR, { recursive: true });
    fs.writeFileSync(
      SYSTEM_FILE,
      `${JSON.stringify(
        {
          startedAt: new Date().toISOString(),
          pid: process.pid,
          pids,
          urls,
          instances,
          smtp: mail.smtp,
          operator: settings.operator,
          databases: settings.databases,
          bullmqPrefix: settings.bullmqPrefix,
          messageNamespace: settings.messageNamespace,
          logDir: settings.logDir,
        },
        null,
        2,
      )}\n`,
    );
    const several = options.instances > 1;
    const list = (/** @type {string[]} */ each) => each.join('  ');
    console.log(
      [
        '',
        several
          ? `The partner channel platform is running, ${options.instances} instances of each service.`
          : 'The partner channel platform is running.',
        '',
        `  ==> API base URL     ${urls.api}   <== every /v1 route, the emailed pages, JWKS`,
        `  ==> Portal           ${urls.api}/portal/   <== partners, customers and operators in the browser`,
        `      API reference    ${urls.api}/docs   (OpenAPI document: ${urls.api}/openapi.json)`,
        '',
        "  The services' own ports (service-to-service calls, health, metrics):",
        `  identity             ${list(instances.identity)}`,
        `  relationships        ${list(instances.relationships)}`,
        `  notifications        ${list(instances.notifications)}`,
        ...(several
          ? [
              '                       The gateway spreads the API over the instances in turn; calls',
              '                       between services and queued jobs are shared out too.',
            ]
          : []),
        `  MailDev inbox        ${urls.maildev}   (SMTP ${mail.smtp})`,
        `  MailDev API          ${urls.maildevApi}`,
        '',
        `  operator sign-in     ${settings.operator.email} / ${settings.operator.password}`,
        '  enrollment           auto-approved at verification (development setting)',
        settings.logDir
          ? `  logs                 ${path.relative(system.ROOT, settings.logDir)}/`
          : '',
        `  settings             ${path.relative(system.ROOT, SYSTEM_FILE)}`,
        '',
        'Run `npm run demo` in another terminal. Press Ctrl-C to stop.',
      ].join('\n'),
    );
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    await stop(1);
    return;
  }

  // A process that dies takes the system down with it: say which one and stop the rest.
  const watch = setInterval(() => {
    if (stopping) return;
    const alive = new Set(system.runningPids());
    const dead = Object.entries(pids).filter(([, pid]) => !alive.has(pid));
    if (dead.length > 0) {
      clearInterval(watch);
      console.error(
        `\n${dead.map(([name]) => name).join(', ')} stopped unexpectedly; see its log.`,
      );
      void stop(1);
    }
  }, 1000);
}

main().catch(async (error) => {
  console.error(error instanceof Error ? error.message : String(error));
  await system.stopAll();
  process.exit(1);
});
