import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import proxy from '@fastify/http-proxy';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { ERROR_CODES } from '@app/contracts';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { GatewayConfig } from './config/gateway.config';
import { redirectRootToPortal, registerPortal } from './portal/portal';
import {
  matchRoute,
  routingTable,
  serviceFor,
  type RoutableDocument,
} from './routing/routing-table';

/** Partner Center's request headers, echoed on every answer (generated when absent). */
const REQUEST_ID = 'ms-requestid';
const CORRELATION_ID = 'ms-correlationid';

/** Headers a client may send that would tell a service another client address or host. */
const ADDRESS_HEADERS = ['x-forwarded-for', 'x-real-ip', 'forwarded', 'x-forwarded-host'];

/**
 * The Content-Security-Policy of the API reference (`/docs`, Swagger UI served from
 * `@fastify/swagger-ui`'s own files, no CDN): scripts only from the gateway itself (no inline
 * script); styles from the gateway and inline style attributes, which Swagger UI's rendering sets
 * (`'unsafe-inline'` for styles only); the document fetched from the same origin.
 */
export const DOCS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; font-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The CSP of every other answer of the gateway itself (JSON only). */
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/** What the gateway needs at start. */
export interface GatewayOptions {
  config: GatewayConfig;
  /** The OpenAPI document: served at `/openapi.json`, and its `x-service`s route the requests. */
  document: RoutableDocument & Record<string, unknown>;
  /** Fastify's logger option (pino settings or false). */
  logger?: boolean | Record<string, unknown>;
}

/** An error in the API error format, answered by the gateway itself (`source: 'gateway'`). */
function apiError(
  reply: FastifyReply,
  status: number,
  name: string,
  description: string,
  retryAfterSeconds?: number,
): FastifyReply {
  const code = (ERROR_CODES as Record<string, number>)[name] ?? name;
  if (retryAfterSeconds !== undefined) void reply.header('retry-after', String(retryAfterSeconds));
  return reply
    .status(status)
    .header('content-type', 'application/json')
    .send({ code, description, data: [], source: 'gateway' });
}

/** The first value of a header. */
function headerOf(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The edge of the API (issue 11 "One base URL"): every route of identity, relationships and
 * notifications that the OpenAPI document lists (`/v1/...`, the emailed pages under
 * `/invitations/...` and `/v1/...`, `/.well-known/jwks.json`) on one address, proxied by
 * `@fastify/http-proxy` to the service the document names (see routing-table.ts); bodies stream
 * through untouched, every request header passes (`Authorization`, `MS-RequestId`,
 * `MS-CorrelationId`, `MS-ContinuationToken`, `If-Match`, ...) except the client-address headers,
 * which the gateway replaces with the address it determined (`X-Forwarded-For`, see `TRUST_PROXY`).
 * A service that cannot be reached answers 503 `gateway.service_unavailable` with `Retry-After`;
 * a path no service declares, 404 `route.not_found`. Its own routes: `/openapi.json`, `/docs`
 * (the API reference), `/health/live`, `/health/ready` (every service reachable), `/metrics`, and
 * the portal at `/portal/` (`/` redirects there; see portal/portal.ts).
 * No business logic: nothing here reads a body or decides an answer of a service.
 */
export async function buildGateway(options: GatewayOptions): Promise<FastifyInstance> {
  const { config, document } = options;
  const table = routingTable(document);
  const upstreams: Record<string, string[]> = {
    identity: config.IDENTITY_URL,
    relationships: config.RELATIONSHIPS_URL,
    notifications: config.NOTIFICATIONS_URL,
  };
  /** Each service's instances in turn (round robin). */
  const turns: Record<string, number> = {};
  const nextInstance = (service: string): string => {
    const list = upstreams[service];
    turns[service] = ((turns[service] ?? -1) + 1) % list.length;
    return list[turns[service]];
  };

  const app = Fastify({
    logger: options.logger ?? false,
    trustProxy: config.TRUST_PROXY,
    genReqId: (req) => headerOf(req.headers, REQUEST_ID) ?? randomUUID(),
    // Bodies are never parsed here (they stream to the service); 413 is the service's to answer.
    bodyLimit: 16 * 1024 * 1024,
  });

  const registry = new Registry();
  registry.setDefaultLabels({ service: 'gateway' });
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route, from the request to the end of the response, in seconds.',
    labelNames: ['method', 'route', 'status_code', 'upstream'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const unreachable = new Counter({
    name: 'gateway_upstream_unavailable_total',
    help: 'Requests answered 503 because their service could not be reached, by service.',
    labelNames: ['upstream'],
    registers: [registry],
  });

  /** The service each proxied request goes to (set in preHandler). */
  const targetOf = new WeakMap<
    FastifyRequest,
    { service: string; template: string; upstream: string }
  >();

  app.addHook('onRequest', async (req, reply) => {
    void reply.header(REQUEST_ID, headerOf(req.headers, REQUEST_ID) ?? req.id);
    void reply.header(CORRELATION_ID, headerOf(req.headers, CORRELATION_ID) ?? randomUUID());
  });
  app.addHook('onResponse', async (req, reply) => {
    const target = targetOf.get(req);
    duration.observe(
      {
        method: req.method,
        route: target?.template ?? req.routeOptions.url ?? 'unmatched',
        status_code: String(reply.statusCode),
        upstream: target?.service ?? 'gateway',
      },
      reply.elapsedTime / 1000,
    );
  });

  app.setNotFoundHandler((req, reply) =>
    apiError(reply, 404, 'route.not_found', `No route ${req.method} ${req.url.split('?')[0]}.`),
  );

  // The gateway's own routes.
  app.get('/openapi.json', async (_req, reply) =>
    reply
      .header('cache-control', 'no-cache')
      .header('content-security-policy', API_CSP)
      .send(document),
  );
  app.get('/health/live', async (_req, reply) =>
    reply.header('cache-control', 'no-store').send({ status: 'ok' }),
  );
  app.get('/health/ready', async (_req, reply) => {
    const checks = await Promise.all(
      Object.entries(upstreams).flatMap(([service, bases]) =>
        bases.map(async (base, index) => {
          const name = index === 0 ? service : `${service}-${index + 1}`;
          try {
            const res = await fetch(`${base}/health/live`, { signal: AbortSignal.timeout(1500) });
            return [name, { status: res.ok ? 'up' : 'down' }] as const;
          } catch (error) {
            return [name, { status: 'down', message: (error as Error).message }] as const;
          }
        }),
      ),
    );
    const ready = checks.every(([, check]) => check.status === 'up');
    return reply
      .status(ready ? 200 : 503)
      .header('cache-control', 'no-store')
      .send({ status: ready ? 'ok' : 'error', info: Object.fromEntries(checks) });
  });
  app.get('/metrics', async (_req, reply) =>
    reply
      .header('cache-control', 'no-store')
      .header('content-type', registry.contentType)
      .send(await registry.metrics()),
  );

  // The API reference: Swagger UI from the package's own files, reading the same document.
  await app.register(swagger, { mode: 'static', specification: { document: document as never } });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { url: '/openapi.json', deepLinking: true },
    staticCSP: DOCS_CSP,
  });

  // The portal (issue 12): the built single-page app on the API's own origin.
  await registerPortal(app, config.PORTAL_DIR, (reply, url) =>
    apiError(reply, 404, 'route.not_found', `No route GET ${url.split('?')[0]}.`),
  );

  // Every route of every service, by the document's routing table.
  await app.register(proxy, {
    upstream: '',
    prefix: '/',
    httpMethods: ['DELETE', 'GET', 'HEAD', 'PATCH', 'POST', 'PUT', 'OPTIONS'],
    preHandler: (req, reply, done) => {
      if (req.url.split('?')[0] === '/' && (req.method === 'GET' || req.method === 'HEAD')) {
        void redirectRootToPortal(reply);
        return;
      }
      const entry = matchRoute(table, req.url.split('?')[0]);
      if (!entry) {
        void apiError(
          reply,
          404,
          'route.not_found',
          `No route ${req.method} ${req.url.split('?')[0]}.`,
        );
        return;
      }
      const service = serviceFor(entry, req.method);
      targetOf.set(req, { service, template: entry.template, upstream: nextInstance(service) });
      done();
    },
    replyOptions: {
      getUpstream: (req) => targetOf.get(req as FastifyRequest)?.upstream ?? '',
      timeout: config.UPSTREAM_TIMEOUT_MS,
      rewriteRequestHeaders: (req, headers) => {
        const rewritten: IncomingHttpHeaders = { ...headers };
        for (const name of ADDRESS_HEADERS) delete rewritten[name];
        rewritten['x-forwarded-for'] = (req as unknown as FastifyRequest).ip;
        rewritten['x-forwarded-proto'] = (req as unknown as FastifyRequest).protocol;
        return rewritten;
      },
      onError: (reply, { error }) => {
        const req = reply.request as FastifyRequest;
        const target = targetOf.get(req);
        const service = target?.service ?? 'the service';
        unreachable.inc({ upstream: service });
        req.log.warn({ err: error, upstream: service }, 'upstream unavailable');
        void apiError(
          reply as FastifyReply,
          503,
          'gateway.service_unavailable',
          `The ${service} service is unavailable; retry later.`,
          config.RETRY_AFTER_SECONDS,
        );
      },
    },
  });
  return app;
}
