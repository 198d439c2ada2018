// @ts-check
'use strict';
/**
 * The end-to-end benchmark: many partners send reseller relationship requests over HTTP
 * (`POST /v1/customers/relationship-requests { email, delegatedAdmin: false }`, autocannon, a
 * fixed duration, the partners' tokens round-robin, a unique recipient per request), and every
 * invitation email travels the real pipeline (invitation + outbox row in one transaction, relay
 * to BullMQ, the notifications worker renders and sends over SMTP) to the bench's counting sink.
 *
 * Figures: API requests/s (2xx), non-2xx, API latency p50/p99 (autocannon), invitation-to-inbox
 * latency p50/p99 (the 201 response → the sink's end of DATA for that recipient), emails
 * delivered/s (from the first request to the last email), and CPU per process. Nothing here
 * asserts on time.
 */
const autocannon = require('autocannon');
const { performance } = require('node:perf_hooks');
const { countersPerUnit } = require('./bench-system');
const { startCpuMeter } = require('./cpu');
const { enrollPartner, mapLimit, signIn, sleep } = require('./partners');
const { monotonicUs } = require('./profile');
const { percentiles } = require('./stats');

const PATH = '/v1/customers/relationship-requests';
/** Tokens are refreshed this often during a long run (they live ACCESS_TOKEN_TTL_SECONDS, 900 s). */
const TOKEN_REFRESH_MS = 10 * 60 * 1000;

const now = () => performance.timeOrigin + performance.now();

/**
 * The recipient of request `n` (numbered from 1 in the order sent, warm-up first): unique per
 * request and per run, `c<n>.<runId>@<loadDomain>`.
 * @param {{ runId: string, loadDomain: string }} ctx @param {number} n
 */
function recipientOf(ctx, n) {
  return `c${n}.${ctx.runId}@${ctx.loadDomain}`;
}

/**
 * The number `n` of the request that invited `to` (see `recipientOf`); 0 for any other address.
 * @param {string} to
 */
function recipientNumber(to) {
  const match = /^c(\d+)\./.exec(to);
  return match ? Number(match[1]) : 0;
}

/**
 * @typedef {object} EndToEndOptions
 * @property {number} partners     how many partners send (each with its Global admin's token)
 * @property {number} connections  autocannon connections
 * @property {number} [rate]       requests per second across all connections (autocannon's
 *   `overallRate`): a fixed load below saturation, where CPU per email is the cost of the work and
 *   not of processes competing for the cores; unset: as fast as the connections go
 * @property {number} duration     seconds of load
 * @property {number} warmup       seconds of load, with the measured load's connections and rate,
 *   sent (and delivered) before it, so that what is measured is the services' optimized code and
 *   not V8 compiling it: after a warm-up of 200 requests, relationships was still optimizing 40
 *   functions a second 5 to 10 s into the load and 16 a second 10 to 15 s in (`--trace-opt`), and
 *   20 s of load cost 6.3 ms of CPU per email; after about 25 s of load, the next 20 s cost 5.2 ms
 * @property {number} drainTimeoutMs  how long to wait for the emails after the load
 */

/**
 * @typedef {object} EndToEndContext
 * @property {string} runId
 * @property {{ identity: string, relationships: string }} urls  where partners enroll and sign in
 * @property {string[]} [loadUrls]  the relationships instances the load goes to, its connections
 *   spread over them in turn (default: `urls.relationships`)
 * @property {import('./sink').Sink} sink
 * @property {string} loadDomain
 * @property {() => Promise<Record<string, number[]>>} processes  what the CPU meter measures
 * @property {() => Promise<Record<string, import('./bench-system').DatabaseCounters>>} databaseCounters
 *   PostgreSQL's counters of the services' databases, by service
 * @property {(instance: { stop: () => void } | null) => void} track  the running load, for Ctrl-C
 * @property {(line: string) => void} say
 * @property {() => Promise<void>} [onLoadStart]  called just before the measured load starts
 */

/**
 * Sends `amount` requests (or for `duration` seconds) and remembers, per recipient, when it was
 * sent, when the answer came and its status.
 * @param {EndToEndContext} ctx @param {string[]} tokens
 * @param {{ connections: number, duration?: number, amount?: number, rate?: number }} load
 * @param {{ next: number }} counter
 */
async function fire(ctx, tokens, load, counter) {
  /** @type {{ email: string, sentAt: number, respondedAt: number, status: number }[]} */
  const records = [];
  /** @type {Record<string, number>} */
  const statuses = {};
  const instance = autocannon({
    // Several URLs: autocannon opens connection i to URL i mod n (round-robin over instances).
    url: ctx.loadUrls && ctx.loadUrls.length > 0 ? ctx.loadUrls : ctx.urls.relationships,
    connections: load.connections,
    ...(load.amount ? { amount: load.amount } : { duration: load.duration }),
    ...(load.rate ? { overallRate: load.rate } : {}),
    timeout: 30,
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        method: 'POST',
        path: PATH,
        setupRequest(/** @type {any} */ req, /** @type {any} */ context) {
          counter.next += 1;
          const n = counter.next;
          const email = recipientOf(ctx, n);
          context.email = email;
          context.sentAt = now();
          req.headers.authorization = `Bearer ${tokens[n % tokens.length]}`;
          req.body = JSON.stringify({ email, delegatedAdmin: false });
          return req;
        },
        onResponse(
          /** @type {number} */ status,
          /** @type {string} */ _body,
          /** @type {any} */ context,
        ) {
          statuses[status] = (statuses[status] ?? 0) + 1;
          records.push({
            email: context.email,
            sentAt: context.sentAt,
            respondedAt: now(),
            status,
          });
        },
      },
    ],
  });
  ctx.track(instance);
  /** @type {any} */
  const result = await instance;
  ctx.track(null);
  return { result, records, statuses };
}

/**
 * Waits (bounded) until every accepted recipient reached the sink: first until the sink counted
 * `expectedTotal` distinct recipients, then until none of `recipients` is missing.
 * @param {import('./sink').Sink} sink @param {string[]} recipients @param {number} timeoutMs
 * @param {number} expectedTotal
 * @returns {Promise<Map<string, number>>} the sink's arrivals
 */
async function drain(sink, recipients, timeoutMs, expectedTotal) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { received, duplicates } = await sink.count();
    if (received - duplicates >= expectedTotal || Date.now() >= deadline) {
      const arrivals = await sink.arrivals();
      const missing = recipients.filter((to) => !arrivals.has(to)).length;
      if (missing === 0 || Date.now() >= deadline) return arrivals;
    }
    await sleep(250);
  }
}

/**
 * The end-to-end run.
 * @param {EndToEndContext} ctx @param {EndToEndOptions} options
 */
async function runEndToEnd(ctx, options) {
  ctx.say(
    `  enrolling ${options.partners} partners (enrollment, emailed verification link, sign-in) …`,
  );
  const names = Array.from(
    { length: options.partners },
    (_, i) => `Bench Reseller ${String(i + 1).padStart(2, '0')}`,
  );
  const partners = await mapLimit(names, 4, (name) =>
    enrollPartner(ctx.urls, ctx.sink, { name, partnerType: 'indirect_reseller', runId: ctx.runId }),
  );
  const tokens = await mapLimit(partners, 4, (partner) => signIn(ctx.urls, partner));
  const refresh = setInterval(() => {
    void mapLimit(partners, 2, (partner) => signIn(ctx.urls, partner))
      .then((fresh) => fresh.forEach((token, i) => (tokens[i] = token)))
      .catch((error) => ctx.say(`  (token refresh failed: ${String(error)})`));
  }, TOKEN_REFRESH_MS);

  const counter = { next: 0 };
  /** @type {string[]} */
  const everAccepted = [];
  try {
    /** @type {{ seconds: number, accepted: number, cpu: import('./cpu').CpuFigures } | null} */
    let warmup = null;
    if (options.warmup > 0) {
      ctx.say(`  warm-up: ${options.warmup} s of the same load, then its emails …`);
      const warmMeter = startCpuMeter(ctx.processes);
      const warm = await fire(
        ctx,
        tokens,
        { connections: options.connections, duration: options.warmup, rate: options.rate },
        counter,
      );
      const warmAccepted = warm.records.filter((r) => r.status === 201).map((r) => r.email);
      everAccepted.push(...warmAccepted);
      await drain(ctx.sink, everAccepted, options.drainTimeoutMs, everAccepted.length);
      const warmCpu = await warmMeter.stop();
      warmup = { seconds: options.warmup, accepted: warmAccepted.length, cpu: warmCpu.groups };
    }

    // Requests 1 … warmupLast were the warm-up's, answered or not: the emails of those still in
    // flight when the warm-up stopped arrive too, and belong to neither the window nor its count.
    const warmupLast = counter.next;
    ctx.say(
      `  load: ${options.duration} s, ${options.connections} connections${options.rate ? ` at ${options.rate} requests/s` : ''}, ${options.partners} partners …`,
    );
    await ctx.onLoadStart?.();
    const countersBefore = await ctx.databaseCounters();
    const loadMeter = startCpuMeter(ctx.processes);
    const deliveryMeter = startCpuMeter(ctx.processes);
    const startedAt = now();
    const startedUs = monotonicUs();
    const load = await fire(
      ctx,
      tokens,
      { connections: options.connections, duration: options.duration, rate: options.rate },
      counter,
    );
    const loadEndedAt = now();
    const cpuDuringLoad = await loadMeter.stop();

    const accepted = load.records.filter((r) => r.status === 201);
    everAccepted.push(...accepted.map((r) => r.email));
    const arrivedAtLoadEnd = await ctx.sink.arrivals();
    ctx.say(`  load done: ${accepted.length} accepted; waiting for their emails …`);
    const arrivals = await drain(
      ctx.sink,
      accepted.map((r) => r.email),
      options.drainTimeoutMs,
      everAccepted.length,
    );
    const cpuUntilLastEmail = await deliveryMeter.stop();
    const countersAfter = await ctx.databaseCounters();
    const endedUs = monotonicUs();

    /** @type {number[]} */
    const inboxLatencies = [];
    let lastArrival = 0;
    let missing = 0;
    for (const record of accepted) {
      const at = arrivals.get(record.email);
      if (at === undefined) {
        missing += 1;
        continue;
      }
      inboxLatencies.push(at - record.respondedAt);
      lastArrival = Math.max(lastArrival, at);
    }
    const acceptedSet = new Set(everAccepted);
    let unexpected = 0;
    for (const to of arrivals.keys()) {
      if (!acceptedSet.has(to) && recipientNumber(to) > warmupLast) unexpected += 1;
    }
    const delivered = accepted.length - missing;
    const firstSent = Math.min(...load.records.map((r) => r.sentAt));
    const deliverySeconds = lastArrival > 0 ? (lastArrival - firstSent) / 1000 : null;
    const { duplicates } = await ctx.sink.count();
    const result = load.result;
    const apiSeconds = result.duration;
    return {
      partners: options.partners,
      connections: options.connections,
      rate: options.rate ?? null,
      durationSeconds: apiSeconds,
      warmup,
      api: {
        requests: load.records.length,
        accepted: accepted.length,
        requestsPerSec2xx: result['2xx'] / apiSeconds,
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        statuses: load.statuses,
        latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
      },
      delivery: {
        delivered,
        missing,
        duplicates,
        // Emails of requests whose answer was never read: in flight when the load stopped (or
        // timed out). The service accepted them; autocannon stopped listening.
        unreadAnswers: unexpected,
        backlogAtLoadEnd: accepted.filter((r) => !arrivedAtLoadEnd.has(r.email)).length,
        drainSeconds: lastArrival > 0 ? Math.max(0, (lastArrival - loadEndedAt) / 1000) : null,
        emailsPerSec: deliverySeconds ? delivered / deliverySeconds : null,
        windowSeconds: deliverySeconds,
        inboxLatencyMs: percentiles(inboxLatencies, [50, 99]),
      },
      cpuDuringLoad,
      cpuUntilLastEmail,
      // Per email sent in the window (accepted ones and those of answers never read).
      databasePerEmail: countersPerUnit(countersBefore, countersAfter, delivered + unexpected),
      window: { startedAt, loadEndedAt, lastArrival, fromUs: startedUs, toUs: endedUs },
    };
  } finally {
    clearInterval(refresh);
  }
}

module.exports = { runEndToEnd };
