// @ts-check
'use strict';
/**
 * The HTTP calls a drill makes, as a partner would: enroll an indirect reseller (verified through
 * the link in the email the sink received; the drill's system auto-approves at verification), sign
 * its Global admin in, and send reseller relationship requests (seeds 000/001).
 */
const { randomBytes, randomInt } = require('node:crypto');
const { textOf } = require('../bench/sink');

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * @typedef {object} CallResult
 * @property {boolean} ok        a 2xx answer
 * @property {number | null} status
 * @property {string} outcome    `2xx` / `HTTP <status>` / the network error code (`ECONNREFUSED`,
 *                               `ECONNRESET`, `timeout`, …)
 * @property {any} body
 */

/**
 * The code of a failed fetch: the underlying socket error's code, or `timeout`.
 * @param {unknown} error
 */
function failureCode(error) {
  const err =
    /** @type {{ name?: string, code?: string, cause?: { code?: string, name?: string } }} */ (
      error ?? {}
    );
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'timeout';
  return err.cause?.code ?? err.code ?? err.cause?.name ?? err.name ?? 'network error';
}

/**
 * One JSON call. Never throws: a network failure is a result with `status: null`.
 * @param {string} baseUrl @param {string} method @param {string} route
 * @param {{ token?: string, body?: unknown, timeoutMs?: number, requestId?: string }} [options]
 * @returns {Promise<CallResult>}
 */
async function call(baseUrl, method, route, options = {}) {
  try {
    const response = await fetch(`${baseUrl}${route}`, {
      method,
      headers: {
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.requestId ? { 'ms-requestid': options.requestId } : {}),
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30000),
    });
    const text = await response.text();
    let body;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    return {
      ok: response.ok,
      status: response.status,
      outcome: response.ok ? '2xx' : `HTTP ${response.status}`,
      body,
    };
  } catch (error) {
    return { ok: false, status: null, outcome: failureCode(error), body: undefined };
  }
}

/** @param {CallResult} result @param {string} what */
function expectOk(result, what) {
  if (!result.ok) {
    const detail = typeof result.body === 'string' ? result.body : JSON.stringify(result.body);
    throw new Error(`${what} answered ${result.outcome}: ${(detail ?? '').slice(0, 500)}`);
  }
  return result.body;
}

/**
 * The verification link in a raw message (parsed with mailparser: its parts may be base64 or
 * quoted-printable).
 * @param {string} raw
 * @returns {Promise<string | null>}
 */
async function verificationLinkIn(raw) {
  const text = await textOf(raw);
  const match = /https?:\/\/[^\s"<>]+\/v1\/enrollments\/verify\?token=[A-Za-z0-9_-]+/.exec(text);
  return match ? match[0] : null;
}

/**
 * `POST /v1/auth/token` within `organization` (sign-in names are per organisation); the access
 * token.
 * @param {string} identityUrl @param {string} email @param {string} password
 * @param {string} organization  the tenant id
 * @returns {Promise<string>}
 */
async function signIn(identityUrl, email, password, organization) {
  const body = expectOk(
    await call(identityUrl, 'POST', '/v1/auth/token', { body: { email, password, organization } }),
    'POST /v1/auth/token',
  );
  return body.accessToken;
}

/**
 * @typedef {object} Partner
 * @property {string} tenantId
 * @property {string} email
 * @property {string} password
 * @property {string} token  an access token of its Global admin
 */

/**
 * Enrolls an indirect reseller in the US public cloud (seed 004) and verifies its primary contact
 * through the link of the email the sink received, then signs its Global admin in.
 * @param {{ identity: string }} urls
 * @param {import('./smtp-sink').SmtpSink} sink  must keep the raw message to this partner's address
 * @param {string} runId
 * @returns {Promise<Partner>}
 */
async function enrollReseller(urls, sink, runId) {
  const company = `fabrikam-drill-${runId}`;
  const email = `admin.${runId}@${company}.example`;
  const password = `Drill-${randomBytes(9).toString('base64url')}-9a`;
  const enrolled = expectOk(
    await call(urls.identity, 'POST', '/v1/enrollments', {
      body: {
        legalBusinessName: `Fabrikam Drill ${runId}`,
        address: {
          addressLine1: '1 Main Street',
          city: 'Redmond',
          postalCode: '98052',
          country: 'US',
        },
        cloud: 'public',
        partnerType: 'indirect_reseller',
        mpnId: String(randomInt(1_000_000_000, 10_000_000_000)),
        primaryContact: { name: 'Pat Primary', email, phone: '+1 425 555 0100' },
        supportContact: { name: 'Sam Support', email: `support.${runId}@${company}.example` },
        globalAdmin: { firstName: 'Alex', lastName: 'Admin', email, password },
      },
    }),
    'POST /v1/enrollments',
  );
  const deadline = Date.now() + 30000;
  let link = null;
  while (!link && Date.now() < deadline) {
    const message = sink.messages.find((m) => m.to.includes(email) && m.raw);
    link = message?.raw ? await verificationLinkIn(message.raw) : null;
    if (!link) await sleep(200);
  }
  if (!link) throw new Error(`No verification email with a link reached ${email} within 30 s.`);
  // The link's page only shows a button (issue 9 point 14); its JSON form verifies, and so also
  // proves the Global admin's address (it is the primary contact's).
  const token = new URL(link).searchParams.get('token');
  const verified = await call(urls.identity, 'POST', '/v1/enrollments/verify', {
    body: { token },
  });
  if (!verified.ok)
    throw new Error(`Following the verification link answered ${verified.outcome}.`);
  return {
    tenantId: enrolled.tenantId,
    email,
    password,
    token: await signIn(urls.identity, email, password, enrolled.tenantId),
  };
}

/**
 * `POST /v1/customers/relationship-requests { email, delegatedAdmin }` (seeds 000/001): the
 * invitation the drills count, sent with `requestId` as its `MS-RequestId` as a Partner Center
 * client does ("on timeout retry with the same value"): a retry with the same id is answered the
 * first attempt's request when that one was made, and never makes a second.
 * @param {string} relationshipsUrl @param {string} token @param {string} email
 * @param {boolean} delegatedAdmin @param {string} requestId
 */
function sendRelationshipRequest(relationshipsUrl, token, email, delegatedAdmin, requestId) {
  return call(relationshipsUrl, 'POST', '/v1/customers/relationship-requests', {
    token,
    requestId,
    body: { email, delegatedAdmin },
  });
}

/**
 * Polls `GET <url>/health` until it answers 200 or `timeoutMs` passes.
 * @param {string} url @returns {Promise<boolean>}
 */
async function waitHealthy(url, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await call(url, 'GET', '/health', { timeoutMs: 2000 })).ok) return true;
    await sleep(250);
  }
  return false;
}

module.exports = {
  call,
  signIn,
  enrollReseller,
  sendRelationshipRequest,
  verificationLinkIn,
  waitHealthy,
};
