import type { Response } from 'supertest';
import { gateway } from '../system';

/**
 * The portal's cookie session through the gateway (`/v1/auth/portal/*`), as a browser would call
 * it: a CSRF token and its secret cookie first, then sign-in, refresh and sign-out sending the
 * cookies back by hand.
 */

/** One `Set-Cookie` of an answer, parsed: the value and the attributes (lower-case names). */
export interface SetCookie {
  name: string;
  value: string;
  attributes: Record<string, string | true>;
}

/** The `Set-Cookie` named `name` of `response`, or undefined. */
export function setCookieOf(response: Response, name: string): SetCookie | undefined {
  const raw = response.headers['set-cookie'] as string[] | string | undefined;
  const all = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  for (const line of all) {
    const [pair, ...rest] = line.split(';').map((part) => part.trim());
    const eq = pair.indexOf('=');
    if (pair.slice(0, eq) !== name) continue;
    const attributes: Record<string, string | true> = {};
    for (const attribute of rest) {
      const at = attribute.indexOf('=');
      if (at === -1) attributes[attribute.toLowerCase()] = true;
      else attributes[attribute.slice(0, at).toLowerCase()] = attribute.slice(at + 1);
    }
    return { name, value: decodeURIComponent(pair.slice(eq + 1)), attributes };
  }
  return undefined;
}

/** A browser's CSRF state: the secret cookie and the token derived from it. */
export interface PortalCsrf {
  /** `pcp_csrf=<secret>`, for the `Cookie` header. */
  cookie: string;
  token: string;
}

/** `GET /v1/auth/portal/csrf` with no cookie: a new secret cookie and its token. */
export async function portalCsrf(): Promise<PortalCsrf & { response: Response }> {
  const response = await gateway().get('/v1/auth/portal/csrf');
  const secret = setCookieOf(response, 'pcp_csrf');
  if (response.status !== 200 || !secret) {
    throw new Error(`GET /v1/auth/portal/csrf answered ${response.status} without pcp_csrf`);
  }
  return {
    response,
    cookie: `pcp_csrf=${secret.value}`,
    token: (response.body as { csrfToken: string }).csrfToken,
  };
}

/** `POST /v1/auth/portal/sign-in` with the CSRF cookie and header. */
export function portalSignIn(
  csrf: PortalCsrf,
  body: { email: string; password: string; organization?: string },
) {
  return gateway()
    .post('/v1/auth/portal/sign-in')
    .set('Cookie', csrf.cookie)
    .set('X-CSRF-Token', csrf.token)
    .send(body);
}

/** `POST /v1/auth/portal/session` (refresh) with `refresh` as the cookie's value. */
export function portalRefresh(csrf: PortalCsrf | undefined, refresh: string | undefined) {
  const cookies = [csrf?.cookie, refresh === undefined ? undefined : `pcp_refresh=${refresh}`];
  const request = gateway().post('/v1/auth/portal/session');
  const cookie = cookies.filter(Boolean).join('; ');
  if (cookie) void request.set('Cookie', cookie);
  if (csrf) void request.set('X-CSRF-Token', csrf.token);
  return request;
}

/** `DELETE /v1/auth/portal/session` (sign-out) with `refresh` as the cookie's value. */
export function portalSignOut(csrf: PortalCsrf | undefined, refresh: string | undefined) {
  const cookies = [csrf?.cookie, refresh === undefined ? undefined : `pcp_refresh=${refresh}`];
  const request = gateway().delete('/v1/auth/portal/session');
  const cookie = cookies.filter(Boolean).join('; ');
  if (cookie) void request.set('Cookie', cookie);
  if (csrf) void request.set('X-CSRF-Token', csrf.token);
  return request;
}
