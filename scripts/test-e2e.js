#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run test:e2e`: the end-to-end tests in two lanes at once, each a `jest --runInBand` run
 * with its own isolated system (the global setup gives each run its own databases, Redis prefix,
 * message namespace, ports and MailDev): the API lane (every spec outside `test/e2e/portal/`)
 * and the browser lane (`test/e2e/portal/`, Chromium). The lanes mostly wait (on emails, pages,
 * background jobs), so side by side they take about as long as the longer one instead of their
 * sum. Exits non-zero when either lane fails. Extra arguments go to both lanes (e.g. `-t name`).
 */
const { spawn } = require('node:child_process');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const jest = path.join(ROOT, 'node_modules', '.bin', 'jest');
const extra = process.argv.slice(2);

/** One lane: jest with `args`; resolves to its exit code. */
function lane(name, args) {
  return new Promise((resolve) => {
    const child = spawn(
      jest,
      ['--config', 'jest.e2e.config.js', '--runInBand', ...args, ...extra],
      {
        cwd: ROOT,
        stdio: 'inherit',
        env: { ...process.env, PCP_E2E_LANE: name },
      },
    );
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

Promise.all([
  lane('api', ['--testPathIgnorePatterns', '/test/e2e/portal/']),
  lane('browser', ['test/e2e/portal/']),
]).then(([api, browser]) => {
  process.stdout.write(`\nend-to-end lanes: api exit ${api}, browser exit ${browser}\n`);
  process.exit(api === 0 && browser === 0 ? 0 : 1);
});
