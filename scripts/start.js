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
 * 5. prints the URLs and the operator's credentials, writes them to `.run/system.json` (read by
 *    `npm run demo`), and stops everything on Ctrl-C (SIGINT) or SIGTERM.
 *
 * Service logs go to `.run/logs/<service>.log`; `--logs=console` prints them here instead.
 */
const fs = require('node:fs');
const path = require('node:path');
const system = require('./lib/system');
const { buildIfStale } = require('./lib/build');

const SYSTEM_FILE = path.join(system.RUN_DIR, 'system.json');

function build() {
  if (!buildIfStale({ force: process.argv.includes('--build') })) {
    console.error('The build failed; nothing was started.');
    process.exit(1);
  }
}

/** @param {import('./lib/system').Settings} settings */
async function assertPortsFree(settings) {
  const taken = [];
  for (const [name, port] of Object.entries(settings.ports)) {
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
  await system.checkPrerequisites();
  const settings = system.devSettings();
  if (process.argv.includes('--logs=console')) settings.logDir = null;
  await assertPortsFree(settings);
  build();

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
    for (const service of /** @type {const} */ (['identity', 'notifications', 'relationships'])) {
      pids[service] = (await system.startService(service, settings)).pid;
    }
    const urls = {
      identity: system.urlOf(settings, 'identity'),
      relationships: system.urlOf(settings, 'relationships'),
      notifications: system.urlOf(settings, 'notifications'),
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
    console.log(
      [
        '',
        'The partner channel platform is running:',
        `  identity             ${urls.identity}   (JWKS: ${urls.identity}/.well-known/jwks.json)`,
        `  relationships        ${urls.relationships}`,
        `  notifications health ${urls.notifications}/health`,
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
