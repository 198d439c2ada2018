import { createHash } from 'node:crypto';
import net from 'node:net';
import request, { type Response } from 'supertest';
import {
  api,
  enrollPartner,
  expectApiError,
  operatorToken,
  startExtraInstance,
  system,
  type ExtraInstance,
  type ServiceName,
  errorCode,
} from '../support';

/**
 * The HTTP edge of every service: helmet's security headers with a strict
 * Content-Security-Policy that still lets the HTML pages (invitation pages, verification page)
 * style themselves (their inline stylesheets are allowed by hash, never `'unsafe-inline'`), the
 * body limit (`HTTP_BODY_LIMIT_BYTES`, 64 KiB) and every malformed request answered in the API
 * error format, and CORS off by default, on only for the origins in `CORS_ORIGINS`.
 */

const SERVICES: ServiceName[] = ['identity', 'relationships', 'notifications'];

/** The directives of a Content-Security-Policy header. */
function directives(header: string | undefined): Record<string, string[]> {
  return Object.fromEntries(
    (header ?? '')
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...values]) => [name, values]),
  );
}

/** Every inline stylesheet of a page, as its CSP hash source. */
function styleHashes(html: string): string[] {
  return [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map(
    ([, css]) => `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`,
  );
}

/** Sends raw bytes to a service and resolves with the raw answer. */
function rawExchange(service: ServiceName, payload: string): Promise<string> {
  const url = new URL(system().urls[service]);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname, () => socket.write(payload));
    let answer = '';
    socket.on('data', (chunk) => (answer += String(chunk)));
    socket.on('close', () => resolve(answer));
    socket.on('error', (error) => (answer ? resolve(answer) : reject(error)));
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer in 10 s')));
  });
}

/** The status line and the JSON body of a raw HTTP answer. */
function parseRaw(answer: string): { status: number; body: Record<string, unknown> } {
  const [head, body] = answer.split('\r\n\r\n');
  return {
    status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]),
    body: JSON.parse(body) as Record<string, unknown>,
  };
}

describe('the HTTP edge of every service', () => {
  it.each(SERVICES)('%s sends the security headers with a strict CSP', async (service) => {
    const response = await api(service).get('/health');
    expect(response.status).toBe(200);
    const csp = directives(response.headers['content-security-policy']);
    expect(csp).toMatchObject({
      'default-src': ["'none'"],
      'base-uri': ["'none'"],
      'form-action': ["'self'"],
      'frame-ancestors': ["'none'"],
    });
    expect(response.headers['content-security-policy']).not.toContain('unsafe');
    expect(response.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
    });
    expect(response.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it.each([
    ['relationships', '/invitations/partnership?token=not-a-valid-token-0000'],
    ['relationships', '/invitations/reseller-relationship?token=not-a-valid-token-0000'],
    ['identity', '/v1/enrollments/verify?token=not-a-valid-token-0000'],
  ] as const)(
    '%s %s: the page styles itself under the CSP (its stylesheet allowed by hash)',
    async (service, path) => {
      const response = await api(service).get(path);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      const hashes = styleHashes(response.text);
      expect(hashes.length).toBeGreaterThan(0);
      const csp = directives(response.headers['content-security-policy']);
      expect(csp['style-src']).toEqual(expect.arrayContaining(hashes));
      expect(response.text).not.toMatch(/\sstyle=|<script/i);
      expect(csp['script-src']).toBeUndefined(); // default-src 'none': no script at all
    },
  );

  describe('query strings', () => {
    it('refuses query parameters on a route that takes none (400 request.invalid naming them), on every service, and reads them where a route declares them', async () => {
      const [partner, operator] = await Promise.all([
        enrollPartner({ partnerType: 'direct' }),
        operatorToken(),
      ]);
      const cases: [ServiceName, string, string][] = [
        ['identity', '/v1/me', partner.token],
        ['identity', '/v1/partner-profile', partner.token],
        ['relationships', '/v1/offers', partner.token],
        ['notifications', '/health', operator],
      ];
      for (const [service, path, token] of cases) {
        const refused = expectApiError(
          await api(service)
            .get(`${path}?tenantId=${partner.tenantId}&b=1`)
            .set({ Authorization: `Bearer ${token}` }),
          400,
          'request.invalid',
          service,
        );
        expect(refused.data).toEqual(['b', 'tenantId']);
        expect(
          (
            await api(service)
              .get(path)
              .set({ Authorization: `Bearer ${token}` })
          ).status,
        ).toBe(200);
      }
      // A route that declares its query still reads it, and refuses an unknown one by its schema.
      const listed = await api('relationships')
        .get('/v1/customers?size=5')
        .set({ Authorization: `Bearer ${partner.token}` });
      expect(listed.status).toBe(200);
      expectApiError(
        await api('relationships')
          .get('/v1/customers?size=5&tenantId=x')
          .set({ Authorization: `Bearer ${partner.token}` }),
        400,
        'request.invalid',
        'relationships',
      );
    });
  });

  describe('bodies and malformed requests', () => {
    it('refuses a body over 64 KiB with 413 in the API error format, and reads one under it', async () => {
      const over = await api('identity')
        .post('/v1/auth/token')
        .set('content-type', 'application/json')
        .send(JSON.stringify({ email: 'a@contoso.example', password: 'x'.repeat(65 * 1024) }));
      expectApiError(over, 413, 'request.too_large', 'identity');
      const under = await api('identity')
        .post('/v1/auth/token')
        .set('content-type', 'application/json')
        .send(JSON.stringify({ email: 'a@contoso.example', password: 'x'.repeat(60 * 1024) }));
      expect(under.status).toBeLessThan(500);
      expect(under.status).not.toBe(413);
    });

    it('answers a malformed URL, an overlong path parameter, invalid JSON and a foreign content type in the API error format', async () => {
      expectApiError(
        await api('identity').get('/v1/users/%zz'),
        400,
        'request.invalid',
        'identity',
      );
      expectApiError(
        await api('relationships').get(`/v1/customers/${'a'.repeat(500)}`),
        414,
        'request.uri_too_long',
        'relationships',
      );
      expectApiError(
        await api('identity')
          .post('/v1/auth/token')
          .set('content-type', 'application/json')
          .send('{"a":'),
        400,
        'request.invalid',
        'identity',
      );
      const xml = await api('identity')
        .post('/v1/auth/token')
        .set('content-type', 'application/xml')
        .send('<a/>');
      expectApiError(xml, 415, 'request.unsupported_media_type', 'identity');
    });

    it('answers headers over 16 KiB (431) and a request that is not HTTP (400) in the API error format', async () => {
      const tooLarge = parseRaw(
        await rawExchange(
          'identity',
          `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\nConnection: close\r\n\r\n`,
        ),
      );
      expect(tooLarge).toEqual({
        status: 431,
        body: {
          code: errorCode('request.headers_too_large'),
          description: expect.any(String) as unknown,
          data: [],
          source: 'identity',
        },
      });
      const garbage = parseRaw(await rawExchange('relationships', 'NOT HTTP AT ALL\r\n\r\n'));
      expect(garbage).toMatchObject({
        status: 400,
        body: { code: errorCode('request.malformed'), source: 'relationships' },
      });
    });
  });

  describe('CORS', () => {
    const PORTAL = 'https://portal.example';
    let withCors: ExtraInstance | undefined;

    beforeAll(async () => {
      withCors = await startExtraInstance('relationships', () => ({ corsOrigins: [PORTAL] }));
    }, 90_000);

    afterAll(async () => {
      await withCors?.stop();
    }, 30_000);

    function preflight(base: string, origin: string): Promise<Response> {
      return request(base)
        .options('/v1/customers')
        .set('Origin', origin)
        .set('Access-Control-Request-Method', 'GET')
        .set('Access-Control-Request-Headers', 'authorization');
    }

    it('is off by default: no cross-origin headers, no preflight', async () => {
      const response = await api('relationships').get('/health').set('Origin', PORTAL);
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
      const options = await preflight(system().urls.relationships, PORTAL);
      expect(options.headers['access-control-allow-origin']).toBeUndefined();
      // No preflight route: OPTIONS is a method the path does not answer (405 with Allow).
      expectApiError(options, 405, 'route.method_not_allowed', 'relationships');
      expect(options.headers.allow).toMatch(/^GET, HEAD, POST/);
    });

    it('with CORS_ORIGINS, allows exactly those origins', async () => {
      const base = (withCors as ExtraInstance).url;
      const allowed = await preflight(base, PORTAL);
      expect(allowed.status).toBe(204);
      expect(allowed.headers['access-control-allow-origin']).toBe(PORTAL);
      expect(allowed.headers['access-control-allow-headers']).toMatch(/authorization/i);
      expect(allowed.headers['access-control-allow-credentials']).toBeUndefined();
      const read = await request(base).get('/health').set('Origin', PORTAL);
      expect(read.headers['access-control-allow-origin']).toBe(PORTAL);
      expect(read.headers['access-control-expose-headers']).toMatch(/MS-RequestId/i);

      const other = await preflight(base, 'https://evil.example');
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
      const otherRead = await request(base).get('/health').set('Origin', 'https://evil.example');
      expect(otherRead.headers['access-control-allow-origin']).toBeUndefined();
    });
  });
});
