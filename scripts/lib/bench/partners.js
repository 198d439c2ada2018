// @ts-check
'use strict';
/**
 * The partners a benchmark needs, made through the API as a user would (seed 004, as
 * test/e2e/support/flows.ts does): `POST /v1/enrollments` with the primary contact on a company
 * domain, the verification link from the email the sink received, `POST /v1/enrollments/verify`
 * (the bench system auto-approves at verification, so the partner is `active`), and the Global
 * admin's sign-in. A 429 (sign-in throttling) is waited out as its `Retry-After` says.
 */
const { randomBytes, randomInt } = require('node:crypto');
const { linkIn } = require('./sink');

const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A JSON request; answers `{ status, body }`. Retries a 429 after its `Retry-After` (at most
 * `retries` times).
 * @param {string} url @param {string} method
 * @param {{ token?: string, body?: unknown, retries?: number }} [options]
 * @returns {Promise<{ status: number, body: any }>}
 */
async function request(url, method, options = {}) {
  const retries = options.retries ?? 10;
  for (let attempt = 0; ; attempt += 1) {
    const response = await fetch(url, {
      method,
      headers: {
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    if (response.status === 429 && attempt < retries) {
      const wait = Number(response.headers.get('retry-after'));
      await sleep(Number.isFinite(wait) && wait > 0 ? Math.min(wait, 120) * 1000 : 2000);
      continue;
    }
    let body;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    return { status: response.status, body };
  }
}

/**
 * {@link request}, which must answer `expected`.
 * @param {string} url @param {string} method
 * @param {{ token?: string, body?: unknown }} [options] @param {number} [expected]
 */
async function expectOk(url, method, options = {}, expected = 200) {
  const res = await request(url, method, options);
  if (res.status !== expected) {
    throw new Error(
      `${method} ${url} answered ${res.status} (expected ${expected}): ${JSON.stringify(res.body).slice(0, 500)}`,
    );
  }
  return res.body;
}

/**
 * @typedef {object} BenchPartner
 * @property {string} tenantId
 * @property {string} name
 * @property {string} mpnId
 * @property {string} email
 * @property {string} password
 * @property {string} partnerType
 */

/**
 * Enrolls, verifies and activates one partner in the US public cloud.
 * @param {{ identity: string }} urls
 * @param {import('./sink').Sink} sink
 * @param {{ name: string, partnerType: 'direct' | 'indirect_provider' | 'indirect_reseller', runId: string }} options
 * @returns {Promise<BenchPartner>}
 */
async function enrollPartner(urls, sink, options) {
  const slug = options.name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const domain = `${slug}-${options.runId}.example`;
  const email = `admin@${domain}`;
  const password = `Bench-${randomBytes(9).toString('base64url')}-9a`;
  const mpnId = String(randomInt(1_000_000_000, 10_000_000_000));
  const enrolled = await expectOk(
    `${urls.identity}/v1/enrollments`,
    'POST',
    {
      body: {
        legalBusinessName: options.name,
        address: {
          addressLine1: '1 Main Street',
          city: 'Redmond',
          postalCode: '98052',
          country: 'US',
        },
        cloud: 'public',
        partnerType: options.partnerType,
        mpnId,
        primaryContact: { name: 'Pat Primary', email, phone: '+1 425 555 0100' },
        supportContact: { name: 'Sam Support', email: `support@${domain}` },
        globalAdmin: { firstName: 'Alex', lastName: 'Admin', email, password },
      },
    },
    201,
  );
  const link = new URL(await linkIn(await sink.waitForMail(email, 60_000)));
  const token = link.searchParams.get('token');
  const verified = await expectOk(`${urls.identity}/v1/enrollments/verify`, 'POST', {
    body: { token },
  });
  if (verified.status !== 'active') {
    throw new Error(`${options.name} is ${String(verified.status)} after verification, not active`);
  }
  return {
    tenantId: enrolled.tenantId,
    name: options.name,
    mpnId,
    email,
    password,
    partnerType: options.partnerType,
  };
}

/**
 * An access token of the partner's Global admin (`POST /v1/auth/token`).
 * @param {{ identity: string }} urls @param {{ email: string, password: string }} partner
 * @returns {Promise<string>}
 */
async function signIn(urls, partner) {
  const session = await expectOk(`${urls.identity}/v1/auth/token`, 'POST', {
    body: { email: partner.email, password: partner.password },
  });
  return session.accessToken;
}

/**
 * Runs `work` over `items` with at most `limit` at a time, in order of the items.
 * @template T, R
 * @param {T[]} items @param {number} limit @param {(item: T, index: number) => Promise<R>} work
 * @returns {Promise<R[]>}
 */
async function mapLimit(items, limit, work) {
  /** @type {R[]} */
  const results = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index], index);
    }
  });
  await Promise.all(lanes);
  return results;
}

module.exports = { request, expectOk, enrollPartner, signIn, mapLimit, sleep };
