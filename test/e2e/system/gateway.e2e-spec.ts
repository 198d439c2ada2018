import { resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import request from 'supertest';
import { loadGatewayConfig } from '../../../apps/gateway/src/config/gateway.config';
import { buildGateway } from '../../../apps/gateway/src/gateway';
import { isServiceInternal, openApiPath } from '../../../apps/gateway/openapi/openapi-document';
import { OPENAPI_DOCUMENT, freePort } from '../../../scripts/lib/system';
import { bearer, enrollPartner, expectApiError, gateway, type EnrolledPartner } from '../support';
import { declaredRoutes } from '../support/routes';

/**
 * The gateway (apps/gateway), the API's one base URL (issue 11 "One base URL"):
 * - on the running test system: paths that overlap across services reach the service that
 *   declares them (`/v1/customers/{id}/users` identity, `/v1/customers/{id}` relationships), the
 *   emailed pages and the JWKS are served, `/openapi.json` lists every route every service
 *   registers (with the service that answers it) and passes as OpenAPI 3.1, `/docs` is served
 *   from the package with a CSP without inline scripts, readiness and metrics answer;
 * - in process, in front of a recording upstream: every request header passes (Authorization,
 *   MS-RequestId, MS-CorrelationId, MS-ContinuationToken, If-Match), the body streams through,
 *   the client's `X-Forwarded-For` is replaced with the address the gateway saw, and a service
 *   that cannot be reached answers 503 in the API error format with `Retry-After`.
 */

/** Lints the document on stdin with Redocly's recommended rules; prints the problems as JSON. */
const LINT_STDIN = `
const { lintFromString, createConfig } = require('@redocly/openapi-core');
let source = '';
process.stdin.on('data', (chunk) => (source += chunk));
process.stdin.on('end', async () => {
  const config = await createConfig({ extends: ['recommended'], rules: { 'no-ambiguous-paths': 'off' } });
  const problems = await lintFromString({ source, absoluteRef: 'openapi.json', config });
  process.stdout.write(JSON.stringify(problems.map((p) => ({ severity: p.severity, message: p.message }))));
});
`;

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, { 'x-service': string; operationId: string }>>;
}

describe('the gateway on the running system', () => {
  let partner: EnrolledPartner;

  beforeAll(async () => {
    partner = await enrollPartner({ partnerType: 'indirect_provider' });
  });

  it('routes overlapping paths to the service that declares them', async () => {
    const id = randomUUID();
    // identity: GET /v1/customers/{customerTenantId}/users; relationships: GET /v1/customers/{id}.
    const users = await gateway().get(`/v1/customers/${id}/users`).set(bearer(partner.token));
    expect(users.status).toBeGreaterThanOrEqual(400);
    expect(users.body).toMatchObject({ source: 'identity' });
    const customer = await gateway().get(`/v1/customers/${id}`).set(bearer(partner.token));
    expect(customer.status).toBe(404);
    expect(customer.body).toMatchObject({ source: 'relationships' });
    const me = await gateway().get('/v1/me').set(bearer(partner.token));
    expect(me.status).toBe(200);
    expect((me.body as { tenant: { id: string } }).tenant.id).toBe(partner.tenantId);
  });

  it('serves the JWKS and the emailed pages, and answers an unknown path 404 in the API error format', async () => {
    const jwks = await gateway().get('/.well-known/jwks.json');
    expect(jwks.status).toBe(200);
    expect((jwks.body as { keys: unknown[] }).keys.length).toBeGreaterThan(0);
    const page = await gateway()
      .get('/invitations/partnership')
      .query({ token: 'x'.repeat(30) });
    expect(page.status).toBeLessThan(500);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const unknown = await gateway().get('/v1/no-such-route');
    expectApiError(unknown, 404, 'route.not_found');
    expect(unknown.body).toMatchObject({ source: 'gateway', data: [] });
    // The services' own probes and scrapes stay on their ports.
    expect((await gateway().get('/health')).status).toBe(404);
  });

  it('echoes MS-RequestId and MS-CorrelationId through to the answering service', async () => {
    const requestId = randomUUID();
    const correlationId = randomUUID();
    const res = await gateway()
      .get('/v1/me')
      .set(bearer(partner.token))
      .set('MS-RequestId', requestId)
      .set('MS-CorrelationId', correlationId);
    expect(res.status).toBe(200);
    expect(res.headers['ms-requestid']).toBe(requestId);
    expect(res.headers['ms-correlationid']).toBe(correlationId);
  });

  it('serves /openapi.json: OpenAPI 3.1 with every route every service registers, each with its service', async () => {
    const res = await gateway().get('/openapi.json');
    expect(res.status).toBe(200);
    const document = res.body as OpenApiDocument;
    expect(document.openapi).toBe('3.1.0');
    expect(document).toEqual(JSON.parse(readFileSync(OPENAPI_DOCUMENT, 'utf8')));
    const missing: string[] = [];
    for (const service of ['identity', 'relationships', 'notifications'] as const) {
      for (const route of await declaredRoutes(service)) {
        if (isServiceInternal(route.path)) continue;
        const operation = document.paths[openApiPath(route.path)]?.[route.method.toLowerCase()];
        if (operation?.['x-service'] !== service) missing.push(`${route.key} (${service})`);
      }
    }
    expect(missing).toEqual([]);
    // Redocly's linter (the one `npm run check` runs) is an ES module: lint in a child process.
    const lint = spawnSync(process.execPath, ['-e', LINT_STDIN], {
      input: JSON.stringify(document),
      encoding: 'utf8',
    });
    expect(lint.stderr).toBe('');
    const problems = JSON.parse(lint.stdout) as { severity: string; message: string }[];
    expect(problems.filter((p) => p.severity === 'error').map((p) => p.message)).toEqual([]);
  });

  it('serves the API reference at /docs from the package, with no inline script allowed', async () => {
    const page = await gateway().get('/docs/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(page.text).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);
    const bundle = await gateway().get('/docs/static/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
  });

  it('is ready when every service answers, and exports its metrics', async () => {
    const ready = await gateway().get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      status: 'ok',
      info: {
        identity: { status: 'up' },
        relationships: { status: 'up' },
        notifications: { status: 'up' },
      },
    });
    const metrics = await gateway().get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/http_request_duration_seconds_bucket\{[^}]*service="gateway"/);
  });
});

describe('the gateway in front of a recording upstream', () => {
  let upstream: Server;
  let app: FastifyInstance;
  let seen: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        res.setHeader('content-type', 'application/json');
        res.setHeader('ms-requestid', String(req.headers['ms-requestid'] ?? ''));
        res.end(JSON.stringify({ ok: true }));
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const { port } = upstream.address() as AddressInfo;
    const closedPort = await freePort();
    const document = {
      paths: {
        '/v1/things/{id}': { patch: { 'x-service': 'identity' }, get: { 'x-service': 'identity' } },
        '/v1/things/special': { get: { 'x-service': 'relationships' } },
      },
    };
    app = await buildGateway({
      config: loadGatewayConfig({
        IDENTITY_URL: `http://127.0.0.1:${port}`,
        RELATIONSHIPS_URL: `http://127.0.0.1:${closedPort}`,
        NOTIFICATIONS_URL: `http://127.0.0.1:${closedPort}`,
        OPENAPI_DOCUMENT: '/unused',
        // The portal `npm run build` wrote (the end-to-end tests run after the build).
        PORTAL_DIR: resolve(__dirname, '..', '..', '..', 'dist', 'portal'),
        RETRY_AFTER_SECONDS: '7',
      }),
      document,
    });
    await app.ready();
  });

  afterAll(async () => {
    await app.close();
    await new Promise((resolve) => upstream.close(resolve));
  });

  beforeEach(() => {
    seen = [];
  });

  it('passes every request header and the body through, and replaces X-Forwarded-For with the client address', async () => {
    const requestId = randomUUID();
    const res = await request(app.server)
      .patch('/v1/things/42?size=5')
      .set('Authorization', 'Bearer abc.def.ghi')
      .set('MS-RequestId', requestId)
      .set('MS-CorrelationId', 'corr-1')
      .set('MS-ContinuationToken', 'next-page')
      .set('If-Match', 'W/"7"')
      .set('X-Forwarded-For', '203.0.113.9')
      .set('X-Real-IP', '203.0.113.10')
      .send({ Name: 'Fabrikam' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
    expect(res.headers['ms-requestid']).toBe(requestId);
    expect(seen).toHaveLength(1);
    const [call] = seen;
    expect(call.method).toBe('PATCH');
    expect(call.url).toBe('/v1/things/42?size=5');
    expect(call.headers).toMatchObject({
      authorization: 'Bearer abc.def.ghi',
      'ms-requestid': requestId,
      'ms-correlationid': 'corr-1',
      'ms-continuationtoken': 'next-page',
      'if-match': 'W/"7"',
    });
    // The gateway trusts no proxy by default: the client cannot choose its address.
    expect(call.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(call.headers['x-real-ip']).toBeUndefined();
    expect(JSON.parse(call.body)).toEqual({ Name: 'Fabrikam' });
  });

  it('answers 503 in the API error format with Retry-After when the service cannot be reached', async () => {
    // `/v1/things/special` (relationships, unreachable) beats `/v1/things/{id}` (identity): a
    // literal segment is more specific than a parameter.
    const res = await request(app.server)
      .get('/v1/things/special')
      .set('MS-RequestId', 'req-503')
      .set('MS-CorrelationId', 'corr-503');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('7');
    expect(res.headers['ms-requestid']).toBe('req-503');
    expect(res.headers['ms-correlationid']).toBe('corr-503');
    expect(res.body).toEqual({
      code: expect.anything() as unknown,
      description: expect.stringContaining('relationships') as unknown,
      data: [],
      source: 'gateway',
    });
    expect(seen).toHaveLength(0);
  });

  it("sends a method no service declares on a path to the path's service (it answers 405)", async () => {
    const res = await request(app.server).delete('/v1/things/42');
    expect(res.status).toBe(200); // the recording upstream answers everything
    expect(seen.map((c) => c.method)).toEqual(['DELETE']);
  });
});
