// @ts-check
'use strict';
/**
 * The sign-up flood: does a flood of public password hashes slow sign-in? Sign-in latency is
 * measured from one client, sequentially, first alone and then while N customer sign-ups
 * (`POST /v1/customer-signups`, each one argon2id hash of the admin's password) arrive at once,
 * for each setting of identity's public hashing lane (identity restarted with it):
 *
 * - `unbounded`: `PUBLIC_HASHING_CONCURRENCY=64`, queue 10000: every sign-up hashes as soon as it
 *   arrives, as before the lane existed (then the hash also ran inside the sign-up's transaction);
 * - `one at a time, all queued`: concurrency 1, a queue as long as the flood: every sign-up is
 *   served, in turn;
 * - `one at a time, default queue`: concurrency 1, queue 16 (the defaults): what does not fit is
 *   answered 503 `service.busy` at once.
 *
 * The per-address limits are lifted (the bench system's settings), so the figure is the lane's
 * alone. Figures: sign-in p50/p99 alone and during the flood, the flood's answers by status and
 * how long it took.
 */
const { performance } = require('node:perf_hooks');
const { randomBytes } = require('node:crypto');
const { percentiles } = require('./stats');
const { linkIn } = require('./sink');
const { URLSearchParams } = require('node:url');

/**
 * @typedef {object} FloodOptions
 * @property {number} signUps   sign-ups sent at once
 * @property {number} signIns   sequential sign-ins measured alone
 */

/**
 * @typedef {object} FloodContext
 * @property {string} runId
 * @property {(to: string, timeoutMs?: number) => Promise<string>} waitForMail  the raw message
 *   the SMTP sink received for `to` (the bench's own user verifies its address through it)
 * @property {(env: Record<string, string>) => Promise<string>} restartIdentity  restarts identity
 *   with these variables on top of its settings; answers its URL
 * @property {(line: string) => void} say
 */

/** The lane settings compared, in order. @param {number} signUps */
function variants(signUps) {
  return [
    {
      name: 'unbounded (as before the lane)',
      env: { PUBLIC_HASHING_CONCURRENCY: '64', PUBLIC_HASHING_QUEUE: '10000' },
    },
    {
      name: 'one at a time, all queued',
      env: { PUBLIC_HASHING_CONCURRENCY: '1', PUBLIC_HASHING_QUEUE: String(signUps) },
    },
    {
      name: 'one at a time, default queue (16)',
      env: { PUBLIC_HASHING_CONCURRENCY: '1', PUBLIC_HASHING_QUEUE: '16' },
    },
  ];
}

/** A customer sign-up body with a unique domain prefix and admin. @param {string} tag */
function signUpBody(tag) {
  const id = `${tag}${randomBytes(5).toString('hex')}`;
  return {
    companyName: `Flood ${id}`,
    address: {
      addressLine1: '1 Main Street',
      city: 'Springfield',
      postalCode: '12345',
      country: 'US',
    },
    country: 'US',
    cloud: 'public',
    domainPrefix: `flood${id}`.toLowerCase(),
    globalAdmin: {
      firstName: 'Flo',
      lastName: 'Od',
      email: `admin.${id}@flood-${id}.example`.toLowerCase(),
      password: `Pw-${randomBytes(9).toString('base64url')}-9a`,
    },
  };
}

/** @param {string} url @param {unknown} body */
async function postJson(url, body) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(120_000),
  });
  await response.arrayBuffer();
  return response.status;
}

/**
 * One timed sign-in; throws unless it answers 200.
 * @param {string} identity @param {{ email: string, password: string }} user
 */
async function timedSignIn(identity, user) {
  const start = performance.now();
  const status = await postJson(`${identity}/v1/auth/token`, user);
  const elapsed = performance.now() - start;
  if (status !== 200) throw new Error(`sign-in answered ${status} during the flood bench`);
  return elapsed;
}

/**
 * The bench's own user proves its sign-in address (issue 9 point 7: no sign-in before): the token
 * of the verification link the sink received, posted as the link page's button does.
 * @param {FloodContext} ctx @param {string} identity @param {string} email
 */
async function verifyAddress(ctx, identity, email) {
  const token = new URL(await linkIn(await ctx.waitForMail(email, 60_000))).searchParams.get(
    'token',
  );
  const response = await fetch(`${identity}/v1/auth/email-verification`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: token ?? '' }).toString(),
    signal: AbortSignal.timeout(30_000),
  });
  await response.arrayBuffer();
  if (response.status !== 200) {
    throw new Error(`the flood bench's address verification answered ${response.status}`);
  }
}

/** @param {number[]} samples */
function summary(samples) {
  const p = percentiles(samples, [50, 99]);
  return { samples: samples.length, p50: p.p50, p99: p.p99 };
}

/**
 * @param {FloodContext} ctx @param {FloodOptions} options
 */
async function runFlood(ctx, options) {
  /** @type {any[]} */
  const rows = [];
  for (const variant of variants(options.signUps)) {
    ctx.say(
      `  ${variant.name}: restarting identity (${Object.entries(variant.env)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}) …`,
    );
    const identity = await ctx.restartIdentity(variant.env);
    const body = signUpBody(`${ctx.runId}u`);
    const created = await postJson(`${identity}/v1/customer-signups`, body);
    if (created !== 201) throw new Error(`the flood bench's own sign-up answered ${created}`);
    const user = { email: body.globalAdmin.email, password: body.globalAdmin.password };
    await verifyAddress(ctx, identity, user.email);
    for (let i = 0; i < 5; i += 1) await timedSignIn(identity, user); // warm-up
    /** @type {number[]} */
    const alone = [];
    for (let i = 0; i < options.signIns; i += 1) alone.push(await timedSignIn(identity, user));

    /** @type {Record<string, number>} */
    const statuses = {};
    let settled = 0;
    const floodStart = performance.now();
    const flood = Array.from({ length: options.signUps }, (_, i) =>
      postJson(`${identity}/v1/customer-signups`, signUpBody(`${ctx.runId}f${i}`))
        .catch(() => 0)
        .then((status) => {
          statuses[String(status)] = (statuses[String(status)] ?? 0) + 1;
          settled += 1;
        }),
    );
    /** @type {number[]} */
    const during = [];
    while (settled < options.signUps) during.push(await timedSignIn(identity, user));
    await Promise.all(flood);
    const floodSeconds = (performance.now() - floodStart) / 1000;
    rows.push({
      variant: variant.name,
      env: variant.env,
      alone: summary(alone),
      during: summary(during),
      flood: { signUps: options.signUps, statuses, seconds: floodSeconds },
    });
    const last = rows[rows.length - 1];
    ctx.say(
      `    sign-in p50/p99 alone ${last.alone.p50.toFixed(1)}/${last.alone.p99.toFixed(1)} ms, during the flood ${last.during.p50?.toFixed(1)}/${last.during.p99?.toFixed(1)} ms (${during.length} sign-ins); flood ${JSON.stringify(statuses)} in ${floodSeconds.toFixed(1)} s`,
    );
  }
  return { signUps: options.signUps, variants: rows };
}

module.exports = { runFlood, variants };
