import {
  IDENTITY_PAGE_ROUTES,
  IDENTITY_PUBLIC_ROUTES,
  IDENTITY_PUBLIC_SAMPLES,
  IDENTITY_ROUTE_FIXTURES,
} from './identity/route-fixtures';
import {
  NOTIFICATIONS_PAGE_ROUTES,
  NOTIFICATIONS_PUBLIC_ROUTES,
  NOTIFICATIONS_PUBLIC_SAMPLES,
  NOTIFICATIONS_ROUTE_FIXTURES,
} from './notifications/route-fixtures';
import {
  RELATIONSHIPS_PAGE_ROUTES,
  RELATIONSHIPS_PUBLIC_ROUTES,
  RELATIONSHIPS_PUBLIC_SAMPLES,
  RELATIONSHIPS_ROUTE_FIXTURES,
} from './relationships/route-fixtures';
import type { RouteCall, RouteFixture } from './route-fixture';
import type { ServiceName } from './system';
import type { BaseWorld } from './world';

export type { CrossTenantCall, FixtureContext, RouteCall, RouteFixture } from './route-fixture';

/**
 * How to call every protected route of every service, for the authorization matrix
 * (test/e2e/system/authorization-matrix.e2e-spec.ts) and the fuzz run
 * (test/e2e/system/fuzz.e2e-spec.ts); each app's table is in its folder
 * (identity/route-fixtures.ts, relationships/route-fixtures.ts, notifications/route-fixtures.ts).
 *
 * One entry per route, keyed by `METHOD path` exactly as the route is registered (see
 * test/e2e/support/routes.ts). A route without an entry fails the matrix ("add a fixture for …"),
 * so a new route cannot escape it. An entry says:
 * - `caller`: whose token makes the valid call (a role that holds the route's permission);
 * - `valid`: a fresh valid call (path parameters, query, body; it may create what it acts on) and
 *   `status`, its 2xx answer;
 * - `otherTenant`: the same caller naming another organisation's resource (in the path or the
 *   body), which must answer 404 (or the route's documented refusal) without a trace of that
 *   resource in the body and without changing it; or `{ none: why }` when the route names no
 *   resource of a tenant.
 * Public routes are not here: they are in `PUBLIC_ROUTES`, an allow-list, so that making a route
 * public is a conscious change.
 */

/** One fixture per protected route of each service. */
export const ROUTE_FIXTURES: Record<ServiceName, Record<string, RouteFixture>> = {
  identity: IDENTITY_ROUTE_FIXTURES,
  relationships: RELATIONSHIPS_ROUTE_FIXTURES,
  notifications: NOTIFICATIONS_ROUTE_FIXTURES,
};

/**
 * The public routes (no token), each with why it is public. A route that becomes public must be
 * added here consciously; the matrix fails on any other.
 */
export const PUBLIC_ROUTES: Record<ServiceName, Record<string, string>> = {
  identity: IDENTITY_PUBLIC_ROUTES,
  relationships: RELATIONSHIPS_PUBLIC_ROUTES,
  notifications: NOTIFICATIONS_PUBLIC_ROUTES,
};

/**
 * A representative call of each public route, for the fuzzer to mutate (built from the shared
 * world without preparation). A public route without one is fuzzed from an empty call.
 */
export const PUBLIC_SAMPLES: Record<ServiceName, Record<string, (w: BaseWorld) => RouteCall>> = {
  identity: IDENTITY_PUBLIC_SAMPLES,
  relationships: RELATIONSHIPS_PUBLIC_SAMPLES,
  notifications: NOTIFICATIONS_PUBLIC_SAMPLES,
};

/** Routes that answer HTML pages (their refusals are pages too, not the API error format). */
export const PAGE_ROUTES: Record<ServiceName, string[]> = {
  identity: IDENTITY_PAGE_ROUTES,
  relationships: RELATIONSHIPS_PAGE_ROUTES,
  notifications: NOTIFICATIONS_PAGE_ROUTES,
};
