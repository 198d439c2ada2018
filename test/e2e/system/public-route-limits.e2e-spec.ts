import { randomInt } from 'node:crypto';
import http from 'node:http';
import request, { type Response } from 'supertest';
import {
  expectApiError,
  signUpCustomer,
  startExtraInstance,
  strongPassword,
  uniqueEmail,
  type ExtraInstance,
  type HarnessSettings,
  errorCode,
} from '../support';
import { LIMITED_ROUTES, clientAddress, type LimitedRouteCall } from '../support/route-limits';
import { declaredRoutes, type DeclaredRoute } from '../support/routes';

/**
 * Anonymous traffic against the public routes, from the attacker's side (issue 9 point 12). Each
 * rate-limited public route is driven past its limits on extra instances with strict ones (the
 * harness's own are high for the other suites): one client address over its per-address limit is
 * refused with 429 `request.throttled` and `Retry-After` while another address is not; one target
 * (an email, a domain, a link's token) over its per-target limit is refused from any address
 * while another target is not. The invitation pages sign their visitors in through identity with
 * each visitor's own address, so visitors no longer share the relationships server's one bucket;
 * an address identity does not trust cannot leave its bucket by forging `X-Forwarded-For`.
 */

/**
 * `POST url` with a JSON body from the local address `source` (a connection from another loopback
 * address), claiming `forwardedFor` in `X-Forwarded-For`.
 */
function postFrom(
  source: string,
  url: string,
  forwardedFor: string,
  body: unknown,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: { code?: string } }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = http.request(
      url,
      {
        method: 'POST',
        localAddress: source,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          'x-forwarded-for': forwardedFor,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: JSON.parse(text) as { code?: string },
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const STRICT = { addressLimit: 3, targetLimit: 2, windowSeconds: 60 };

/** Asserts a 429 with `Retry-After` equal to `data.retryAfterSeconds`, within `1..max`. */
function expectRetryAfter(response: Response, code: string, max: number): string {
  const body = expectApiError(response, 429, code);
  const header = Number(response.headers['retry-after']);
  expect(Number.isInteger(header)).toBe(true);
  expect(header).toBeGreaterThanOrEqual(1);
  expect(header).toBeLessThanOrEqual(max);
  expect(body.data).toEqual([{ retryAfterSeconds: header }]);
  return body.description;
}

/** Asserts that a request was let through the limits: any answer but 429 (and never a 5xx). */
function expectNotThrottled(response: Response, what: string): void {
  if (response.status === 429 || response.status >= 500) {
    throw new Error(
      `${what}: expected an answer within the limits, got ${response.status}: ${response.text}`,
    );
  }
}

/** The declared targets of a route as the table keys them (`body.<path>`, `query.<path>`). */
function declaredTargets(route: DeclaredRoute): string[] {
  const limits = route.rateLimits;
  if (!limits || !('tier' in limits)) return [];
  return [
    ...(limits.targets.body ?? []).map((path) => `body.${path}`),
    ...(limits.targets.query ?? []).map((path) => `query.${path}`),
  ].sort();
}

function freshValues(call: LimitedRouteCall): Record<string, string> {
  return Object.fromEntries(Object.entries(call.targets).map(([key, fresh]) => [key, fresh()]));
}

const strictPublic = (settings: HarnessSettings): Partial<HarnessSettings> => ({
  publicRoutes: { ...settings.publicRoutes, ...STRICT },
});

let identity: ExtraInstance | undefined;
let relationships: ExtraInstance | undefined;
const urls: Record<LimitedRouteCall['service'], string> = { identity: '', relationships: '' };

beforeAll(async () => {
  [identity, relationships] = await Promise.all([
    startExtraInstance('identity', strictPublic),
    startExtraInstance('relationships', strictPublic),
  ]);
  urls.identity = identity.url;
  urls.relationships = relationships.url;
}, 120_000);

afterAll(async () => {
  await Promise.all([identity?.stop(), relationships?.stop()]);
}, 30_000);

describe('public route limits', () => {
  it('has an entry for every rate-limited public route, with the targets it declares', async () => {
    const routes = [
      ...(await declaredRoutes('identity')),
      ...(await declaredRoutes('relationships')),
    ].filter(
      (route) =>
        route.rateLimits && 'tier' in route.rateLimits && route.rateLimits.tier === 'public',
    );
    expect(routes.map((route) => route.key).sort()).toEqual(Object.keys(LIMITED_ROUTES).sort());
    for (const route of routes) {
      expect({
        route: route.key,
        targets: Object.keys(LIMITED_ROUTES[route.key].targets).sort(),
      }).toEqual({
        route: route.key,
        targets: declaredTargets(route),
      });
      expect(LIMITED_ROUTES[route.key].service).toBe(route.service);
    }
  });

  describe.each(Object.entries(LIMITED_ROUTES))('%s', (_key, call) => {
    it('refuses one client address over its limit with 429 and Retry-After; another address is not affected', async () => {
      const base = urls[call.service];
      const address = clientAddress();
      for (let i = 1; i <= STRICT.addressLimit; i += 1) {
        expectNotThrottled(
          await call.send(base, address, freshValues(call)),
          `request ${i} of one address`,
        );
      }
      const description = expectRetryAfter(
        await call.send(base, address, freshValues(call)),
        'request.throttled',
        STRICT.windowSeconds,
      );
      expect(description).toMatch(/from your address/);
      // Still refused, whatever it names; another address goes through.
      expectRetryAfter(
        await call.send(base, address, freshValues(call)),
        'request.throttled',
        STRICT.windowSeconds,
      );
      expectNotThrottled(
        await call.send(base, clientAddress(), freshValues(call)),
        'another address',
      );
    });

    // A route that names no target (a page of public text) has only the per-address limit.
    const targets = Object.keys(call.targets);
    if (targets.length > 0)
      it.each(targets)(
        'refuses one %s over its limit from any address with 429 and Retry-After; another value is not affected',
        async (target) => {
          const base = urls[call.service];
          const fixed = call.targets[target]();
          const naming = (value: string) => ({ ...freshValues(call), [target]: value });
          for (let i = 1; i <= STRICT.targetLimit; i += 1) {
            expectNotThrottled(
              await call.send(base, clientAddress(), naming(fixed)),
              `request ${i} naming one ${target}`,
            );
          }
          const description = expectRetryAfter(
            await call.send(base, clientAddress(), naming(fixed)),
            'request.throttled',
            STRICT.windowSeconds,
          );
          expect(description).toMatch(/same email address, domain or link/);
          // The same target in another case is the same target.
          expectRetryAfter(
            await call.send(base, clientAddress(), naming(fixed.toUpperCase())),
            'request.throttled',
            STRICT.windowSeconds,
          );
          expectNotThrottled(
            await call.send(base, clientAddress(), naming(call.targets[target]())),
            `another ${target}`,
          );
        },
      );
  });
});

describe('invitation page visitors and identity (strict sign-in limit per address)', () => {
  const SIGN_IN_LIMIT = 3;
  let strictIdentity: ExtraInstance | undefined;
  let pages: ExtraInstance | undefined;

  beforeAll(async () => {
    // Unique emails per attempt: the account lockout never applies, only the address limit. The
    // instance trusts X-Forwarded-For from 127.0.0.1 (relationships' address here) alone.
    strictIdentity = await startExtraInstance('identity', (settings) => ({
      auth: { ...settings.auth, addressLimit: SIGN_IN_LIMIT, addressWindowSeconds: 60 },
    }));
    expect(strictIdentity.settings.auth.trustProxy).toBe('127.0.0.1');
    const identityPort = Number(new URL(strictIdentity.url).port);
    // The pages of this relationships instance sign visitors in through the strict identity.
    pages = await startExtraInstance('relationships', (settings) => ({
      ports: { ...settings.ports, identity: identityPort },
    }));
  }, 120_000);

  afterAll(async () => {
    await Promise.all([strictIdentity?.stop(), pages?.stop()]);
  }, 30_000);

  /** The partnership page's form posted by a visitor at `address` with wrong credentials. */
  const visit = (address: string) =>
    request(pages!.url)
      .post('/invitations/partnership/accept')
      .set('X-Forwarded-For', address)
      .set('accept', 'text/html')
      .type('form')
      .send({
        token: 'x'.repeat(43),
        email: uniqueEmail('visitor', 'fabrikam'),
        password: strongPassword(),
        authorize: 'on',
      });

  it("counts each visitor's own address at identity: one visitor over the limit waits, another signs in as usual", async () => {
    const visitor = clientAddress();
    for (let i = 1; i <= SIGN_IN_LIMIT; i += 1) {
      const page = await visit(visitor);
      expect({ attempt: i, status: page.status }).toEqual({ attempt: i, status: 401 });
    }
    const throttled = await visit(visitor);
    expect(throttled.status).toBe(429);
    expect(throttled.headers['content-type']).toMatch(/^text\/html/);
    const retryAfter = Number(throttled.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(throttled.text).toMatch(/Too many requests from your address/);

    // Before, every visitor shared relationships' address: this one would be refused too.
    for (let i = 0; i < SIGN_IN_LIMIT; i += 1) {
      expect((await visit(clientAddress())).status).toBe(401);
    }
  });

  it('does not let a client it does not trust leave its bucket by forging X-Forwarded-For', async () => {
    // A loopback address of its own (not the trusted 127.0.0.1), so that no other test shares it.
    const source = `127.${randomInt(1, 255)}.${randomInt(256)}.${randomInt(2, 255)}`;
    const signIn = () =>
      postFrom(source, `${strictIdentity!.url}/v1/auth/token`, clientAddress(), {
        email: uniqueEmail('probe', 'nowhere'),
        password: strongPassword(),
      });
    for (let i = 1; i <= SIGN_IN_LIMIT; i += 1) {
      expect(await signIn()).toMatchObject({
        status: 401,
        body: { code: errorCode('auth.invalid_credentials') },
      });
    }
    // Every forged address was the one real address: the next one is refused.
    const refused = await signIn();
    expect(refused).toMatchObject({ status: 429, body: { code: errorCode('request.throttled') } });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });
});

describe('password hashing of public routes (one at a time, no queue)', () => {
  let bounded: ExtraInstance | undefined;

  beforeAll(async () => {
    bounded = await startExtraInstance('identity', (settings) => ({
      publicRoutes: { ...settings.publicRoutes, hashingConcurrency: 1, hashingQueue: 0 },
    }));
  }, 120_000);

  afterAll(async () => {
    await bounded?.stop();
  }, 30_000);

  it('answers a flood of sign-ups beyond its lane with 503 service.busy and Retry-After, and keeps signing users in', async () => {
    const call = LIMITED_ROUTES['POST /v1/customer-signups'];
    const flood = Array.from({ length: 20 }, () =>
      call.send(bounded!.url, clientAddress(), freshValues(call)),
    );
    const signedUp = await signUpCustomer();
    const signIn = request(bounded!.url)
      .post('/v1/auth/token')
      .send({ email: signedUp.email, password: signedUp.password });
    const [answers, session] = await Promise.all([Promise.all(flood), signIn]);
    expect(session.status).toBe(200);
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status !== 201 && status !== 503)).toEqual([]);
    expect(statuses).toContain(201);
    const busy = answers.filter((answer) => answer.status === 503);
    expect(busy.length).toBeGreaterThan(0);
    for (const answer of busy) {
      expect(expectApiError(answer, 503, 'service.busy').data).toEqual([{ retryAfterSeconds: 1 }]);
      expect(answer.headers['retry-after']).toBe('1');
    }
  });
});
