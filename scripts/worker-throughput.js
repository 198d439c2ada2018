#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * How fast the built notifications worker delivers, on its own: a throw-away system (database
 * `pcp_test_<runid>_*`, BullMQ prefix `pcp-test-<runid>`), an in-process SMTP sink (`smtp-server`)
 * that counts messages and Message-IDs, one notifications process from `dist/`, and N
 * `email.send` jobs (reseller relationship invitations with a sealed link, as the relay adds them)
 * added in bulk before the clock starts. Prints one JSON line:
 *   {"jobs", "seconds", "emailsPerSec", "workerCpuMsPerEmail", "duplicates", "settled"}
 * (`workerCpuMsPerEmail`: the worker's CPU time per email, a figure that holds on a busy machine
 * where the wall clock does not).
 * and cleans up (databases, Redis keys, the process).
 *
 *   npm run build && node scripts/worker-throughput.js            # N=5000
 *   N=2000 WORKER_CONCURRENCY=100 node scripts/worker-throughput.js
 *
 * The tuning variables of the notifications config (WORKER_CONCURRENCY, SMTP_MAX_CONNECTIONS,
 * SMTP_MAX_MESSAGES, DATABASE_POOL_SIZE, LOG_LEVEL) set in the environment are passed to the
 * worker; WORKER_NODE_ARGS adds node flags (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const { randomBytes, randomUUID } = require('node:crypto');
const path = require('node:path');
const system = require('./lib/system');

const N = Number(process.env.N || 5000);
/** USER_HZ of Linux /proc/<pid>/stat times. */
const CLOCK_TICKS_PER_SECOND = 100;
const TUNING = [
  'WORKER_CONCURRENCY',
  'SMTP_MAX_CONNECTIONS',
  'SMTP_MAX_MESSAGES',
  'DATABASE_POOL_SIZE',
  'LOG_LEVEL',
];

/**
 * CPU time used so far by process `pid`, in milliseconds (user + system, from /proc), or null where
 * /proc is not available.
 * @param {number | undefined} pid
 */
function cpuMsOf(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Polls `url` until it answers 200 (at most 60 s). @param {string} url */
async function waitHealthy(url) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const ok = await fetch(url).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`The worker did not answer ${url} within 60 s.`);
}

async function main() {
  await system.checkPrerequisites();
  system.assertBuilt(['notifications']);
  const contracts = require(
    path.join(system.ROOT, 'dist/apps/notifications/libs/contracts/src/index.js'),
  );
  const { sealLink } = require(
    path.join(system.ROOT, 'dist/apps/notifications/libs/platform/src/link-seal.js'),
  );
  const { SMTPServer } = require('smtp-server');
  const { Queue } = require('bullmq');

  const runId = `wt${randomBytes(4).toString('hex')}`;
  const ports = {
    identity: await system.freePort(),
    relationships: await system.freePort(),
    notifications: await system.freePort(),
    smtp: await system.freePort(),
    mailWeb: await system.freePort(),
  };
  const settings = { ...system.testSettings(runId, ports), logLevel: 'warn', logDir: null };

  const messageIds = new Map();
  let received = 0;
  /** @type {() => void} */
  let allReceived = () => undefined;
  const done = new Promise((resolve) => (allReceived = () => resolve(undefined)));
  const sink = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      let head = '';
      stream.on('data', (chunk) => {
        if (head.length < 4096) head += String(chunk);
      });
      stream.on('end', () => {
        const id = /^Message-ID:\s*(\S+)/im.exec(head)?.[1] ?? '';
        messageIds.set(id, (messageIds.get(id) ?? 0) + 1);
        if (++received >= N) allReceived();
        callback();
      });
    },
  });
  // A client that goes away mid-session is not the sink's failure.
  sink.on('error', () => undefined);
  await new Promise((resolve) => sink.listen(ports.smtp, '127.0.0.1', () => resolve(undefined)));

  const url = new URL(settings.redisUrl);
  const queue = new Queue(contracts.QUEUES.notifications, {
    connection: { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null },
    prefix: settings.bullmqPrefix,
  });
  /** @type {import('node:child_process').ChildProcess | undefined} */
  let worker;
  try {
    await system.createDatabases(settings);
    await system.migrateAll(settings);

    // Paused while the jobs are added and the worker boots: the clock measures delivery only.
    await queue.pause();
    const expiresAt = new Date(Date.now() + 7 * 24 * 3600_000).toISOString();
    for (let start = 0; start < N; start += 1000) {
      const batch = [];
      for (let i = start; i < Math.min(N, start + 1000); i++) {
        const key = randomUUID();
        const token = randomBytes(32).toString('base64url');
        batch.push({
          name: contracts.JOBS.sendEmail,
          data: {
            template: 'reseller-relationship-request',
            to: `customer${i}@northwind.example`,
            locale: i % 5 === 0 ? 'ja' : 'en',
            data: {
              partnerName: 'Fabrikam',
              partnerMpnId: '7654321',
              inviterName: 'Dana Smith',
              delegatedAdmin: i % 2 === 0,
              expiresAt,
            },
            sealedLink: sealLink(
              `https://partners.example/invitations/reseller-relationship?token=${token}`,
              settings.linkSealingKey,
            ),
            idempotencyKey: key,
            expiresAt,
          },
          opts: {
            jobId: key,
            attempts: contracts.JOB_RETRY.attempts,
            backoff: { ...contracts.JOB_RETRY.backoff },
            removeOnComplete: { age: 3600 },
            removeOnFail: false,
          },
        });
      }
      await queue.addBulk(batch);
    }

    const env = { ...system.envFor('notifications', settings) };
    for (const key of TUNING) if (process.env[key]) env[key] = String(process.env[key]);
    // WORKER_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", to profile the worker.
    const nodeArgs = (process.env.WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean);
    worker = spawn(process.execPath, [...nodeArgs, system.entryOf('notifications')], {
      cwd: system.ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    await waitHealthy(`${system.urlOf(settings, 'notifications')}/health`);
    const started = Date.now();
    const cpuBefore = cpuMsOf(worker.pid);
    await queue.resume();
    await done;
    const seconds = (Date.now() - started) / 1000;
    const cpuAfter = cpuMsOf(worker.pid);
    const workerCpuMsPerEmail =
      cpuBefore === null || cpuAfter === null
        ? null
        : Number(((cpuAfter - cpuBefore) / N).toFixed(3));
    let settled = 0;
    for (let tries = 0; tries < 100; tries++) {
      const counts = await queue.getJobCounts('completed', 'failed');
      settled = counts.completed + counts.failed;
      if (settled >= N) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const duplicates = [...messageIds.values()].reduce((sum, n) => sum + (n - 1), 0);
    process.stdout.write(
      `${JSON.stringify({ jobs: N, seconds, emailsPerSec: Math.round(N / seconds), workerCpuMsPerEmail, duplicates, settled })}\n`,
    );
  } finally {
    if (worker && worker.exitCode === null) {
      const exited = new Promise((resolve) => worker?.once('exit', resolve));
      worker.kill('SIGTERM');
      await exited;
    }
    await queue.close();
    sink.close();
    await system.dropDatabases(settings).catch(() => undefined);
    await system.deleteRedisKeys(settings).catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
