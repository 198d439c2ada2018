#!/usr/bin/env node
/**
 * Keeps `npm ci` working with the package registry this project is built against.
 *
 * Packages with native builds (bullmq → msgpackr-extract, jest → unrs-resolver, @swc/core) list one
 * optional dependency per platform. The registry reachable here serves only some of those platform
 * packages, so `npm install` leaves the others out of package-lock.json, and `npm ci` then refuses
 * the lock file ("Missing: …@ from lock file"). This script adds an entry for each missing
 * platform package, with its version and the `os`/`cpu` it is for, marked optional: npm skips them
 * on this platform without fetching anything.
 *
 *   node scripts/complete-lockfile.js          # complete package-lock.json in place
 *   node scripts/complete-lockfile.js --check  # exit 1 if an entry is missing (run by `npm run check`)
 *
 * Run it after every change of dependencies.
 */
const fs = require('node:fs');
const path = require('node:path');

const OSES = ['darwin', 'win32', 'linux', 'android', 'freebsd', 'openharmony', 'sunos', 'aix'];
const CPUS = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 's390x', 'riscv64', 'loong64'];

/** `os` and `cpu` of a platform package, read from its name (`@swc/core-darwin-arm64`). */
function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = OSES.find((o) => parts.includes(o));
  const cpu = CPUS.find((c) => parts.includes(c));
  return os && cpu ? { os, cpu } : undefined;
}

function missingEntries(lock) {
  const packages = lock.packages;
  const missing = new Map();
  for (const [location, meta] of Object.entries(packages)) {
    for (const [dep, version] of Object.entries(meta.optionalDependencies ?? {})) {
      const nested = `${location ? `${location}/` : ''}node_modules/${dep}`;
      const top = `node_modules/${dep}`;
      if (packages[nested] || packages[top] || missing.has(top)) continue;
      const platform = platformOf(dep);
      if (!platform) continue;
      missing.set(top, {
        version,
        optional: true,
        os: [platform.os],
        cpu: [platform.cpu],
      });
    }
  }
  return missing;
}

const file = path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const missing = missingEntries(lock);
if (process.argv.includes('--check')) {
  if (missing.size > 0) {
    process.stderr.write(
      `package-lock.json lacks ${missing.size} optional platform entries (${[...missing.keys()].slice(0, 3).join(', ')}, …): run node scripts/complete-lockfile.js\n`,
    );
    process.exit(1);
  }
  process.exit(0);
}
const entries = { ...lock.packages, ...Object.fromEntries(missing) };
lock.packages = Object.fromEntries(
  Object.entries(entries).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)),
);
fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(`package-lock.json: added ${missing.size} optional platform entries\n`);
