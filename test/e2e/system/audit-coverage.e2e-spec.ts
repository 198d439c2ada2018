import { randomUUID } from 'node:crypto';
import { isAuditEventType } from '@app/contracts';
import {
  api,
  bearer,
  dbRows,
  eventually,
  startExtraInstance,
  type ExtraInstance,
  type ServiceName,
} from '../support';
import {
  ROUTE_FIXTURES,
  type FixtureContext,
  type RouteCall,
  type RouteFixture,
} from '../support/route-fixtures';
import { declaredRoutes, fillPath, type DeclaredRoute } from '../support/routes';
import { buildBaseWorld, type BaseWorld } from '../support/world';

/**
 * Issue 14 acceptance: "every state-changing route writes exactly one audit event of the
 * documented type (a test walks the route table and fails for a route without one)".
 *
 * 1. Every POST, PUT, PATCH and DELETE route of every service declares `@Audited(...types)` (with
 *    types of the catalogue, libs/contracts/src/audit.ts) or `@AuditExempt(reason)`.
 * 2. For every audited route of relationships, identity and notifications that has a route fixture
 *    (test/e2e/support/route-fixtures.ts), its valid call with a fresh `MS-RequestId` leaves
 *    exactly one trail entry with that request id, of one of the declared types. Relationships
 *    writes it in the request's transaction (there when the answer arrives); identity's arrives
 *    through its outbox and the `audit.recorded` job, so it is awaited (bounded poll), and every
 *    event of one request leaves identity in one transaction, so a second one would arrive with
 *    the first. An exempt route of relationships writes none.
 */

const SERVICES: ServiceName[] = ['identity', 'relationships', 'notifications'];
/** Services whose events reach the trail: relationships directly, identity and notifications through their jobs. */
const WALKED: ServiceName[] = ['relationships', 'identity', 'notifications'];
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function call(route: DeclaredRoute, request: RouteCall, token: string, requestId: string) {
  const path = fillPath(route.path, request.params ?? {});
  const agent = api(route.service);
  let pending =
    route.method === 'POST'
      ? agent.post(path)
      : route.method === 'PUT'
        ? agent.put(path)
        : route.method === 'PATCH'
          ? agent.patch(path)
          : agent.delete(path);
  pending = pending.set(bearer(token)).set('MS-RequestId', requestId);
  if (request.headers) pending = pending.set(request.headers);
  if (request.query) pending = pending.query(request.query);
  if (request.headers) pending = pending.set(request.headers);
  if (request.form) pending = pending.type('form');
  if (request.body !== undefined) pending = pending.send(request.body as object);
  return pending;
}

async function entriesOf(requestId: string): Promise<{ type: string }[]> {
  return dbRows('relationships', 'select type from activity_log_entry where request_id = $1', [
    requestId,
  ]);
}

describe('audit coverage: every state-changing route writes one documented event', () => {
  const routes: DeclaredRoute[] = [];
  let world: BaseWorld;
  let review: Promise<ExtraInstance> | undefined;
  const context: FixtureContext = {
    reviewUrl: async () => {
      review ??= startExtraInstance('identity', () => ({ autoApprove: false }));
      return (await review).url;
    },
  };

  beforeAll(async () => {
    for (const service of SERVICES) routes.push(...(await declaredRoutes(service)));
    world = await buildBaseWorld();
  }, 240_000);

  afterAll(async () => {
    if (review) await (await review).stop();
  });

  it.each(SERVICES)(
    '%s: every POST, PUT, PATCH and DELETE route declares @Audited or @AuditExempt',
    (service) => {
      const undeclared = routes
        .filter((route) => route.service === service && WRITES.has(route.method))
        .filter((route) => route.audit.kind === 'undeclared')
        .map((route) => `${route.key} (${route.handler})`);
      expect(undeclared).toEqual([]);
    },
  );

  it('declares only types of the event catalogue, and a reason for every exemption', () => {
    const problems: string[] = [];
    for (const route of routes) {
      if (route.audit.kind === 'audited') {
        if (route.audit.types.length === 0) problems.push(`${route.key}: @Audited() without types`);
        for (const type of route.audit.types) {
          if (!isAuditEventType(type))
            problems.push(`${route.key}: ${type} is not in AUDIT_EVENTS`);
        }
      }
      if (route.audit.kind === 'exempt' && route.audit.reason.trim().length < 10) {
        problems.push(`${route.key}: @AuditExempt needs a reason`);
      }
    }
    expect(problems).toEqual([]);
  });

  it.each(WALKED)(
    '%s: the valid call of every audited route leaves exactly one entry of a declared type',
    async (service) => {
      const failures: string[] = [];
      let walked = 0;
      for (const route of routes) {
        if (route.service !== service || !WRITES.has(route.method)) continue;
        const fixture: RouteFixture | undefined = ROUTE_FIXTURES[service][route.key];
        if (!fixture || route.audit.kind === 'undeclared') continue;
        const request = await fixture.valid(world, context);
        const requestId = randomUUID();
        const response = await call(
          route,
          request,
          request.token ?? fixture.caller(world),
          requestId,
        );
        if (response.status !== fixture.status) {
          failures.push(`${route.key}: valid call answered ${response.status} ${response.text}`);
          continue;
        }
        walked += 1;
        if (route.audit.kind === 'exempt') {
          if (service === 'relationships') {
            const written = await entriesOf(requestId);
            if (written.length > 0) {
              failures.push(`${route.key} is @AuditExempt but wrote ${JSON.stringify(written)}`);
            }
          }
          continue;
        }
        const declared = route.audit.types;
        const entries =
          service === 'relationships'
            ? await entriesOf(requestId)
            : await eventually(`the audit event of ${route.key}`, async () => {
                const rows = await entriesOf(requestId);
                return rows.length > 0 ? rows : undefined;
              }).catch(() => []);
        if (entries.length !== 1 || !declared.includes(entries[0].type)) {
          failures.push(
            `${route.key}: expected one entry of ${declared.join(' | ')}, found ${JSON.stringify(entries.map((e) => e.type))}`,
          );
        }
      }
      expect(failures).toEqual([]);
      if (service === 'relationships') expect(walked).toBeGreaterThanOrEqual(14);
    },
    600_000,
  );
});
