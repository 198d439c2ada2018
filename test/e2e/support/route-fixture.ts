import type { BaseWorld, World } from './world';

/**
 * What a route fixture is (test/e2e/support/route-fixtures.ts assembles each app's table of them:
 * identity/, relationships/, notifications/), and the reasons and callers the tables share.
 */

/** One HTTP call of a route: its path parameters, query and JSON body. */
export interface RouteCall {
  /** The caller's bearer token; default: the fixture's `caller`. */
  token?: string;
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  /** Send the body as an HTML form (`application/x-www-form-urlencoded`), not JSON. */
  form?: boolean;
  /** Request headers beside the bearer token (e.g. the `If-Match` an update needs). */
  headers?: Record<string, string>;
}

/** A call that names another organisation's resource. */
export interface CrossTenantCall extends RouteCall {
  /** What must not appear in the answer: the resource's ids and data. */
  secrets: string[];
  /** Expected status; 404 unless the route's rule refuses such a reference otherwise. */
  status?: number;
  /** Expected error code. */
  code: string;
  /** Read before and after the refused call: must not change (nothing of the resource written). */
  watch?: () => Promise<unknown>;
  /**
   * The answer to the same call with ids that exist nowhere, only where the route documents a
   * different refusal for an existing resource the caller may not reach (no route does since the
   * customer-users routes answer 404 without delegated admin privileges, issue 9 point 16); by
   * default the answer must be the very same as to the other tenant's resource.
   */
  twin?: { status: number; code: string };
}

/** Lazily prepared helpers the fixtures share (an identity instance without auto-approval). */
export interface FixtureContext {
  /** Base URL of an identity instance with auto-approval off (started once, on first use). */
  reviewUrl(): Promise<string>;
}

export interface RouteFixture {
  /** The token of a caller whose role holds the route's permission. */
  caller: (w: BaseWorld) => string;
  /** The answer to `valid`. */
  status: 200 | 201 | 202 | 204;
  /** A fresh valid call. */
  valid: (w: BaseWorld, context: FixtureContext) => Promise<RouteCall>;
  /**
   * A representative call built without preparation (for the fuzzer to mutate), where `valid`
   * is expensive (enrollments, a second identity instance); default: `valid`.
   */
  sample?: (w: BaseWorld) => RouteCall;
  /** Another tenant's resource, or why the route names none. */
  otherTenant: ((w: World) => Promise<CrossTenantCall>) | { none: string };
}

/** Why a route names no resource of another tenant (`otherTenant: { none }`). */
export const NO_RESOURCE = {
  none: "acts on the caller's own organisation or account: no id to swap",
};
export const PLATFORM_WIDE = {
  none: 'platform operator route: the whole platform (every partner, enrollment, signing key) is in its scope by design',
};

/** The callers of the shared world whose token makes a route's valid call. */
export const provider = (w: BaseWorld) => w.provider.token;
export const reseller = (w: BaseWorld) => w.reseller.token;
export const customer = (w: BaseWorld) => w.customer.token;
export const operator = (w: BaseWorld) => w.operator.token;

/** A token-shaped string that names no invitation. */
export const NO_TOKEN = 'x'.repeat(43);
