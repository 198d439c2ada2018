// @ts-check
'use strict';
/**
 * Reading the `.cpuprofile` files that `node --cpu-prof` writes when a service exits: self time per
 * function (samples × their time deltas, grouped by function name + url:line) and per package,
 * optionally only over a window of the monotonic clock. V8's profile timestamps (µs) and
 * `process.hrtime` both read the system's monotonic clock, so a window measured in the bench
 * process selects the same samples in a service's profile.
 */
const fs = require('node:fs');
const path = require('node:path');

/**
 * @typedef {object} CpuProfile
 * @property {{ id: number, callFrame: { functionName: string, url: string, lineNumber: number }, hitCount?: number }[]} nodes
 * @property {number} startTime µs
 * @property {number} endTime µs
 * @property {number[]} samples node ids
 * @property {number[]} timeDeltas µs before each sample
 */

/**
 * @typedef {object} ProfileSummary
 * @property {string} file
 * @property {number} totalMs   sampled time in the window, idle included
 * @property {number} busyMs    sampled time in the window without `(idle)`
 * @property {boolean} windowed whether the samples were limited to the window
 * @property {{ name: string, location: string, selfMs: number, share: number }[]} functions
 *   by self time, `share` of busyMs
 * @property {{ name: string, selfMs: number, share: number }[]} packages
 *   self time per package (`node_modules/<pkg>`), `node:` internals, our `dist/` code, V8 states
 * @property {{ name: string, location: string, totalMs: number, share: number }[]} ourFunctions
 *   our own functions (`dist/`) by inclusive time (their synchronous part and what it calls)
 */

/** The `.cpuprofile` file of process `pid` in `dir`, if it was written. @param {string} dir @param {number} pid */
function profileFileOf(dir, pid) {
  if (!fs.existsSync(dir)) return null;
  const file = fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.cpuprofile') && name.split('.')[3] === String(pid))
    .sort()
    .pop();
  return file ? path.join(dir, file) : null;
}

/**
 * A short location: `node_modules/<pkg>/…/file.js:line`, `dist/…` from the project root,
 * `node:internal/…:line`, or empty for V8 states.
 * @param {string} url @param {number} line @param {string} root
 */
function locationOf(url, line, root) {
  if (!url) return '';
  let where = url.replace(/^file:\/\//, '');
  if (where.startsWith(root)) where = where.slice(root.length + 1);
  const nm = where.lastIndexOf('node_modules/');
  if (nm >= 0) where = where.slice(nm);
  return `${where}:${line + 1}`;
}

/** Whether a url is our built code (`dist/`, not a package's). @param {string} url */
function isOurs(url) {
  return url.includes('/dist/') && !url.includes('node_modules/');
}

/** The package a url belongs to. @param {string} url @param {string} functionName */
function packageOf(url, functionName) {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return 'node (internals)';
  if (isOurs(url)) return 'our code (dist/)';
  return url;
}

/**
 * Self time per function and per package of one profile, over the monotonic window
 * `[fromUs, toUs]` when given (the whole profile when no sample falls in it).
 * @param {string} file @param {string} root the project root, cut from urls
 * @param {{ fromUs: number, toUs: number }} [window]
 * @param {number} [top] how many functions to keep
 * @returns {ProfileSummary}
 */
function summarizeProfile(file, root, window, top = 15) {
  /** @type {CpuProfile} */
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  /** @type {Map<number, number>} */
  const parentOf = new Map();
  for (const node of profile.nodes) {
    for (const child of /** @type {any} */ (node).children ?? []) parentOf.set(child, node.id);
  }
  /** @type {Map<number, number>} µs per node id */
  let selfUs = new Map();
  /** @param {boolean} limit */
  const collect = (limit) => {
    /** @type {Map<number, number>} */
    const acc = new Map();
    let t = profile.startTime;
    for (let i = 0; i < profile.samples.length; i += 1) {
      t += profile.timeDeltas[i] ?? 0;
      if (limit && window && (t < window.fromUs || t > window.toUs)) continue;
      // A sample stands for the time until the next one (the last one for none).
      const dt = profile.timeDeltas[i + 1] ?? 0;
      if (dt > 0) acc.set(profile.samples[i], (acc.get(profile.samples[i]) ?? 0) + dt);
    }
    return acc;
  };
  selfUs = collect(true);
  let windowed = Boolean(window);
  if (selfUs.size === 0) {
    selfUs = collect(false);
    windowed = false;
  }

  /** @type {Map<string, { name: string, location: string, us: number }>} */
  const functions = new Map();
  /** @type {Map<string, number>} */
  const packages = new Map();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = functionName || '(anonymous)';
    totalUs += us;
    if (name === '(idle)') {
      idleUs += us;
      continue;
    }
    const location = locationOf(url, lineNumber, root);
    const key = `${name}\u0000${location}`;
    const entry = functions.get(key) ?? { name, location, us: 0 };
    entry.us += us;
    functions.set(key, entry);
    const pkg = packageOf(url, name);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
  }
  // Inclusive time of our own functions: each sample counts once for every distinct function of
  // ours on its stack.
  /** @type {Map<string, { name: string, location: string, us: number }>} */
  const ours = new Map();
  for (const [id, us] of selfUs) {
    /** @type {Set<string>} */
    const seen = new Set();
    for (let at = /** @type {number | undefined} */ (id); at !== undefined; at = parentOf.get(at)) {
      const node = byId.get(at);
      if (!node || !isOurs(node.callFrame.url)) continue;
      const { functionName, url, lineNumber } = node.callFrame;
      const name = functionName || '(anonymous)';
      const location = locationOf(url, lineNumber, root);
      const key = `${name}\u0000${location}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const entry = ours.get(key) ?? { name, location, us: 0 };
      entry.us += us;
      ours.set(key, entry);
    }
  }
  const busyUs = totalUs - idleUs;
  const share = (/** @type {number} */ us) => (busyUs > 0 ? (us / busyUs) * 100 : 0);
  return {
    file,
    totalMs: totalUs / 1000,
    busyMs: busyUs / 1000,
    windowed,
    functions: [...functions.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((f) => ({
        name: f.name,
        location: f.location,
        selfMs: f.us / 1000,
        share: share(f.us),
      })),
    ourFunctions: [...ours.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((f) => ({
        name: f.name,
        location: f.location.replace(/^dist\/apps\/[a-z]+\/|^dist\//, ''),
        totalMs: f.us / 1000,
        share: share(f.us),
      })),
    packages: [...packages.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([name, us]) => ({ name, selfMs: us / 1000, share: share(us) })),
  };
}

/** The monotonic clock in µs, as V8's profiles count it. */
function monotonicUs() {
  return Number(process.hrtime.bigint() / 1000n);
}

module.exports = { profileFileOf, summarizeProfile, monotonicUs };
