// @ts-check
'use strict';
/**
 * "Build when stale", shared by the scripts that run the built services (`npm start`,
 * `npm run drill`): `dist/` is stale when an entry point (the OpenAPI document, the portal's
 * index.html) is missing or older than any file under
 * `apps/` or `libs/` (specs aside), `nest-cli.json`, `tsconfig.json` or `package-lock.json`.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const system = require('./system');

/** Newest modification time (ms) of the files under `dir`. @param {string} dir */
function newestMtime(dir) {
  let newest = 0;
  if (!fs.existsSync(dir)) return newest;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (!entry.name.endsWith('.spec.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Why a build is needed, or null when `dist/` is up to date. @returns {string | null} */
function buildReason() {
  const entries = [
    ...system.SERVICES.map((service) => system.entryOf(service)),
    system.entryOf('gateway'),
    system.OPENAPI_DOCUMENT,
    path.join(system.PORTAL_DIR, 'index.html'),
  ];
  const missing = entries.filter((entry) => !fs.existsSync(entry));
  if (missing.length > 0) return `${path.relative(system.ROOT, missing[0])} is missing`;
  const built = Math.min(...entries.map((entry) => fs.statSync(entry).mtimeMs));
  const sources = Math.max(
    newestMtime(path.join(system.ROOT, 'apps')),
    newestMtime(path.join(system.ROOT, 'libs')),
    ...['nest-cli.json', 'tsconfig.json', 'package-lock.json'].map((file) =>
      fs.existsSync(path.join(system.ROOT, file))
        ? fs.statSync(path.join(system.ROOT, file)).mtimeMs
        : 0,
    ),
  );
  return sources > built ? 'the sources changed since the last build' : null;
}

/**
 * Runs `npm run build` when `force` is set or `dist/` is stale, saying why; prints that it is up
 * to date otherwise.
 * @param {{ force?: boolean, log?: (line: string) => void }} [options]
 * @returns {boolean} false when the build failed
 */
function buildIfStale(options = {}) {
  const log = options.log ?? ((line) => console.log(line));
  const reason = options.force ? '--build was given' : buildReason();
  if (!reason) {
    log('Build: dist/ is up to date with apps/ and libs/ (use --build to force).');
    return true;
  }
  log(`Build: ${reason}; running npm run build …`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', 'build'], { cwd: system.ROOT, stdio: 'inherit' });
  return result.status === 0;
}

module.exports = { buildReason, buildIfStale };
