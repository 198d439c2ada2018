import { comparableErrorText, errorCodeOf, isErrorCode } from '../support/graph-errors';
import { randomUUID } from 'node:crypto';
import { SignJWT, decodeJwt, decodeProtectedHeader, generateKeyPair } from 'jose';
import type { Response } from 'supertest';
import { PERMISSIONS, hasPermission } from '@app/auth';
import {
  api,
  bearer,
  dbRows,
  errorCode,
  startExtraInstance,
  type ExtraInstance,
  type ServiceName,
} from '../support';
import {
  PUBLIC_ROUTES,
  ROUTE_FIXTURES,
  type FixtureContext,
  type RouteCall,
  type RouteFixture,
} from '../support/route-fixtures';
import { declaredRoutes, fillPath, type DeclaredRoute } from '../support/routes';
import {
  SHARED_CUSTOMER_ALLOWED,
  buildSharedCustomerWorld,
  type SharedCustomerWorld,
  type SharedParty,
} from '../support/shared-customer';
import { buildWorld, type World } from '../support/world';
import { buildGdapParties, type GdapParty } from '../support/relationships/gdap-parties';
import { DELEGATED_ROUTES } from '../../../apps/identity/src/delegated-access/delegated-operations';

/**
 * The authorization matrix, built from the router itself: every route every service
 * registers (read from its AppModule, test/e2e/support/routes.ts), so a new route cannot escape:
 * - it declares `@Public()` (and is on the allow-list) or `@RequirePermission(p)`;
 * - no token, or a token signed with a key that is not identity's → 401;
 * - every role of every tenant kind whose permissions lack `p` (from `PERMISSION_MATRIX`), and a
 *   user on a temporary password → 403;
 * - another organisation's resource named in the path or body → 404 (or the route's documented
 *   refusal), exactly the answer an id that exists nowhere gets (unless the route documents
 *   another answer for such an id, which is then checked instead), whose body carries nothing of
 *   that resource, which stays unchanged;
 * - the same for the harder parties (test/e2e/support/shared-customer.ts): a co-partner of the
 *   same customer, a partner whose relationship and delegated admin privileges ended, a provider
 *   whose administrator access and partnership ended: each sends the route's valid call and is
 *   refused exactly as for ids that exist nowhere, unless the route is listed as shared with that
 *   party (with the reason), and then its answer carries nothing of the world's partners;
 * - every delegated route (identity's `DELEGATED_ROUTES`: a partner user acting in the customer's
 *   organisation with its own identity) for the GDAP principals of
 *   test/e2e/support/relationships/gdap-parties.ts: a partner with no delegated admin relationship
 *   (404 as for a customer that exists nowhere), a member of a group on an expired relationship, a
 *   member whose group holds no role allowing the operation, a user in no group (403
 *   `gdap.access_denied`), the customer's users unchanged; a member with the role succeeds;
 * - the right caller with a valid call → its 2xx.
 * How to call each route is the fixture table test/e2e/support/route-fixtures.ts (one entry per
 * route). The run prints the routes it covered and the cases it sent.
 */

const SERVICES: ServiceName[] = ['identity', 'relationships', 'notifications'];

type Expectation =
  | '401'
  | '403'
  | '404'
  | 'twin'
  | 'documentedTwin'
  | 'shared'
  | 'sharedAllowed'
  | 'gdap'
  | '2xx'
  | 'public';
const sent: Record<Expectation, number> = {
  gdap: 0,
  '401': 0,
  '403': 0,
  '404': 0,
  twin: 0,
  documentedTwin: 0,
  shared: 0,
  sharedAllowed: 0,
  '2xx': 0,
  public: 0,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `text` with every key of `replacements` replaced by its value. */
function replaceEach(text: string, replacements: Map<string, string>): string {
  let out = text;
  for (const [from, to] of replacements) out = out.split(from).join(to);
  return out;
}

/** Sends one call of `route`. */
function call(route: DeclaredRoute, request: RouteCall & { params: Record<string, string> }) {
  const path = fillPath(route.path, request.params);
  const agent = api(route.service);
  let pending =
    route.method === 'GET'
      ? agent.get(path)
      : route.method === 'POST'
        ? agent.post(path)
        : route.method === 'PUT'
          ? agent.put(path)
          : route.method === 'PATCH'
            ? agent.patch(path)
            : agent.delete(path);
  if (request.token) pending = pending.set(bearer(request.token));
  if (request.headers) pending = pending.set(request.headers);
  if (request.query) pending = pending.query(request.query);
  if (request.headers) pending = pending.set(request.headers);
  if (request.body !== undefined) pending = pending.send(request.body as object);
  return pending;
}

/** Path parameters that name nothing (for the cases the guard decides before any lookup). */
function anyParams(route: DeclaredRoute): Record<string, string> {
  return Object.fromEntries(route.params.map((name) => [name, randomUUID()]));
}

/** A body for the cases the guard decides (none for GET). */
function anyBody(route: DeclaredRoute): unknown {
  return route.method === 'GET' ? undefined : {};
}

function describeResponse(response: Response): string {
  return `${response.status} ${response.text.slice(0, 300)}`;
}

/** The API error format (or Graph's, on the Graph-shaped routes) with this status and code, or why not. */
function apiErrorProblem(response: Response, status: number, code: string): string | null {
  if (response.status !== status)
    return `expected ${status} ${code}, got ${describeResponse(response)}`;
  const actual = errorCodeOf(response.body);
  if (actual === null) return `not the API error format: ${response.text}`;
  if (!isErrorCode(actual, code)) {
    return `expected code ${errorCode(code)} (${code}), got ${String(actual)}`;
  }
  return null;
}

/** Runs `task` over `items`, at most `limit` at a time. */
async function pool<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const workers = Array.from({ length: Math.min(limit, queue.length) }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await task(item);
  });
  await Promise.all(workers);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

describe('authorization matrix: every route of every service', () => {
  const routes: DeclaredRoute[] = [];
  let world: World;
  let review: Promise<ExtraInstance> | undefined;
  const context: FixtureContext = {
    reviewUrl: async () => {
      review ??= startExtraInstance('identity', () => ({ autoApprove: false }));
      return (await review).url;
    },
  };

  let shared: Promise<SharedCustomerWorld> | undefined;
  /** The co-partner and ended grants around the world's customer (built once, on first use). */
  const sharedWorld = () => (shared ??= buildSharedCustomerWorld(world));

  const isProtected = (route: DeclaredRoute) => route.access.kind === 'permission';
  const fixtureOf = (route: DeclaredRoute): RouteFixture | undefined =>
    ROUTE_FIXTURES[route.service][route.key];
  /** Protected routes that have a fixture (the others fail the fixture test). */
  const covered = () => routes.filter((route) => isProtected(route) && fixtureOf(route));

  beforeAll(async () => {
    for (const service of SERVICES) routes.push(...(await declaredRoutes(service)));
    world = await buildWorld();
  }, 240_000);

  afterAll(async () => {
    if (review) await (await review).stop();
    const perService = SERVICES.map(
      (service) => `${service} ${routes.filter((route) => route.service === service).length}`,
    ).join(', ');
    const total = Object.values(sent).reduce((a, b) => a + b, 0);
    process.stdout.write(
      [
        '',
        `authorization matrix: ${routes.length} routes (${perService}), ${covered().length} protected with fixtures`,
        `  401 no token / forged token:                   ${sent['401']} cases`,
        `  403 role without the permission / temp. pwd:  ${sent['403']} cases`,
        `  404 another tenant's resource:                 ${sent['404']} cases`,
        `      the same with an id that exists nowhere:    ${sent.twin} cases (same answer)`,
        `      … where the route documents another answer: ${sent.documentedTwin} cases`,
        `  co-partner / ended grant refused as no such id: ${sent.shared} cases`,
        `      … shared with that party by the route's rule: ${sent.sharedAllowed} cases (nothing of the world's partners in the answer)`,
        `  GDAP principals on the delegated routes:       ${sent.gdap} cases (no relationship, expired, without the role, without membership)`,
        `  2xx the right caller:                          ${sent['2xx']} cases`,
        `  public routes without a token:                 ${sent.public} cases`,
        `  total:                                         ${total} cases`,
        '',
      ].join('\n'),
    );
  }, 30_000);

  it('reads the routes of every service from the applications themselves', () => {
    for (const service of SERVICES) {
      expect(routes.filter((route) => route.service === service).length).toBeGreaterThan(0);
    }
    expect(routes.map((route) => `${route.service} ${route.key}`)).toEqual(
      expect.arrayContaining([
        'identity POST /v1/users',
        'relationships DELETE /v1/relationships/:partnerTenantId',
        'notifications GET /health',
      ]),
    );
  });

  it('finds a permission or @Public() declared on every route', () => {
    const undeclared = routes
      .filter((route) => route.access.kind === 'undeclared')
      .map((route) => `${route.service} ${route.key} (${route.handler}) declares no permission`);
    expect(undeclared).toEqual([]);
  });

  it('allows exactly the listed public routes', () => {
    for (const service of SERVICES) {
      const declared = routes
        .filter((route) => route.service === service && route.access.kind === 'public')
        .map((route) => route.key)
        .sort();
      expect({ service, public: declared }).toEqual({
        service,
        public: Object.keys(PUBLIC_ROUTES[service]).sort(),
      });
    }
  });

  it('has a fixture for every protected route, and a route for every fixture', () => {
    const missing = routes
      .filter((route) => isProtected(route) && !fixtureOf(route))
      .map(
        (route) =>
          `add a fixture for ${route.service} "${route.key}" to test/e2e/support/route-fixtures.ts`,
      );
    const stale = SERVICES.flatMap((service) =>
      Object.keys(ROUTE_FIXTURES[service])
        .filter((key) => !routes.some((route) => route.service === service && route.key === key))
        .map((key) => `the fixture ${service} "${key}" matches no route`),
    );
    expect([...missing, ...stale]).toEqual([]);
  });

  it('refuses every protected route without a token, or with a token identity did not sign: 401', async () => {
    // A token with the claims of a real Global admin and identity's key id, signed with another key.
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT(decodeJwt(world.provider.token))
      .setProtectedHeader(decodeProtectedHeader(world.provider.token) as { alg: string })
      .sign(privateKey);
    const failures: string[] = [];
    await pool(covered(), 6, async (route) => {
      for (const [label, token] of [
        ['no token', undefined],
        ['forged token', forged],
      ] as const) {
        sent['401'] += 1;
        const response = await call(route, {
          token,
          params: anyParams(route),
          body: anyBody(route),
        });
        const problem = apiErrorProblem(response, 401, 'auth.unauthenticated');
        if (problem) failures.push(`${route.service} ${route.key} (${label}): ${problem}`);
      }
    });
    expect(failures).toEqual([]);
  });

  it('refuses every protected route to each role without its permission, and to a temporary password: 403', async () => {
    const failures: string[] = [];
    const cases = covered().flatMap((route) => {
      const permission = route.access.kind === 'permission' ? route.access.permission : undefined;
      if (!permission) return [];
      const lacking = world.callers
        .filter((caller) => !hasPermission(caller.kind, [caller.role], permission))
        .map((caller) => ({
          route,
          label: caller.label,
          token: caller.token,
          code: 'auth.forbidden',
        }));
      const temporary =
        permission === PERMISSIONS.session
          ? []
          : [
              {
                route,
                label: 'a Global admin on a temporary password',
                token: world.temporaryPasswordToken,
                code: 'auth.password_change_required',
              },
            ];
      return [...lacking, ...temporary];
    });
    await pool(cases, 6, async ({ route, label, token, code }) => {
      sent['403'] += 1;
      const response = await call(route, { token, params: anyParams(route), body: anyBody(route) });
      const problem = apiErrorProblem(response, 403, code);
      if (problem) failures.push(`${route.service} ${route.key} as ${label}: ${problem}`);
    });
    expect(failures).toEqual([]);
  });

  it("answers 404 for another organisation's resource as for one that does not exist, with nothing of it in the body and nothing of it changed", async () => {
    const failures: string[] = [];
    await pool(covered(), 4, async (route) => {
      const fixture = fixtureOf(route) as RouteFixture;
      if (typeof fixture.otherTenant !== 'function') return;
      try {
        const cross = await fixture.otherTenant(world);
        const token = cross.token ?? fixture.caller(world);
        const request = {
          params: cross.params ?? {},
          query: cross.query,
          body: cross.body,
          headers: cross.headers,
        };
        // The twin: the same call with the other tenant's ids replaced by ids that exist nowhere.
        const named = JSON.stringify(request);
        const twins = new Map(
          cross.secrets
            .filter((s) => UUID.test(s) && named.includes(s))
            .map((s) => [s, randomUUID()]),
        );
        const twinRequest = JSON.parse(replaceEach(named, twins)) as typeof request;
        const before = await cross.watch?.();
        sent['404'] += 1;
        const response = await call(route, { ...request, token });
        if (cross.twin) sent.documentedTwin += 1;
        else sent.twin += 1;
        const twin = await call(route, { ...twinRequest, token });
        const after = await cross.watch?.();
        const problem = apiErrorProblem(response, cross.status ?? 404, cross.code);
        if (problem) failures.push(`${route.service} ${route.key}: ${problem}`);
        const twinText = replaceEach(twin.text, new Map([...twins].map(([a, b]) => [b, a])));
        if (cross.twin) {
          // A documented, different refusal for an id that exists nowhere.
          const twinProblem = apiErrorProblem(twin, cross.twin.status, cross.twin.code);
          if (twinProblem)
            failures.push(`${route.service} ${route.key} (no such id): ${twinProblem}`);
        } else if (
          twin.status !== response.status ||
          comparableErrorText(twinText) !== comparableErrorText(response.text)
        ) {
          failures.push(
            `${route.service} ${route.key}: answers differently than for an id that does not exist: ${describeResponse(response)} / ${describeResponse(twin)}`,
          );
        }
        // Echoing an id the caller itself sent is no leak when a nonexistent id is echoed alike.
        const leaked = cross.secrets.filter(
          (secret) =>
            secret &&
            !twins.has(secret) &&
            response.text.toLowerCase().includes(secret.toLowerCase()),
        );
        if (leaked.length > 0) {
          failures.push(`${route.service} ${route.key}: the answer reveals ${leaked.join(', ')}`);
        }
        if (JSON.stringify(before) !== JSON.stringify(after)) {
          failures.push(
            `${route.service} ${route.key}: changed the other tenant's data: ${JSON.stringify(before)} → ${JSON.stringify(after)}`,
          );
        }
      } catch (error) {
        failures.push(`${route.service} ${route.key}: ${errorMessage(error)}`);
      }
    });
    expect(failures).toEqual([]);
  }, 120_000);

  it('refuses a co-partner of the same customer and principals whose grant ended as for ids that exist nowhere, except where the route shares the customer with them', async () => {
    const shared = await sharedWorld();
    const sharedCustomerId = world.providerCustomer.id;
    const parties: { party: SharedParty; token: string }[] = [
      { party: 'coPartner', token: shared.coPartner.token },
      { party: 'formerPartner', token: shared.formerPartner.token },
      { party: 'formerProvider', token: shared.formerProvider.token },
    ];
    // Nothing of the world's partners may reach these parties.
    const worldSecrets = [
      world.provider.tenantId,
      world.reseller.tenantId,
      ...world.providerCustomer.subscriptions.map((subscription) => subscription.id),
    ];
    const failures: string[] = [];
    const partnerRoutes = covered().filter((route) => {
      const fixture = fixtureOf(route) as RouteFixture;
      const caller = fixture.caller(world);
      return (
        typeof fixture.otherTenant === 'function' &&
        (caller === world.provider.token || caller === world.reseller.token)
      );
    });
    await pool(partnerRoutes, 3, async (route) => {
      const fixture = fixtureOf(route) as RouteFixture;
      try {
        for (const { party, token } of parties) {
          const valid = await fixture.valid(world, context);
          // The fixture's valid call is made by the world's own provider or reseller.
          if (valid.token !== undefined) return;
          const request = {
            params: valid.params ?? {},
            query: valid.query,
            body: valid.body,
            headers: valid.headers,
          };
          const named = JSON.stringify(request);
          const ids = [
            ...new Set(
              named.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi) ?? [],
            ),
          ];
          // A call naming nothing of the customer or its partners: nothing to refuse.
          if (ids.length === 0) return;
          const allowed = SHARED_CUSTOMER_ALLOWED[route.key]?.[party];
          const response = await call(route, { ...request, token });
          if (allowed) {
            sent.sharedAllowed += 1;
            if (response.status >= 300) {
              failures.push(
                `${route.service} ${route.key} as ${party} (${allowed}): ${describeResponse(response)}`,
              );
            }
            const leaked = worldSecrets.filter((secret) => response.text.includes(secret));
            if (leaked.length > 0) {
              failures.push(
                `${route.service} ${route.key} as ${party}: reveals ${leaked.join(', ')}`,
              );
            }
            continue;
          }
          sent.shared += 1;
          // The twin: the world's ids replaced by ids that exist nowhere (the co-partner keeps the
          // customer it shares, whose own resources are what it must not reach).
          const twins = new Map(
            ids
              .filter((id) => party !== 'coPartner' || id !== sharedCustomerId)
              .map((id) => [id, randomUUID()]),
          );
          const twin = await call(route, {
            ...(JSON.parse(replaceEach(named, twins)) as typeof request),
            token,
          });
          const twinText = replaceEach(twin.text, new Map([...twins].map(([a, b]) => [b, a])));
          if (response.status < 300) {
            failures.push(
              `${route.service} ${route.key} as ${party}: ${describeResponse(response)}`,
            );
          } else if (
            twin.status !== response.status ||
            comparableErrorText(twinText) !== comparableErrorText(response.text)
          ) {
            failures.push(
              `${route.service} ${route.key} as ${party}: answers differently than for ids that do not exist: ${describeResponse(response)} / ${describeResponse(twin)}`,
            );
          }
        }
      } catch (error) {
        failures.push(`${route.service} ${route.key}: ${errorMessage(error)}`);
      }
    });
    expect(failures).toEqual([]);
    // The co-partner's own subscription is out of the world's provider's reach too.
    const own = await call(
      routes.find(
        (route) => route.key === 'PATCH /v1/customers/:customerId/subscriptions/:subscriptionId',
      ) as DeclaredRoute,
      {
        token: world.provider.token,
        params: { customerId: sharedCustomerId, subscriptionId: shared.coPartnerSubscription.id },
        body: { quantity: 1 },
      },
    );
    expect(apiErrorProblem(own, 404, 'subscription.not_found')).toBeNull();
  }, 300_000);

  it('refuses every delegated route to GDAP principals without access: no relationship (as a customer that exists nowhere), an expired relationship, without the role, without group membership', async () => {
    const customerId = world.providerCustomer.id;
    const parties = await buildGdapParties(customerId, (await sharedWorld()).customerAdmin);
    const delegated = Object.keys(DELEGATED_ROUTES);
    const routeOf = (key: string) =>
      routes.find((route) => route.service === 'identity' && route.key === key);
    // Every delegated route is a route of identity with a fixture (its valid call is the one sent).
    expect(delegated.filter((key) => !routeOf(key) || !ROUTE_FIXTURES.identity[key])).toEqual([]);
    // The control: a member of a group holding User Administrator reads the customer's users.
    const control = await call(routeOf('GET /v1/customers/:customerTenantId/users')!, {
      token: parties.allowed,
      params: { customerTenantId: customerId },
    });
    expect(control.status).toBe(200);

    const users = () =>
      dbRows(
        'identity',
        'select id, roles, disabled, soft_deleted_at, password_hash, sessions_revoked_at from user_account where tenant_id = $1 order by id',
        [customerId],
      );
    const failures: string[] = [];
    for (const key of delegated) {
      const route = routeOf(key)!;
      const valid = await ROUTE_FIXTURES.identity[key].valid(world, context);
      const request = {
        params: valid.params ?? {},
        query: valid.query,
        body: valid.body,
        headers: valid.headers,
      };
      const before = await users();
      for (const party of Object.keys(parties.tokens) as GdapParty[]) {
        sent.gdap += 1;
        const token = parties.tokens[party];
        const response = await call(route, { ...request, token });
        if (party === 'noRelationship') {
          const problem = apiErrorProblem(response, 404, 'customer.not_found');
          if (problem) failures.push(`${key} as ${party}: ${problem}`);
          const twinId = randomUUID();
          const twin = await call(route, {
            ...(JSON.parse(
              JSON.stringify(request).split(customerId).join(twinId),
            ) as typeof request),
            token,
          });
          if (
            twin.status !== response.status ||
            comparableErrorText(twin.text.split(twinId).join(customerId)) !==
              comparableErrorText(response.text)
          ) {
            failures.push(
              `${key} as ${party}: answers differently than for a customer that does not exist: ${describeResponse(response)} / ${describeResponse(twin)}`,
            );
          }
        } else {
          const problem = apiErrorProblem(response, 403, 'gdap.access_denied');
          if (problem) failures.push(`${key} as ${party}: ${problem}`);
        }
        if (response.text.includes(world.providerCustomer.companyProfile.companyName)) {
          failures.push(`${key} as ${party}: the answer reveals the customer's name`);
        }
      }
      const after = await users();
      if (JSON.stringify(before) !== JSON.stringify(after)) {
        failures.push(`${key}: changed the customer's users`);
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it('answers the right caller with a valid call: 2xx', async () => {
    const failures: string[] = [];
    await pool(covered(), 4, async (route) => {
      const fixture = fixtureOf(route) as RouteFixture;
      try {
        const valid = await fixture.valid(world, context);
        sent['2xx'] += 1;
        const response = await call(route, {
          ...valid,
          token: valid.token ?? fixture.caller(world),
          params: valid.params ?? {},
        });
        if (response.status !== fixture.status) {
          failures.push(
            `${route.service} ${route.key}: expected ${fixture.status}, got ${describeResponse(response)}`,
          );
        }
      } catch (error) {
        failures.push(`${route.service} ${route.key}: ${errorMessage(error)}`);
      }
    });
    expect(failures).toEqual([]);
  }, 180_000);

  it('answers the public routes without a token (never 401, 403 or 5xx)', async () => {
    const failures: string[] = [];
    const publicRoutes = routes.filter((route) => route.access.kind === 'public');
    await pool(publicRoutes, 4, async (route) => {
      sent.public += 1;
      const response = await call(route, {
        params: anyParams(route),
        body: anyBody(route),
      });
      // The portal's cookie-session routes ask no token but a CSRF token (double submit): without
      // it they answer 403 `auth.csrf_invalid`, which refuses a forged request, not a caller.
      const csrfRefusal =
        response.status === 403 &&
        (response.body as { code?: unknown } | undefined)?.code === errorCode('auth.csrf_invalid');
      if (([401, 403].includes(response.status) && !csrfRefusal) || response.status >= 500) {
        failures.push(`${route.service} ${route.key}: ${describeResponse(response)}`);
      }
    });
    expect(failures).toEqual([]);
  });
});
