import fastifyCookie from '@fastify/cookie';
import fastifyCsrfProtection from '@fastify/csrf-protection';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * The portal's cookie session (issue 12): the routes under {@link PORTAL_SESSION_BASE}, the
 * refresh-token cookie and the CSRF secret cookie.
 */

/** Where the portal's session routes live (through the gateway: the same path). */
export const PORTAL_SESSION_BASE = '/v1/auth/portal';

/**
 * The refresh route; the refresh cookie's `Path` (sent to `POST`/`DELETE` of this path only,
 * never to the rest of the API).
 */
export const REFRESH_COOKIE_PATH = `${PORTAL_SESSION_BASE}/session`;

/** The refresh token's cookie: HttpOnly, Secure, SameSite=Strict, Path {@link REFRESH_COOKIE_PATH}. */
export const REFRESH_COOKIE = 'pcp_refresh';

/**
 * The CSRF secret's cookie (`@fastify/csrf-protection`): HttpOnly, Secure, SameSite=Strict,
 * Path {@link PORTAL_SESSION_BASE}, for the browser's session (no Max-Age). The token the page
 * sends in `X-CSRF-Token` is derived from it (`GET /v1/auth/portal/csrf`).
 */
export const CSRF_COOKIE = 'pcp_csrf';

/** The attributes of the refresh cookie (and of its clearing). */
export const REFRESH_COOKIE_OPTIONS = {
  path: REFRESH_COOKIE_PATH,
  httpOnly: true,
  secure: true,
  sameSite: 'strict',
} as const;

/**
 * Registers `@fastify/cookie` (cookie parsing and `Set-Cookie`) and `@fastify/csrf-protection`
 * (synchronizer tokens whose secret lives in {@link CSRF_COOKIE}; the token is read from the
 * `X-CSRF-Token` header only) on identity's Fastify instance; `startHttpService`'s `register`.
 */
export async function registerPortalSessionPlugins(app: NestFastifyApplication): Promise<void> {
  await app.register(fastifyCookie);
  await app.register(fastifyCsrfProtection, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: CSRF_COOKIE,
    cookieOpts: { path: PORTAL_SESSION_BASE, httpOnly: true, secure: true, sameSite: 'strict' },
    getToken: (req) => {
      const value = req.headers['x-csrf-token'];
      return Array.isArray(value) ? value[0] : value;
    },
  });
}
