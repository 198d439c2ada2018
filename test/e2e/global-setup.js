// @ts-check
'use strict';
/**
 * Jest global setup of the end-to-end suite: starts an isolated system from the built output
 * (`npm run build` first) on real PostgreSQL, Redis and a MailDev SMTP sink:
 * - a run id; databases `pcp_test_<runid>_<service>`; BullMQ prefix `pcp-test-<runid>`; message
 *   namespace `pcp-test-<runid>:`; random free ports for the three services and MailDev;
 *   enrollment auto-approval on; a random link key and operator password;
 * - migrates, starts MailDev, identity, notifications and relationships, each waited for on its
 *   health route, then the gateway (apps/gateway: the one base URL) in front of them;
 * - writes the URLs (and what teardown needs) to `.run/e2e-<runid>/system.json` and puts that path
 *   in `PCP_E2E_SYSTEM` for the tests (test/e2e/support/system.ts reads it).
 * A failure stops what was started and drops what was created before it rethrows.
 */
const fs = require('node:fs');
const path = require('node:path');
const { randomBytes } = require('node:crypto');
const system = require('../../scripts/lib/system');

module.exports = async function globalSetup() {
  await system.checkPrerequisites({ exit: false });
  system.assertBuilt();
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const ports = {
    identity: await system.freePort(),
    relationships: await system.freePort(),
    notifications: await system.freePort(),
    smtp: await system.freePort(),
    mailWeb: await system.freePort(),
    gateway: await system.freePort(),
  };
  const settings = system.testSettings(runId, ports);
  const started = Date.now();
  try {
    await system.migrateAll(settings);
    const mail = await system.startMailDev(settings);
    for (const service of /** @type {const} */ (['identity', 'notifications', 'relationships'])) {
      await system.startService(service, settings);
    }
    const gateway = await system.startGateway(settings);
    const info = {
      runId,
      urls: {
        identity: system.urlOf(settings, 'identity'),
        relationships: system.urlOf(settings, 'relationships'),
        notifications: system.urlOf(settings, 'notifications'),
        maildev: mail.url,
        gateway: gateway.url,
      },
      operator: settings.operator,
      settings,
      pids: system.runningPids(),
    };
    const file = path.join(/** @type {string} */ (settings.logDir), 'system.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(info, null, 2)}\n`);
    process.env.PCP_E2E_SYSTEM = file;
    /** @type {any} */ (globalThis).__PCP_E2E_SYSTEM__ = file;
    process.stdout.write(
      `\ne2e system ${runId} up in ${Date.now() - started} ms (logs: ${path.relative(system.ROOT, /** @type {string} */ (settings.logDir))}/)\n`,
    );
  } catch (error) {
    await system.stopAll();
    await system.dropDatabases(settings).catch(() => undefined);
    await system.deleteRedisKeys(settings).catch(() => undefined);
    throw error;
  }
};
