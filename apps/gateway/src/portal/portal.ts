import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * The Content-Security-Policy of the portal's pages (issue 12): scripts only from the gateway
 * itself, never inline (`script-src 'self'`, no `'unsafe-inline'`, no `'unsafe-eval'`); the API
 * on the same origin (`connect-src 'self'`). Styles allow `'unsafe-inline'`: Fluent UI v9's
 * styling engine (Griffel) inserts `<style>` rules at run time; no script can come in that way.
 * Forms post only to the same origin, no framing, no `<base>`.
 */
export const PORTAL_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "font-src 'self' data:; connect-src 'self'; manifest-src 'self'; base-uri 'none'; " +
  "form-action 'self'; frame-ancestors 'none'";

/** The headers of every answer under `/portal/`. */
function securityHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', PORTAL_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    .header('referrer-policy', 'no-referrer')
    .header('cross-origin-opener-policy', 'same-origin');
}

/**
 * Serves the built portal (`dir`, `npm run build` writes `dist/portal`) at `/portal/`:
 * - `/portal/assets/*` (content-hashed names): `Cache-Control: public, max-age=31536000,
 *   immutable`; a missing asset is 404 `route.not_found` (never the page);
 * - `/portal/` and every other `/portal/*` path (the single-page app's routes, e.g. the emailed
 *   `/portal/reset-password?token=…`): `index.html` with `Cache-Control: no-store`;
 * - `/portal` → 301 `/portal/` (`/` → 302 `/portal/`: {@link redirectRootToPortal}, answered in
 *   the proxy's pre-handler, which owns `/`);
 * - every answer with {@link PORTAL_CSP}, `nosniff`, `DENY` framing and `no-referrer` (the
 *   emailed links carry tokens in their query).
 * @throws Error when `dir` has no `index.html` (build the portal first).
 */
export async function registerPortal(
  app: FastifyInstance,
  dir: string,
  notFound: (reply: FastifyReply, url: string) => FastifyReply,
): Promise<void> {
  const indexFile = path.join(dir, 'index.html');
  if (!existsSync(indexFile)) {
    throw new Error(`PORTAL_DIR ${dir} has no index.html (npm run build writes it).`);
  }
  const index = readFileSync(indexFile);
  const sendIndex = (reply: FastifyReply) =>
    securityHeaders(reply)
      .header('cache-control', 'no-store')
      .header('content-type', 'text/html; charset=utf-8')
      .send(index);

  await app.register(fastifyStatic, {
    root: path.join(dir, 'assets'),
    prefix: '/portal/assets/',
    wildcard: false,
    index: false,
    decorateReply: false,
    cacheControl: false,
    setHeaders: (reply) => {
      void securityHeaders(reply).header('cache-control', 'public, max-age=31536000, immutable');
    },
  });
  app.get('/portal/assets/*', (req, reply) => notFound(securityHeaders(reply), req.url));
  app.get('/portal', (_req, reply) => reply.redirect('/portal/', 301));
  app.get('/portal/', (_req, reply) => sendIndex(reply));
  app.get('/portal/*', (_req, reply) => sendIndex(reply));
}

/** `GET /` (and `HEAD /`) → 302 `/portal/`: the gateway's root opens the portal. */
export function redirectRootToPortal(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', 'no-store').redirect('/portal/', 302);
}
