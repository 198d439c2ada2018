/**
 * The portal's cookie session (identity's `/v1/auth/portal/*` routes): the refresh token lives
 * only in an HttpOnly, Secure, SameSite=Strict cookie scoped to the session route; the access
 * token only in this module's memory (never in localStorage or sessionStorage). Every request of
 * the cookie session carries the CSRF token (`x-csrf-token`) from `GET /v1/auth/portal/csrf`.
 */

/** An access token of the portal session (the refresh token never reaches the page). */
export interface PortalTokens {
  accessToken: string;
  /** Seconds. */
  expiresIn: number;
  passwordChangeRequired: boolean;
}

/** An API error body: `{ code, description, data, source }` with its HTTP status. */
export class PortalApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    readonly description: string,
    readonly data: unknown[],
  ) {
    super(description);
  }
}

/** An organisation offered when a password fits several (409 `auth.organization_required`). */
export interface OrganizationChoice {
  id: string;
  name: string;
}

const SESSION_BASE = '/v1/auth/portal';

let accessToken: string | undefined;
let csrfToken: string | undefined;

/** The current access token (in memory only), if any. */
export function currentAccessToken(): string | undefined {
  return accessToken;
}

/** Forgets the in-memory access token (after sign-out or a refused refresh). */
export function forgetAccessToken(): void {
  accessToken = undefined;
}

/** Remembers an access token the API answered outside this module (e.g. a password change). */
export function setAccessToken(token: string): void {
  accessToken = token;
}

async function readError(response: Response): Promise<PortalApiError> {
  const body = (await response.json().catch(() => ({}))) as Partial<{
    code: number;
    description: string;
    data: unknown[];
  }>;
  return new PortalApiError(
    response.status,
    body.code ?? 0,
    body.description ?? response.statusText,
    Array.isArray(body.data) ? body.data : [],
  );
}

async function csrf(): Promise<string> {
  if (csrfToken) return csrfToken;
  const response = await fetch(`${SESSION_BASE}/csrf`, { credentials: 'same-origin' });
  if (!response.ok) throw await readError(response);
  csrfToken = ((await response.json()) as { csrfToken: string }).csrfToken;
  return csrfToken;
}

async function sessionCall(method: 'POST' | 'DELETE', path: string, body?: unknown) {
  const send = async () =>
    fetch(`${SESSION_BASE}${path}`, {
      method,
      credentials: 'same-origin',
      headers: {
        'x-csrf-token': await csrf(),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  let response = await send();
  if (response.status === 403) {
    // The CSRF secret cookie may have expired: fetch a new token once.
    csrfToken = undefined;
    response = await send();
  }
  return response;
}

/**
 * Signs in: 200 sets the refresh cookie and answers the access token. Throws
 * {@link PortalApiError} (401 `auth.invalid_credentials`, 403 `auth.email_unverified`, 409
 * `auth.organization_required` with `data` the {@link OrganizationChoice}s, 429 `auth.locked`).
 */
export async function signIn(input: {
  email: string;
  password: string;
  organization?: string;
}): Promise<PortalTokens> {
  const response = await sessionCall('POST', '/sign-in', input);
  if (!response.ok) throw await readError(response);
  const tokens = (await response.json()) as PortalTokens;
  accessToken = tokens.accessToken;
  return tokens;
}

/**
 * A new access token through the refresh cookie (the cookie is rotated); `undefined` when there
 * is no valid session (401), after which the page is signed out.
 */
export async function refresh(): Promise<PortalTokens | undefined> {
  const response = await sessionCall('POST', '/session');
  if (response.status === 401) {
    accessToken = undefined;
    return undefined;
  }
  if (!response.ok) throw await readError(response);
  const tokens = (await response.json()) as PortalTokens;
  accessToken = tokens.accessToken;
  return tokens;
}

/**
 * Changes the signed-in user's password (`POST /v1/auth/portal/password`, bearer + CSRF): a new
 * access token and refresh cookie, every other session revoked. Throws {@link PortalApiError}
 * (401 `auth.invalid_credentials`, 400 `user.weak_password` with `data[0].failedRules`, 400
 * `user.password_unchanged`, 429 `auth.locked`).
 */
export async function changePassword(input: {
  currentPassword: string;
  newPassword: string;
}): Promise<PortalTokens> {
  const send = async () =>
    fetch(`${SESSION_BASE}/password`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        authorization: `Bearer ${accessToken ?? ''}`,
        'x-csrf-token': await csrf(),
        'content-type': 'application/json',
      },
      body: JSON.stringify(input),
    });
  let response = await send();
  if (response.status === 403) {
    csrfToken = undefined;
    response = await send();
  }
  if (!response.ok) throw await readError(response);
  const tokens = (await response.json()) as PortalTokens;
  accessToken = tokens.accessToken;
  return tokens;
}

/** Signs out: revokes the session of the refresh cookie and clears the cookie (204). */
export async function signOut(): Promise<void> {
  const response = await sessionCall('DELETE', '/session');
  accessToken = undefined;
  if (!response.ok && response.status !== 401) throw await readError(response);
}
