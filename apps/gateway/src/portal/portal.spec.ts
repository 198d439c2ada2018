import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { GatewayEnvSchema } from '../config/gateway.config';
import { buildGateway } from '../gateway';
import { PORTAL_CSP } from './portal';

describe('the gateway serving the portal at /portal/', () => {
  let dir: string;
  let app: FastifyInstance;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'portal-'));
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Portal</title>');
    writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), 'console.log(1);');
    // The portal's build splits it by area: chunks loaded later by the entry's import().
    for (const chunk of [
      'auth-Dk3x_9.js',
      'customers-B0x4DfqR.js',
      'rolldown-runtime-Dl_DZoUm.js',
    ]) {
      writeFileSync(path.join(dir, 'assets', chunk), `export const chunk = '${chunk}';`);
    }
    const config = GatewayEnvSchema.parse({ PORTAL_DIR: dir, LOG_LEVEL: 'silent' });
    app = await buildGateway({
      config,
      document: { paths: { '/v1/me': { get: { 'x-service': 'identity' } } } },
    });
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers index.html, not cached, for /portal/ and every page path (single-page app)', async () => {
    for (const url of ['/portal/', '/portal/sign-in', '/portal/customers/123?tab=users']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      expect(res.body).toBe('<!doctype html><title>Portal</title>');
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['content-security-policy']).toBe(PORTAL_CSP);
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-frame-options']).toBe('DENY');
    }
  });

  it('serves hashed assets with a long immutable cache, and a missing asset is a 404', async () => {
    const res = await app.inject({ method: 'GET', url: '/portal/assets/index-abc123.js' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('console.log(1);');
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const missing = await app.inject({ method: 'GET', url: '/portal/assets/gone.js' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ source: 'gateway', data: [] });
  });

  it("serves every chunk of the split build the same way: JavaScript, cached for good, under the portal's CSP", async () => {
    for (const chunk of [
      'auth-Dk3x_9.js',
      'customers-B0x4DfqR.js',
      'rolldown-runtime-Dl_DZoUm.js',
    ]) {
      const res = await app.inject({ method: 'GET', url: `/portal/assets/${chunk}` });
      expect(res.statusCode).toBe(200);
      expect(res.body).toBe(`export const chunk = '${chunk}';`);
      expect(res.headers['content-type']).toMatch(/^(text|application)\/javascript/);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.headers['content-security-policy']).toBe(PORTAL_CSP);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('redirects / (302) and /portal (301) to /portal/', async () => {
    const root = await app.inject({ method: 'GET', url: '/' });
    expect(root.statusCode).toBe(302);
    expect(root.headers.location).toBe('/portal/');
    const bare = await app.inject({ method: 'GET', url: '/portal' });
    expect(bare.statusCode).toBe(301);
    expect(bare.headers.location).toBe('/portal/');
  });

  it("has a CSP whose scripts come from the gateway only (no 'unsafe-inline' script)", () => {
    const scriptSrc = PORTAL_CSP.split(';')
      .map((d) => d.trim())
      .find((d) => d.startsWith('script-src'));
    expect(scriptSrc).toBe("script-src 'self'");
    expect(PORTAL_CSP).toContain("frame-ancestors 'none'");
  });

  it('refuses to start without a built portal', async () => {
    const config = GatewayEnvSchema.parse({ PORTAL_DIR: path.join(dir, 'nothing') });
    await expect(buildGateway({ config, document: { paths: {} } })).rejects.toThrow(
      /has no index.html/,
    );
  });
});
