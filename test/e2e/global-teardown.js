// @ts-check
'use strict';
/**
 * Jest global teardown of the end-to-end suite: stops the processes the global setup started
 * (SIGTERM, then SIGKILL after a timeout), drops the run's databases and deletes the run's Redis
 * keys (its BullMQ prefix). Keeps the run's logs under `.run/e2e-<runid>/` only when
 * `PCP_E2E_KEEP_LOGS=1`.
 */
const fs = require('node:fs');
const path = require('node:path');
const system = require('../../scripts/lib/system');

module.exports = async function globalTeardown() {
  const file = process.env.PCP_E2E_SYSTEM ?? /** @type {any} */ (globalThis).__PCP_E2E_SYSTEM__;
  if (!file || !fs.existsSync(file)) return;
  const info = JSON.parse(fs.readFileSync(file, 'utf8'));
  await system.stopAll();
  // The processes are normally stopped above; this covers a setup module loaded twice.
  await system.stopPids(info.pids ?? []);
  await system.dropDatabases(info.settings);
  await system.deleteRedisKeys(info.settings);
  if (process.env.PCP_E2E_KEEP_LOGS !== '1') {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
};
