// @ts-check
'use strict';
/**
 * The six failure drills and the run of one drill: N reseller relationship requests sent by a
 * few concurrent clients through the HTTP API, one fault injected once a third of them were
 * accepted and jobs wait in the queue (two thirds at the latest) and ended (a restart, or the end
 * of the SMTP downtime), the rest sent, then a bounded wait until every accepted invitation's
 * email reached the sink and the queue and outbox are empty, then the count (see `DrillResult`).
 */
const { randomUUID } = require('node:crypto');
const system = require('../system');
const { sendRelationshipRequest, waitHealthy } = require('./channel-api');
const { sleep } = require('./inspect');

/** A client whose request failed waits this long before its next one (no hammering a dead port). */
const FAILURE_PAUSE_MS = 1000;
/** How long the canary invitation before each drill may take (the system is idle then). */
const CANARY_TIMEOUT_MS = 60000;
/** The bar: every affected email arrives within this many seconds of the fault ending. */
const MAX_SECONDS_AFTER_FAULT = 30;
/**
 * Failures of a call that mean the instance is gone (refused, or the connection cut), as a load
 * balancer's passive health check sees them; a drill with `retryOnce` sends such a request once
 * more, to another instance. A timeout is not one of them (the instance may still be working).
 */
const CONNECTION_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

/**
 * @typedef {object} DrillOptions
 * @property {number} n                 invitations attempted per drill
 * @property {number} concurrency       concurrent HTTP clients
 * @property {number} smtpDownSeconds   drill 3's downtime
 * @property {number} timeoutSeconds    how long to wait for delivery after the fault ended and
 *                                      sending finished
 */

/**
 * @typedef {object} DrillContext
 * @property {string} runId
 * @property {import('../system').Settings} settings
 * @property {import('./redis-server').RedisServer} redis
 * @property {import('./smtp-sink').SmtpSink} sink
 * @property {import('./webhook-receiver').WebhookReceiver} receiver  the sending partner's
 *   webhook endpoint, subscribed to `reseller_relationship.requested` (the webhook column)
 * @property {import('./inspect').Inspector} inspect
 * @property {Record<import('../system').ServiceName, number | undefined>} pids  each service's
 *   current process (updated on every start), to tell a crash from a drill's own kill
 * @property {() => Promise<string>} token   a fresh access token of the sending partner
 * @property {DrillOptions} options
 * @property {(line: string) => void} log
 * @property {{ name: string, url: string }[]} [extraRelationships]  relationships instances
 *   beyond the first that a drill started (relationships-2, …)
 */

/**
 * @typedef {object} Fault
 * @property {string} description
 * @property {number} startAt     ms since the epoch
 * @property {number} endAt
 * @property {Record<string, unknown>} [details]
 * @property {number} [inFlight]  deliveries the fault itself found in flight (drill 4: worker
 *   transactions it cut), when it can tell better than the queue's active count read just before
 */

/**
 * @typedef {object} Drill
 * @property {string} id                 `1` … `5`
 * @property {string} label
 * @property {import('./redis-server').RedisPersistence} redisPersistence
 * @property {boolean} extrasPossible    whether the fault can kill a process between the SMTP
 *                                       server's acceptance and the delivery record
 * @property {(ctx: DrillContext) => Promise<Fault>} inject   starts and ends the fault
 * @property {number} [relationshipsInstances]  relationships instances the clients spread their
 *                                       requests over, in turn (default 1)
 * @property {boolean} [retryOnce]        a request that fails with a connection error is sent once
 *                                       more, to another instance, and the instance that failed
 *                                       leaves the rotation (a load balancer's passive check)
 * @property {boolean} [noRefusals]       the drill misses the bar when any request is refused
 */

/** Starts a service and records its pid. @param {DrillContext} ctx @param {import('../system').ServiceName} service */
async function startService(ctx, service) {
  ctx.pids[service] = (await system.startService(service, ctx.settings)).pid;
}

/** The services whose recorded process is no longer running. @param {DrillContext} ctx */
function deadServices(ctx) {
  const alive = new Set(system.runningPids());
  return system.SERVICES.filter((service) => !alive.has(/** @type {number} */ (ctx.pids[service])));
}

/** @param {DrillContext} ctx @param {import('../system').ServiceName} service */
async function killAndRestart(ctx, service) {
  const startAt = Date.now();
  await system.killProcess(service, 'SIGKILL');
  await startService(ctx, service);
  return { startAt, endAt: Date.now() };
}

/** @param {DrillContext} ctx */
async function killRedis(ctx) {
  const startAt = Date.now();
  await ctx.redis.kill('SIGKILL');
  await ctx.redis.start();
  return { startAt, endAt: Date.now() };
}

/** @type {Drill[]} */
const DRILLS = [
  {
    id: '1',
    label: 'notifications worker SIGKILL + restart',
    redisPersistence: 'aof',
    extrasPossible: true,
    inject: async (ctx) => ({
      description: 'SIGKILL notifications, start it again on its port',
      ...(await killAndRestart(ctx, 'notifications')),
    }),
  },
  {
    id: '2',
    label: 'Redis SIGKILL + restart (AOF everysec)',
    redisPersistence: 'aof',
    extrasPossible: true,
    inject: async (ctx) => ({
      description: 'SIGKILL redis-server, start it again on its port and AOF directory',
      ...(await killRedis(ctx)),
    }),
  },
  {
    id: '2',
    label: 'Redis SIGKILL + restart (no persistence)',
    redisPersistence: 'none',
    extrasPossible: true,
    inject: async (ctx) => ({
      description: 'SIGKILL redis-server (no persistence), start it again empty',
      ...(await killRedis(ctx)),
    }),
  },
  {
    id: '3',
    label: 'SMTP sink and webhook receiver down',
    redisPersistence: 'aof',
    extrasPossible: true,
    inject: async (ctx) => {
      const startAt = Date.now();
      await Promise.all([ctx.sink.stop(), ctx.receiver.stop()]);
      await sleep(ctx.options.smtpDownSeconds * 1000);
      await Promise.all([ctx.sink.start(), ctx.receiver.start()]);
      return {
        description: `SMTP sink and webhook receiver down for ${ctx.options.smtpDownSeconds} s (connections refused)`,
        startAt,
        endAt: Date.now(),
      };
    },
  },
  {
    id: '4',
    label: 'PostgreSQL connections terminated',
    redisPersistence: 'aof',
    extrasPossible: true,
    inject: async (ctx) => {
      const startAt = Date.now();
      const { terminated, workerTransactions } = await ctx.inspect.terminateServiceConnections();
      return {
        description: `pg_terminate_backend on the services' ${terminated} connections`,
        startAt,
        endAt: Date.now(),
        details: { terminated, workerTransactions },
        inFlight: workerTransactions,
      };
    },
  },
  {
    id: '6',
    label: 'one of two relationships SIGKILL',
    redisPersistence: 'aof',
    // No process of the delivery path dies; a relay killed between adding jobs and marking its
    // rows leaves them to the other instance, which adds the same jobIds (BullMQ ignores them).
    extrasPossible: false,
    relationshipsInstances: 2,
    retryOnce: true,
    noRefusals: true,
    inject: async (ctx) => {
      const startAt = Date.now();
      const victim = ctx.extraRelationships?.[0];
      if (!victim) throw new Error('drill 6 runs without its second relationships instance');
      await system.killProcess(victim.name, 'SIGKILL');
      ctx.extraRelationships = ctx.extraRelationships?.filter((extra) => extra !== victim);
      return {
        description: `SIGKILL ${victim.name} (${victim.url}), one of the two relationships instances the load goes to; not restarted`,
        startAt,
        endAt: Date.now(),
        details: { killed: victim.url },
      };
    },
  },
  {
    id: '5',
    label: 'relationships SIGKILL + restart',
    redisPersistence: 'aof',
    // The worker is not touched: a relay that dies between adding a job and marking its row adds
    // the same jobId again, which BullMQ ignores.
    extrasPossible: false,
    inject: async (ctx) => ({
      description: 'SIGKILL relationships, start it again on its port',
      ...(await killAndRestart(ctx, 'relationships')),
    }),
  },
];

/**
 * @typedef {object} DrillResult
 * @property {string} drill                 the drill's number
 * @property {string} label
 * @property {string} redisPersistence      `aof` or `none`
 * @property {number} attempted
 * @property {number} accepted              2xx answers
 * @property {number} refused               everything else (the fault's doing), after the one
 *                                          retry of a drill with `retryOnce`
 * @property {Record<string, number>} refusedBy  per outcome (`HTTP 503`, `ECONNREFUSED`, …)
 * @property {number | null} retried        requests sent a second time after a connection error
 *                                          (null: the drill does not retry)
 * @property {Record<string, number>} retriedBy  per first outcome
 * @property {number} delivered             distinct Message-IDs among accepted recipients
 * @property {number} extraCopies           copies of a Message-ID beyond the first
 * @property {number} extraCopiesAllowed    jobs in flight at the fault: the queue's active
 *                                          count just before it, or what the fault found (drill
 *                                          4), whichever is larger; 0 where no process of the
 *                                          delivery path dies
 * @property {number} inFlightAtFault       active jobs just before the fault
 * @property {number} queuedAtFault         jobs waiting (or delayed) just before the fault
 * @property {number} lost                  accepted recipients without an email
 * @property {number} recipientsWithSeveralIds  accepted recipients with two different Message-IDs
 * @property {number} deliveredToRefused    emails to recipients whose request was refused (the
 *                                          request committed although the answer did not arrive)
 * @property {number | null} maxSecondsAfterFaultEnd  the latest email of an accepted invitation,
 *                                          in seconds after the later of the fault's end and its
 *                                          acceptance (null when nothing arrived)
 * @property {number} faultSeconds          how long the fault lasted
 * @property {string} fault                 what was done
 * @property {Record<string, unknown>} faultDetails
 * @property {boolean} timedOut             the wait for delivery hit its bound
 * @property {string[]} crashed             services that died during the drill without being
 *                                          killed by it (restarted before the next drill)
 * @property {{ stages: Record<string, number>, examples: Record<string, string[]> } | null} lostDiagnosis
 * @property {number} webhooksDelivered     accepted invitations whose `reseller_relationship.requested` webhook
 *                                          reached the receiver, signature verified
 * @property {number} webhookDuplicates     messages whose `webhook-id` the receiver had already
 *                                          got (at least once: receivers deduplicate by it)
 * @property {number} webhooksLost          accepted invitations without a webhook
 * @property {string[]} duplicatedMessageIds  up to 10
 * @property {boolean} pass
 * @property {string[]} failures            why it did not pass
 */

/**
 * Runs one drill against the running system and counts what arrived.
 * @param {DrillContext} ctx @param {Drill} drill @returns {Promise<DrillResult>}
 */
async function runDrill(ctx, drill) {
  const { n, concurrency, timeoutSeconds } = ctx.options;
  const tag = `drill${drill.id}${drill.redisPersistence === 'none' ? 'np' : ''}`;
  const recipientOf = (/** @type {number} */ i) =>
    `${tag}-${String(i).padStart(5, '0')}.${ctx.runId}@customer-${ctx.runId}.example`;
  let token = await ctx.token();
  // The instances the clients send to, in turn; one that fails with a connection error leaves
  // the rotation (drill 6).
  const rotation = [
    system.urlOf(ctx.settings, 'relationships'),
    ...(drill.relationshipsInstances && drill.relationshipsInstances > 1
      ? (ctx.extraRelationships ?? []).map((extra) => extra.url)
      : []),
  ];
  let retried = 0;
  /** @type {Record<string, number>} */
  const retriedBy = {};
  /** @param {number} i @param {string} email */
  const send = async (i, email) => {
    const url = rotation[i % rotation.length] ?? system.urlOf(ctx.settings, 'relationships');
    // One MS-RequestId per invitation: the retry below carries the same one, so an attempt the
    // killed instance committed before its connection dropped is answered, not made twice.
    const requestId = randomUUID();
    const first = await sendRelationshipRequest(url, token, email, i % 2 === 0, requestId);
    if (first.ok || !drill.retryOnce || !CONNECTION_ERRORS.has(first.outcome)) return first;
    const at = rotation.indexOf(url);
    if (at >= 0 && rotation.length > 1) rotation.splice(at, 1);
    retried += 1;
    retriedBy[first.outcome] = (retriedBy[first.outcome] ?? 0) + 1;
    const other = rotation.find((candidate) => candidate !== url) ?? rotation[0] ?? url;
    return sendRelationshipRequest(other, token, email, i % 2 === 0, requestId);
  };

  /** @type {Map<string, Array<{ messageId: string | null, at: number }>>} */
  const received = new Map();
  const prefix = `${tag}-`;
  /** @type {Map<string, string[]>} recipient → webhook-ids received (one entry per copy) */
  const hooks = new Map();
  const unsubscribeHooks = ctx.receiver.onMessage((message) => {
    if (message.type !== 'reseller_relationship.requested' || !message.email?.startsWith(`${tag}-`))
      return;
    hooks.set(message.email, [...(hooks.get(message.email) ?? []), message.id]);
  });
  const unsubscribe = ctx.sink.onMessage((message) => {
    for (const to of message.to) {
      if (!to.startsWith(prefix)) continue;
      const list = received.get(to) ?? [];
      list.push({ messageId: message.messageId, at: message.at });
      received.set(to, list);
    }
  });

  /** @type {Map<string, number>} recipient → acceptedAt */
  const accepted = new Map();
  /** @type {Set<string>} */
  const refused = new Set();
  /** @type {Record<string, number>} */
  const refusedBy = {};
  // The fault comes once a third were accepted, at a moment when jobs wait in the queue (what a
  // fault can lose), or at two thirds whatever the queue holds.
  const threshold = Math.max(1, Math.ceil(n / 3));
  const latest = Math.max(threshold, Math.floor((2 * n) / 3));
  let next = 0;
  let inFlightAtFault = 0;
  let queuedAtFault = 0;
  let checking = false;
  /** @type {Promise<Fault> | null} */
  let faultRun = null;
  const startFault = async () => {
    ctx.log(
      `  fault after ${accepted.size} accepted (${inFlightAtFault} job(s) in flight, ${queuedAtFault} queued): ${drill.label}`,
    );
    const fault = await drill.inject(ctx);
    ctx.log(`  fault ended after ${((fault.endAt - fault.startAt) / 1000).toFixed(1)} s`);
    return fault;
  };
  const readQueue = async () => {
    const counts = await ctx.inspect.jobCounts();
    inFlightAtFault = counts?.active ?? 0;
    queuedAtFault = counts ? counts.waiting + counts.delayed + counts.prioritized : 0;
  };
  const maybeStartFault = async () => {
    if (faultRun || checking || accepted.size < threshold) return;
    checking = true;
    await readQueue();
    checking = false;
    if (!faultRun && (queuedAtFault > 0 || accepted.size >= latest)) faultRun = startFault();
  };

  ctx.log(`  sending ${n} invitations with ${concurrency} clients …`);
  const client = async () => {
    while (next < n) {
      const i = next++;
      const email = recipientOf(i);
      const result = await send(i, email);
      if (result.ok) {
        accepted.set(email, Date.now());
        await maybeStartFault();
      } else {
        refused.add(email);
        refusedBy[result.outcome] = (refusedBy[result.outcome] ?? 0) + 1;
        await sleep(FAILURE_PAUSE_MS);
        // A Redis that lost its data lost the revocation list too: tokens issued before are
        // refused once (README "Sign-in and tokens"), so the client signs in again, as a real one
        // would refresh.
        if (result.status === 401) token = await ctx.token().catch(() => token);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, () => client()));
  const sentAt = Date.now();
  ctx.log(`  sent: ${accepted.size} accepted, ${refused.size} refused`);
  if (!faultRun) {
    await readQueue();
    faultRun = startFault();
  }
  const fault = await faultRun;

  // Bounded wait: every accepted recipient has an email and nothing is left in the queue or the
  // outbox (a retry still waiting could yet send an extra copy), or the timeout.
  const deadline = Math.max(fault.endAt, sentAt) + timeoutSeconds * 1000;
  const allDelivered = () =>
    [...accepted.keys()].every((email) => received.has(email) && hooks.has(email));
  let timedOut = true;
  while (Date.now() < deadline) {
    if (
      allDelivered() &&
      (await ctx.inspect.pendingWork()) === 0 &&
      (await ctx.inspect.pendingWebhooks()) === 0
    ) {
      timedOut = false;
      break;
    }
    await sleep(250);
  }
  if (timedOut) ctx.log(`  still incomplete ${timeoutSeconds} s after the fault and sending ended`);
  unsubscribe();
  unsubscribeHooks();
  const crashed = deadServices(ctx);
  if (crashed.length > 0)
    ctx.log(`  crashed during the drill: ${crashed.join(', ')} (see the log)`);

  let delivered = 0;
  let extraCopies = 0;
  let recipientsWithSeveralIds = 0;
  let maxAfter = /** @type {number | null} */ (null);
  /** @type {string[]} */
  const lostRecipients = [];
  /** @type {string[]} */
  const duplicatedMessageIds = [];
  for (const [email, acceptedAt] of accepted) {
    const copies = received.get(email) ?? [];
    if (copies.length === 0) {
      lostRecipients.push(email);
      continue;
    }
    const ids = new Set(copies.map((copy) => copy.messageId ?? `(none ${copy.at})`));
    delivered += ids.size;
    extraCopies += copies.length - ids.size;
    if (ids.size > 1) recipientsWithSeveralIds += 1;
    if (copies.length > ids.size && duplicatedMessageIds.length < 10) {
      duplicatedMessageIds.push(...[...ids].slice(0, 10 - duplicatedMessageIds.length));
    }
    const first = Math.min(...copies.map((copy) => copy.at));
    const after = Math.max(0, (first - Math.max(fault.endAt, acceptedAt)) / 1000);
    maxAfter = maxAfter === null ? after : Math.max(maxAfter, after);
  }
  if (maxAfter !== null) maxAfter = Math.round(maxAfter * 10) / 10;
  let webhooksDelivered = 0;
  let webhookDuplicates = 0;
  for (const email of accepted.keys()) {
    const ids = hooks.get(email) ?? [];
    if (ids.length > 0) webhooksDelivered += 1;
    webhookDuplicates += ids.length - new Set(ids).size;
  }
  const webhooksLost = accepted.size - webhooksDelivered;
  let deliveredToRefused = 0;
  for (const email of refused) if (received.has(email)) deliveredToRefused += 1;

  const extraCopiesAllowed = drill.extrasPossible
    ? Math.max(inFlightAtFault, fault.inFlight ?? 0)
    : 0;
  /** @type {string[]} */
  const failures = [];
  if (crashed.length > 0) failures.push(`${crashed.join(', ')} crashed`);
  if (drill.noRefusals && refused.size > 0) failures.push(`${refused.size} refused`);
  if (accepted.size === 0) failures.push('no invitation was accepted');
  if (delivered !== accepted.size)
    failures.push(`delivered ${delivered} ≠ accepted ${accepted.size}`);
  if (lostRecipients.length > 0) failures.push(`${lostRecipients.length} lost`);
  if (recipientsWithSeveralIds > 0) {
    failures.push(`${recipientsWithSeveralIds} recipient(s) got different Message-IDs`);
  }
  if (extraCopies > extraCopiesAllowed) {
    failures.push(`${extraCopies} extra copies > ${extraCopiesAllowed} in flight at the fault`);
  }
  if (webhooksLost > 0) failures.push(`${webhooksLost} webhook(s) lost`);
  if (maxAfter !== null && maxAfter > MAX_SECONDS_AFTER_FAULT) {
    failures.push(`last email ${maxAfter} s after the fault ended`);
  }

  const lostDiagnosis =
    lostRecipients.length > 0 ? await ctx.inspect.diagnose(lostRecipients).catch(() => null) : null;

  return {
    drill: drill.id,
    label: drill.label,
    redisPersistence: drill.redisPersistence,
    attempted: n,
    accepted: accepted.size,
    refused: refused.size,
    refusedBy,
    retried: drill.retryOnce ? retried : null,
    retriedBy,
    delivered,
    extraCopies,
    extraCopiesAllowed,
    inFlightAtFault,
    queuedAtFault,
    lost: lostRecipients.length,
    recipientsWithSeveralIds,
    deliveredToRefused,
    maxSecondsAfterFaultEnd: maxAfter,
    faultSeconds: Math.round((fault.endAt - fault.startAt) / 100) / 10,
    fault: fault.description,
    faultDetails: fault.details ?? {},
    timedOut,
    crashed,
    lostDiagnosis,
    webhooksDelivered,
    webhookDuplicates,
    webhooksLost,
    duplicatedMessageIds,
    pass: failures.length === 0,
    failures,
  };
}

/**
 * Before a drill: Redis in the drill's persistence mode (a clean restart when it changes), a
 * service that crashed in an earlier drill started again, every service healthy, and one canary
 * invitation delivered end to end (a worker that has not resumed consuming after a Redis restart
 * is healthy but would let the drill's first jobs wait).
 * @param {DrillContext} ctx @param {Drill} drill
 */
async function prepare(ctx, drill) {
  if (ctx.redis.persistence !== drill.redisPersistence || !ctx.redis.child) {
    ctx.log(`  restarting Redis with persistence: ${drill.redisPersistence}`);
    await ctx.redis.stop();
    await ctx.redis.start(drill.redisPersistence);
  }
  for (const service of deadServices(ctx)) {
    ctx.log(`  starting ${service} again (it crashed earlier)`);
    await startService(ctx, service);
  }
  // Relationships instances beyond the first: as many as the drill wants, no more.
  const wanted = Math.max(0, (drill.relationshipsInstances ?? 1) - 1);
  const extras = ctx.extraRelationships ?? [];
  while (extras.length > wanted) {
    const extra = /** @type {{ name: string, url: string }} */ (extras.pop());
    await system.killProcess(extra.name, 'SIGTERM');
  }
  while (extras.length < wanted) {
    const started = await system.startInstance(
      'relationships',
      ctx.settings,
      extras.length + 2,
      await system.freePort(ctx.settings.host),
    );
    ctx.log(`  started ${started.name} at ${started.url}`);
    extras.push({ name: started.name, url: started.url });
  }
  ctx.extraRelationships = extras;
  for (const service of system.SERVICES) {
    if (!(await waitHealthy(system.urlOf(ctx.settings, service)))) {
      throw new Error(`${service} is not healthy before drill ${drill.id}; see its log.`);
    }
  }
  const canary = `canary-${drill.id}${drill.redisPersistence === 'none' ? 'np' : ''}.${ctx.runId}@customer-${ctx.runId}.example`;
  const startedAt = Date.now();
  const sent = await sendRelationshipRequest(
    system.urlOf(ctx.settings, 'relationships'),
    await ctx.token(),
    canary,
    false,
    randomUUID(),
  );
  if (!sent.ok) throw new Error(`The canary invitation before drill ${drill.id}: ${sent.outcome}.`);
  while (!ctx.sink.messages.some((message) => message.to.includes(canary))) {
    if (Date.now() - startedAt > CANARY_TIMEOUT_MS) {
      throw new Error(
        `The canary invitation before drill ${drill.id} was not delivered within ${CANARY_TIMEOUT_MS / 1000} s.`,
      );
    }
    await sleep(100);
  }
  ctx.log(`  canary invitation delivered in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
}

module.exports = { DRILLS, runDrill, prepare, startService, MAX_SECONDS_AFTER_FAULT };
