// @ts-check
'use strict';
/**
 * CPU of each process (or group of processes) over a window, in % of one core: `pidusage` reads
 * each process's CPU time every `intervalMs`; the average is the CPU time used between the first
 * and the last reading over the window's wall time, the max the busiest interval. The machine's
 * own busy time (every process, ours or not) comes from `os.cpus()`, so that the noise of other
 * work on the machine shows in the same table.
 */
const os = require('node:os');
const pidusage = require('pidusage');

/**
 * pidusage reads the clock tick and page size once (`getconf`, a shell and a process each) and
 * keeps them, but every call made before the first one has finished runs `getconf` again: the
 * first reading of a meter, one call per process at once, started 2 × (processes) shells at the
 * start of the measured window (the CPU of the window it measures). One call, before any reading,
 * so that the readings only read `/proc`.
 * @type {Promise<unknown> | null}
 */
let clockRead = null;

/** Busy and total CPU time of the machine so far (ms, summed over cores). */
function machineTimes() {
  let busy = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    const t = cpu.times;
    busy += t.user + t.nice + t.sys + t.irq;
    total += t.user + t.nice + t.sys + t.irq + t.idle;
  }
  return { busy, total };
}

/**
 * @typedef {Record<string, { avg: number | null, max: number | null, cpuMs: number, pids: number }>} CpuFigures
 *   per group: average and max % of one core over the window, the CPU time it used (ms), and how
 *   many processes it counted
 */

/**
 * Starts measuring. `groups` names the processes to measure, resolved again at every reading (a
 * group such as "the PostgreSQL backends of our databases" changes while it runs).
 * @param {() => Promise<Record<string, number[]>>} groups
 * @param {number} [intervalMs]
 * @returns {{ stop: () => Promise<{ wallMs: number, groups: CpuFigures, machine: { avg: number | null, max: null, cpuMs: number, pids: number } }> }}
 */
function startCpuMeter(groups, intervalMs = 1000) {
  /** @type {Map<number, { group: string, firstCtime: number, lastCtime: number }>} */
  const perPid = new Map();
  /** @type {Map<string, number>} */
  const maxByGroup = new Map();
  const machineStart = machineTimes();
  const startedAt = Date.now();
  let lastReadingAt = startedAt;
  let stopped = false;
  /** @type {Promise<void>} */
  let reading = Promise.resolve();

  async function read() {
    clockRead ??= pidusage(process.pid).catch(() => undefined);
    await clockRead;
    const now = Date.now();
    const byGroup = await groups().catch(() => /** @type {Record<string, number[]>} */ ({}));
    /** @type {Map<string, number>} */
    const intervalCpu = new Map();
    const entries = Object.entries(byGroup).flatMap(([group, pids]) =>
      pids.map((pid) => /** @type {const} */ ([group, pid])),
    );
    const stats = await Promise.allSettled(entries.map(([, pid]) => pidusage(pid)));
    stats.forEach((result, i) => {
      if (result.status !== 'fulfilled') return;
      const [group, pid] = entries[i];
      const ctime = result.value.ctime;
      const known = perPid.get(pid);
      if (!known) {
        perPid.set(pid, { group, firstCtime: ctime, lastCtime: ctime });
        intervalCpu.set(group, intervalCpu.get(group) ?? 0);
        return;
      }
      intervalCpu.set(group, (intervalCpu.get(group) ?? 0) + (ctime - known.lastCtime));
      known.lastCtime = ctime;
    });
    const elapsed = now - lastReadingAt;
    if (elapsed > 0 && now > startedAt) {
      for (const [group, cpuMs] of intervalCpu) {
        const pct = (cpuMs / elapsed) * 100;
        maxByGroup.set(group, Math.max(maxByGroup.get(group) ?? 0, pct));
      }
    }
    lastReadingAt = now;
  }

  reading = read();
  const timer = setInterval(() => {
    if (stopped) return;
    reading = reading.then(read);
  }, intervalMs);

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await reading;
      await read();
      const wallMs = Date.now() - startedAt;
      const machineEnd = machineTimes();
      /** @type {Map<string, { cpuMs: number, pids: number }>} */
      const totals = new Map();
      for (const { group, firstCtime, lastCtime } of perPid.values()) {
        const total = totals.get(group) ?? { cpuMs: 0, pids: 0 };
        total.cpuMs += lastCtime - firstCtime;
        total.pids += 1;
        totals.set(group, total);
      }
      /** @type {CpuFigures} */
      const figures = {};
      for (const [group, total] of totals) {
        figures[group] = {
          avg: wallMs > 0 ? (total.cpuMs / wallMs) * 100 : null,
          max: maxByGroup.get(group) ?? null,
          cpuMs: total.cpuMs,
          pids: total.pids,
        };
      }
      const busy = machineEnd.busy - machineStart.busy;
      const all = machineEnd.total - machineStart.total;
      const cores = os.cpus().length;
      const machineAvg = all > 0 ? (busy / all) * cores * 100 : null;
      return {
        wallMs,
        groups: figures,
        machine: {
          avg: machineAvg,
          max: null,
          cpuMs: machineAvg === null ? 0 : (machineAvg / 100) * wallMs,
          pids: cores,
        },
      };
    },
  };
}

/** Forgets pidusage's per-process history (and its timer). */
function releaseCpuMeters() {
  pidusage.clear();
}

module.exports = { startCpuMeter, releaseCpuMeters };
