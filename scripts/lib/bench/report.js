// @ts-check
'use strict';
/** The benchmark's closing tables, from its results object (the same as `results.json`). */
const path = require('node:path');
const { fmt, ms, table } = require('./stats');

/** Target of the read path: p99 of one client's page requests. */
const READ_P99_TARGET_MS = 10;
/** Goal of the end-to-end run: our emails/s over the reference's. */
const RATIO_GOAL = 1.0;

/** Our three services, in the order the tables list them. */
const SERVICES = ['identity', 'relationships', 'notifications'];
/** The processes whose CPU makes an email's cost ("CPU: total", "every process"). */
const EMAIL_COST_GROUPS = [...SERVICES, 'smtp sink', 'postgres', 'redis'];

/**
 * CPU milliseconds of `groups`, summed from a meter's figures (a group it did not see counts 0).
 * @param {Record<string, { cpuMs: number }>} figures @param {string[]} groups
 */
function cpuMsOf(figures, groups) {
  return groups.reduce((sum, g) => sum + (figures[g]?.cpuMs ?? 0), 0);
}

/** @param {{ avg: number | null, max: number | null } | undefined} cpu */
function cpuCell(cpu) {
  if (!cpu || cpu.avg === null || cpu.avg === undefined) return '—';
  return cpu.max === null ? `${fmt(cpu.avg)} %` : `${fmt(cpu.avg)} / ${fmt(cpu.max)} %`;
}

/** @param {string} group */
function labelOf(group) {
  switch (group) {
    case 'postgres':
      return 'postgres (backends of our databases)';
    case 'redis':
      return 'redis (the whole server)';
    case 'bench client':
      return 'bench client (autocannon, this process)';
    default:
      return group;
  }
}

/**
 * Rows of a CPU table: per process, for each window its average / max % of one core and, when the
 * window counts units of work (emails, requests), the CPU milliseconds per unit; then the machine
 * and "other processes" (the machine minus what we listed: the noise of the shared machine).
 * @param {{ cpu: { wallMs: number, groups: Record<string, any>, machine: any }, units?: number }[]} windows
 */
function cpuRows(windows) {
  const groups = Object.keys(windows[0]?.cpu.groups ?? {});
  /** @param {{ cpuMs: number } | undefined} figures @param {number | undefined} units */
  const perUnit = (figures, units) =>
    figures && units ? `${fmt(figures.cpuMs / units, 2)} ms` : '—';
  /** @type {string[][]} */
  const rows = groups.map((group) => [
    labelOf(group),
    ...windows.flatMap((w) => [
      cpuCell(w.cpu.groups[group]),
      ...(w.units === undefined ? [] : [perUnit(w.cpu.groups[group], w.units)]),
    ]),
  ]);
  rows.push([
    'machine (every process)',
    ...windows.flatMap((w) => [
      cpuCell(w.cpu.machine),
      ...(w.units === undefined ? [] : [perUnit(w.cpu.machine, w.units)]),
    ]),
  ]);
  rows.push([
    'other processes (not ours)',
    ...windows.flatMap((w) => {
      const ours = groups.reduce((sum, g) => sum + (w.cpu.groups[g]?.avg ?? 0), 0);
      const machine = w.cpu.machine?.avg;
      return [
        typeof machine === 'number' ? `${fmt(Math.max(0, machine - ours))} %` : '—',
        ...(w.units === undefined ? [] : ['']),
      ];
    }),
  ]);
  return rows;
}

/**
 * The profile tables of one service.
 * @param {any} p a ProfileSummary @param {string} root @param {number} top
 */
function profileTables(p, root, top) {
  return [
    `  ${path.relative(root, p.file)}: ${fmt(p.busyMs)} ms busy of ${fmt(p.totalMs)} ms sampled ${p.windowed ? 'in the window' : 'over its whole run'}`,
    '',
    `  top ${top} functions by self time:`,
    table(
      ['self', 'share', 'function', 'where'],
      p.functions
        .slice(0, top)
        .map((/** @type {any} */ f) => [ms(f.selfMs), `${fmt(f.share, 1)} %`, f.name, f.location]),
    ),
    '',
    '  self time by package:',
    table(
      ['self', 'share', 'package'],
      p.packages
        .slice(0, 12)
        .map((/** @type {any} */ k) => [ms(k.selfMs), `${fmt(k.share, 1)} %`, k.name]),
    ),
    '',
    '  our functions by inclusive time (their synchronous part and everything it calls):',
    table(
      ['total', 'share', 'function', 'where'],
      p.ourFunctions
        .slice(0, 12)
        .map((/** @type {any} */ f) => [ms(f.totalMs), `${fmt(f.share, 1)} %`, f.name, f.location]),
    ),
  ];
}

/**
 * Where an email's cost goes, ours against the reference: CPU time per email by kind of process,
 * and PostgreSQL transactions and rows written per email (`pg_stat_database`). Both hardly depend
 * on what else the machine runs, unlike emails/s.
 * @param {any} e the end-to-end results @param {any} ref the reference's results
 */
function perEmailComparison(e, ref) {
  const units = e.delivery.delivered + e.delivery.unreadAnswers;
  const ours = e.cpuUntilLastEmail.groups;
  /** @param {string[]} groups */
  const oursMs = (groups) => cpuMsOf(ours, groups) / units;
  /** @param {string} group */
  const refMs = (group) => (ref.cpu[group]?.cpuMs ?? 0) / ref.N;
  const oursTotal = oursMs(EMAIL_COST_GROUPS);
  const refTotal = refMs('minimal-pipeline.js') + refMs('postgres') + refMs('redis');
  const msCell = (/** @type {number} */ v) => `${fmt(v, 2)} ms`;
  /** @type {string[][]} */
  const rows = [
    ...SERVICES.map((service) => [`CPU: ${service}`, msCell(oursMs([service])), '']),
    ['CPU: smtp sink', msCell(oursMs(['smtp sink'])), '(in its process)'],
    [
      'CPU: node processes',
      msCell(oursMs([...SERVICES, 'smtp sink'])),
      msCell(refMs('minimal-pipeline.js')),
    ],
    ['CPU: postgres backends', msCell(oursMs(['postgres'])), msCell(refMs('postgres'))],
    ['CPU: redis (whole server)', msCell(oursMs(['redis'])), msCell(refMs('redis'))],
    ['CPU: total', msCell(oursTotal), msCell(refTotal)],
  ];
  const db = e.databasePerEmail ?? {};
  const refDb = ref.databasePerEmail;
  /** @param {'transactions' | 'rowsInserted' | 'rowsUpdated' | 'rowsFetched'} key */
  const dbRow = (key) => {
    const parts = SERVICES.filter((service) => db[service]).map((service) => db[service][key]);
    const total = parts.reduce((a, b) => a + b, 0);
    return [
      `${fmt(total, 1)} (${SERVICES.map((service, i) => `${service[0]} ${fmt(parts[i], 1)}`).join(', ')})`,
      refDb ? fmt(refDb[key], 1) : '—',
    ];
  };
  rows.push(
    ['database transactions', ...dbRow('transactions')],
    ['rows inserted', ...dbRow('rowsInserted')],
    ['rows updated', ...dbRow('rowsUpdated')],
    ['rows fetched', ...dbRow('rowsFetched')],
  );
  return [
    'Per email, ours against the reference (figures that hardly depend on the rest of the machine)',
    table(['cost', 'ours', 'reference'], rows),
    `  ours costs ${fmt(oursTotal / refTotal, 1)}× the reference's CPU per email; with ${fmt(oursTotal, 1)} ms per email, ${e.cpuDuringLoad.machine.pids} cores can deliver at most ${fmt((e.cpuDuringLoad.machine.pids * 1000) / oursTotal)} emails/s (the reference: ${fmt((e.cpuDuringLoad.machine.pids * 1000) / refTotal)}).`,
    '  (i r n: identity, relationships, notifications)',
  ];
}

/**
 * The 1-versus-N-instances table: each variant's end-to-end figures side by side, CPU per email
 * over every process of the system (services, sink, PostgreSQL backends, Redis), and the handler
 * runs per call between services (every instance's `/metrics`; 1.0 when each call runs once).
 * @param {{ counts: number[], variants: any[] }} comparison
 */
function instancesComparison(comparison) {
  const variants = comparison.variants;
  /** @param {any} e @param {string[]} groups */
  const cpuPerEmail = (e, groups) => {
    const units = e.delivery.delivered + e.delivery.unreadAnswers;
    if (!units) return '—';
    return `${fmt(cpuMsOf(e.cpuUntilLastEmail.groups, groups) / units, 2)} ms`;
  };
  /** @type {[string, (v: any) => string][]} */
  const figures = [
    ['emails delivered/s', (v) => fmt(v.endToEnd.delivery.emailsPerSec, 1)],
    ['API requests/s (2xx)', (v) => fmt(v.endToEnd.api.requestsPerSec2xx, 1)],
    ['API latency p99', (v) => ms(v.endToEnd.api.latencyMs.p99)],
    ['invitation-to-inbox p99', (v) => ms(v.endToEnd.delivery.inboxLatencyMs.p99)],
    ['CPU per email (every process)', (v) => cpuPerEmail(v.endToEnd, EMAIL_COST_GROUPS)],
    ['CPU per email (the services)', (v) => cpuPerEmail(v.endToEnd, SERVICES)],
    [
      'delivered / accepted (twice)',
      (v) =>
        `${v.endToEnd.delivery.delivered} / ${v.endToEnd.api.accepted} (${v.endToEnd.delivery.duplicates})`,
    ],
    ['calls between services', (v) => String(v.rpc.calls)],
    [
      'handler runs per call (must be 1.0)',
      (v) =>
        v.rpc.handledPerCall === null
          ? '—'
          : `${fmt(v.rpc.handledPerCall, 3)} (${v.rpc.handled} runs)`,
    ],
    ['machine CPU during the load', (v) => cpuCell(v.endToEnd.cpuDuringLoad.machine)],
  ];
  const header = [
    'figure',
    ...variants.map((v) => `${v.instances} instance${v.instances === 1 ? '' : 's'} each`),
  ];
  const first = variants[0]?.endToEnd.delivery.emailsPerSec;
  const last = variants[variants.length - 1]?.endToEnd.delivery.emailsPerSec;
  return [
    'Several instances: the end-to-end run on a fresh system per column, the load spread over the',
    'relationships instances by the bench client (no load balancer); CPU per email counts every',
    'process of the system and hardly depends on the rest of the machine, emails/s does.',
    table(
      header,
      figures.map(([name, cell]) => [name, ...variants.map((v) => cell(v))]),
    ),
    ...(first && last && variants.length > 1
      ? [
          `  ${variants[variants.length - 1].instances} instances deliver ${fmt(last / first, 2)}× the emails/s of 1 on this machine (${variants[0].endToEnd.cpuDuringLoad.machine.pids} cores shared by every process).`,
        ]
      : []),
  ];
}

/**
 * How the measured load was preceded: the warm-up's length, its accepted requests and what an
 * email cost during it (the services' code not yet optimized: the CPU of `EMAIL_COST_GROUPS` from
 * its start until its emails were in, per accepted request), against which the measured CPU per
 * email reads.
 * @param {{ seconds: number, accepted: number, cpu: Record<string, { cpuMs: number }> } | null | undefined} w
 */
function warmupText(w) {
  if (!w) return 'no warm-up';
  const cost =
    w.accepted > 0
      ? `, ${fmt(cpuMsOf(w.cpu, EMAIL_COST_GROUPS) / w.accepted, 2)} ms of CPU per email`
      : '';
  return `after a warm-up of ${fmt(w.seconds)} s of the same load (${fmt(w.accepted)} accepted${cost})`;
}

/**
 * The report as text.
 * @param {Record<string, any>} r @param {{ root: string, runDir: string }} where
 */
function printReport(r, where) {
  /** @type {string[]} */
  const out = [];
  const m = r.machine;
  out.push(
    `Benchmark ${r.runId} (${r.startedAt}): ${m.cpus} CPUs, Node ${m.node}, load average at start ${m.loadAverageAtStart.map((/** @type {number} */ l) => l.toFixed(2)).join(' ')}`,
    'Figures from a shared machine are noisy: "other processes" in the CPU tables is what the rest of',
    'the machine used meanwhile; CPU ms per email / per request is the least noisy figure.',
  );

  const e = r.endToEnd;
  const ref = r.reference;
  if (e) {
    out.push(
      '',
      'End to end: POST /v1/customers/relationship-requests → invitation email in the SMTP sink',
      `  ${fmt(e.durationSeconds)} s of load, ${e.connections} connections${e.rate ? ` at ${fmt(e.rate)} requests/s` : ''}, ${e.partners} partners (tokens round-robin), ${warmupText(e.warmup)}`,
      '',
    );
    const statuses = Object.entries(e.api.statuses)
      .filter(([s]) => !s.startsWith('2'))
      .map(([s, n]) => `${n}×${s}`)
      .join(', ');
    const rows = [
      ['API requests/s (2xx)', fmt(e.api.requestsPerSec2xx, 1)],
      [
        'non-2xx responses',
        `${fmt(e.api.non2xx)}${statuses ? ` (${statuses})` : ''}${e.api.errors ? `, ${e.api.errors} errors` : ''}${e.api.timeouts ? `, ${e.api.timeouts} timeouts` : ''}`,
      ],
      ['API latency p50 / p99', `${ms(e.api.latencyMs.p50)} / ${ms(e.api.latencyMs.p99)}`],
      [
        'invitation-to-inbox latency p50 / p99',
        `${ms(e.delivery.inboxLatencyMs.p50)} / ${ms(e.delivery.inboxLatencyMs.p99)}`,
      ],
      [
        'emails delivered',
        `${fmt(e.delivery.delivered)} of ${fmt(e.api.accepted)} accepted (${fmt(e.delivery.missing)} missing, ${fmt(e.delivery.duplicates)} duplicates; ${fmt(e.delivery.unreadAnswers)} more of requests in flight when the load stopped)`,
      ],
      [
        'emails delivered/s',
        `${fmt(e.delivery.emailsPerSec, 1)} (first request → last email: ${fmt(e.delivery.windowSeconds, 1)} s)`,
      ],
      [
        'backlog when the load stopped',
        `${fmt(e.delivery.backlogAtLoadEnd)} emails, the last one delivered ${fmt(e.delivery.drainSeconds, 1)} s later`,
      ],
    ];
    out.push(table(['figure', 'value'], rows));
  }
  if (ref) {
    out.push(
      '',
      'Reference: minimal-pipeline.js (the same work, naive: no HTTP, auth or validation), run alone',
    );
    if (ref.error) out.push(`  did not run: ${ref.error}`);
    else {
      const after = r.referenceAfter;
      const ran = after && !after.error;
      /** @type {string[][]} */
      const rows = [
        ['N', fmt(ref.N)],
        [
          ran ? 'emails/s (endToEndPerSec), before / after ours' : 'emails/s (endToEndPerSec)',
          ran
            ? `${fmt(ref.endToEndPerSec)} / ${fmt(after.endToEndPerSec)}`
            : fmt(ref.endToEndPerSec),
        ],
        ['produced/s', fmt(ref.producedPerSec)],
        ['CPU of its process, avg / max', cpuCell(ref.cpu['minimal-pipeline.js'])],
      ];
      if (after?.error) rows.push(['run after ours', `did not run: ${after.error}`]);
      if (typeof r.ratio === 'number') {
        rows.push([
          `ratio ours / reference (emails/s${ran ? `, against the mean ${fmt(r.referenceEmailsPerSec)}` : ''})`,
          `${fmt(r.ratio, 2)} (goal ≥ ${fmt(RATIO_GOAL, 1)}: ${r.ratio >= RATIO_GOAL ? 'met' : 'not met'})`,
        ]);
      }
      out.push(table(['figure', 'value'], rows));
    }
  }
  if (e) {
    out.push(
      '',
      'CPU, % of one core (average / max of 1 s intervals), and CPU time per delivered email',
      table(
        ['process', 'during the load', 'first request → last email', 'per email'],
        cpuRows([
          { cpu: e.cpuDuringLoad },
          { cpu: e.cpuUntilLastEmail, units: e.delivery.delivered + e.delivery.unreadAnswers },
        ]),
      ),
    );
  }

  if (e && ref && !ref.error) out.push('', ...perEmailComparison(e, ref));

  if (r.instances) out.push('', ...instancesComparison(r.instances));

  const fl = r.flood;
  if (fl) {
    out.push(
      '',
      `Sign-up flood: sign-in latency from one client, alone and while ${fmt(fl.signUps)} customer sign-ups arrive at once (identity restarted with each setting of its public hashing lane)`,
      table(
        [
          'public hashing lane',
          'sign-in p50 / p99 alone',
          'during the flood',
          'sign-ins',
          'flood answers',
          'flood took',
        ],
        fl.variants.map((/** @type {any} */ v) => [
          v.variant,
          `${ms(v.alone.p50)} / ${ms(v.alone.p99)}`,
          `${ms(v.during.p50)} / ${ms(v.during.p99)}`,
          fmt(v.during.samples),
          Object.entries(v.flood.statuses)
            .map(([status, n]) => `${n}×${status}`)
            .join(', '),
          `${fmt(v.flood.seconds, 1)} s`,
        ]),
      ),
    );
  }

  const rp = r.readPath;
  if (rp) {
    out.push(
      '',
      `Read path: GET /v1/customers, ${fmt(rp.customers)} customers under one indirect provider (${fmt(rp.providerCustomers)} active relationships), ${rp.resellers} indirect resellers, pages of ${rp.pageSize}`,
      '  one client, sequential requests:',
    );
    const s = rp.sequential;
    const variants = [
      'all, first page',
      'all, seek page',
      'by reseller, first page',
      'by reseller, seek page',
    ];
    const rows = variants.map((v) => [
      v,
      fmt(s[v].requests),
      ms(s[v].p50),
      ms(s[v].p95),
      ms(s[v].p99),
    ]);
    rows.push([
      'overall',
      fmt(s.overall.requests),
      ms(s.overall.p50),
      ms(s.overall.p95),
      ms(s.overall.p99),
    ]);
    out.push(table(['pages', 'requests', 'p50', 'p95', 'p99'], rows));
    const worst = Math.max(...variants.map((v) => s[v].p99 ?? 0));
    const non200 = Object.entries(s.statuses).filter(([code]) => code !== '200');
    out.push(
      `  p99 ≤ ${READ_P99_TARGET_MS} ms: ${worst <= READ_P99_TARGET_MS ? 'met' : 'not met'} (worst variant ${ms(worst)})${non200.length ? `; non-200: ${non200.map(([c, n]) => `${n}×${c}`).join(', ')}` : ''}`,
      '',
      `  many clients: ${rp.load.connections} connections for ${fmt(rp.load.durationSeconds)} s over the same first and seek pages:`,
      table(
        ['figure', 'value'],
        [
          ['requests/s (2xx)', fmt(rp.load.requestsPerSec2xx, 1)],
          ['non-2xx responses', fmt(rp.load.non2xx)],
          ['latency p50 / p99', `${ms(rp.load.latencyMs.p50)} / ${ms(rp.load.latencyMs.p99)}`],
        ],
      ),
      '',
      '  CPU during that load, % of one core (average / max), and CPU time per request:',
      table(
        ['process', 'CPU', 'per request'],
        cpuRows([{ cpu: rp.load.cpu, units: rp.load.requests }]),
      ),
      '',
      '  plans of the list queries (EXPLAIN ANALYZE on the seeded data):',
      table(
        ['query', 'execution', 'plan'],
        rp.plans.map((/** @type {any} */ p) => [p.name, ms(p.executionMs), p.plan]),
      ),
    );
  }

  const e2eProfiles = r.profiles?.endToEnd;
  if (e2eProfiles && e) {
    const cpu = e.cpuUntilLastEmail.groups;
    const busiest = Object.keys(e2eProfiles)
      .filter((service) => !e2eProfiles[service].error)
      .sort((a, b) => (cpu[b]?.avg ?? 0) - (cpu[a]?.avg ?? 0))[0];
    if (busiest) {
      out.push(
        '',
        `CPU profile (end to end) of ${busiest}, the service that used the most CPU (${cpuCell(cpu[busiest])}):`,
        ...profileTables(e2eProfiles[busiest], where.root, 15),
      );
      for (const [service, other] of Object.entries(e2eProfiles)) {
        if (service === busiest || other.error) continue;
        out.push(
          `  ${service} (${cpuCell(cpu[service])}), self time by package: ${other.packages
            .slice(0, 6)
            .map((/** @type {any} */ k) => `${k.name} ${fmt(k.share, 0)} %`)
            .join(', ')}`,
        );
      }
    }
  }
  const readProfile = r.profiles?.readPath?.relationships;
  if (readProfile && !readProfile.error && rp) {
    out.push(
      '',
      `CPU profile (read path, many clients) of relationships (${cpuCell(rp.load.cpu.groups.relationships)}):`,
      ...profileTables(readProfile, where.root, 15),
    );
  }

  const soak = r.soak;
  if (soak) {
    out.push(
      '',
      `Soak: ${soak.minutes} min at ${soak.rate} requests/s (${fmt(soak.requests)} requests), every retention ${soak.retentionSeconds} s; read after a warm window of ${soak.warmSeconds} s and at the end`,
      '',
      table(
        ['what must stay flat', 'start', 'end', 'change'],
        Object.keys(soak.start).map((key) => [
          key,
          fmt(soak.start[key]),
          fmt(soak.end[key]),
          `${soak.end[key] >= soak.start[key] ? '+' : ''}${fmt(soak.end[key] - soak.start[key])}`,
        ]),
      ),
    );
  }

  out.push(
    '',
    `Files: ${path.relative(where.root, where.runDir)}/ (results.json, report.txt, logs/${r.profiles ? ', profiles/' : ''})`,
  );
  if (r.error) out.push(`Stopped early: ${String(r.error).split('\n')[0]}`);
  return out.join('\n');
}

module.exports = { printReport, warmupText };
