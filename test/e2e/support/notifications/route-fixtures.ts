import { randomUUID } from 'node:crypto';
import { PLATFORM_WIDE, operator, type RouteCall, type RouteFixture } from '../route-fixture';
import type { BaseWorld } from '../world';
import { failedDelivery } from './deliveries';

/**
 * Notifications' part of the route tables (test/e2e/support/route-fixtures.ts): its operator routes
 * over delivery records, and its health check.
 */

/** How to call each protected route of notifications (see `RouteFixture`). */
export const NOTIFICATIONS_ROUTE_FIXTURES: Record<string, RouteFixture> = {
  'GET /v1/deliveries': {
    caller: operator,
    status: 200,
    valid: () => Promise.resolve({ query: { status: 'failed', size: '5' } }),
    otherTenant: PLATFORM_WIDE,
  },
  'GET /v1/deliveries/:idempotencyKey': {
    caller: operator,
    status: 200,
    valid: async () => ({ params: { idempotencyKey: await failedDelivery() } }),
    sample: () => ({ params: { idempotencyKey: randomUUID() } }),
    otherTenant: PLATFORM_WIDE,
  },
  'POST /v1/deliveries/:idempotencyKey/replay': {
    caller: operator,
    status: 202,
    // A fresh delivery that failed for good (one replay each: a replayed one answers 409).
    valid: async () => ({ params: { idempotencyKey: await failedDelivery() } }),
    sample: () => ({ params: { idempotencyKey: randomUUID() } }),
    otherTenant: PLATFORM_WIDE,
  },
  'POST /v1/queue-dashboard/tickets': {
    caller: operator,
    status: 201,
    // A single-use ticket for the caller's own token: it names no tenant's resource.
    valid: () => Promise.resolve({}),
    otherTenant: PLATFORM_WIDE,
  },
};

/**
 * The public routes of notifications (no token), each with why it is public. A route that becomes public
 * must be added here consciously; the matrix fails on any other.
 */
export const NOTIFICATIONS_PUBLIC_ROUTES: Record<string, string> = {
  'GET /health': 'health check for orchestrators',
  'GET /health/live': 'liveness probe of orchestrators (the process serves HTTP)',
  'GET /health/ready': 'readiness probe of orchestrators and load balancers (database and Redis)',
  'GET /metrics': 'Prometheus scrape from the operator network (counts and latencies only)',
};

/**
 * A representative call of each public route of notifications, for the fuzzer to mutate (built from the
 * shared world without preparation). A public route without one is fuzzed from an empty call.
 */
export const NOTIFICATIONS_PUBLIC_SAMPLES: Record<string, (w: BaseWorld) => RouteCall> = {};

/** Routes of notifications that answer HTML pages (their refusals are pages too, not the API error format). */
export const NOTIFICATIONS_PAGE_ROUTES: string[] = [];
