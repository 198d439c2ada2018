// @ts-check
'use strict';
/**
 * Building the three services when `dist/` is stale, for the scripts that run the built output
 * (`npm start`, `npm run bench`).
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

/**
 * Why a build is needed (a service's entry point is missing, or `apps/`, `libs/`,
 * `nest-cli.json`, `tsconfig.json` or `package-lock.json` changed since), or null when `dist/` is
 * up to date.
 */
function buildReason() {
  const entries = system.SERVICES.map((service) => system.entryOf(service));
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
 * Runs `npm run build` when {@link buildReason} says so (or always with `force`), saying why.
 * @param {{ force?: boolean }} [options]
 * @returns {boolean} false when the build failed
 */
function buildIfStale(options = {}) {
  const reason = options.force ? '--build was given' : buildReason();
  if (!reason) {
    console.log('Build: dist/ is up to date with apps/ and libs/ (use --build to force).');
    return true;
  }
  console.log(`Build: ${reason}; running npm run build …`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', 'build'], { cwd: system.ROOT, stdio: 'inherit' });
  return result.status === 0;
}

module.exports = { buildReason, buildIfStale };
