import { createApiClient, type ApiClient, type ApiPaths } from '@app/api-client';
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import type { Audience } from '../app/portal-route';
import * as portalSession from './portal-session';

/** `GET /v1/me`'s answer: the signed-in user and its organisation. */
export type Me = ApiPaths['/v1/me']['get']['responses'][200]['content']['application/json'];

/** What {@link useSession} gives. */
export interface Session {
  /** `loading` until the first refresh through the cookie answered. */
  status: 'loading' | 'signed-out' | 'signed-in';
  /** The signed-in user and organisation (`GET /v1/me`), `null` when signed out. */
  me: Me | null;
  /** The audience of the signed-in organisation, `null` when signed out. */
  audience: Audience | null;
  /** While true, every page but the password change sends the user there. */
  passwordChangeRequired: boolean;
  /**
   * Signs in through the cookie session (see portal-session.ts `signIn` for the errors it
   * throws: a {@link portalSession.PortalApiError}).
   */
  signIn(input: { email: string; password: string; organization?: string }): Promise<void>;
  /** Re-reads `GET /v1/me` and the password state after the caller changed them. */
  reload(passwordChangeRequired?: boolean): Promise<void>;
  /** Signs out (the refresh cookie is revoked and cleared) and forgets the access token. */
  signOut(): Promise<void>;
}

/** The audience of `me`'s organisation (see src/app/portal-route.ts `Audience`). */
export function audienceOf(me: Me): Audience {
  if (me.tenant.kind === 'platform') return 'operator';
  if (me.tenant.kind === 'customer') return 'customer';
  return me.tenant.partner?.partnerType === 'indirect_reseller'
    ? 'indirect_reseller'
    : 'indirect_provider';
}

const SessionContext = createContext<Session | null>(null);
const ApiContext = createContext<ApiClient | null>(null);

/**
 * The API client of the page: the gateway on the page's own origin, the in-memory access token,
 * and on a 401 one refresh through the cookie session and a retry of the same request.
 */
function createPortalApiClient(onSignedOut: () => void): ApiClient {
  const fetchWithRefresh: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const retry = request.clone();
    const response = await fetch(request);
    if (response.status !== 401) return response;
    const tokens = await portalSession.refresh().catch(() => undefined);
    if (!tokens) {
      onSignedOut();
      return response;
    }
    retry.headers.set('Authorization', `Bearer ${tokens.accessToken}`);
    return fetch(retry);
  };
  return createApiClient({
    baseUrl: window.location.origin,
    token: portalSession.currentAccessToken,
    fetch: fetchWithRefresh,
  });
}

/** Provides {@link useSession} and {@link useApi} to the portal. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<Session['status']>('loading');
  const [me, setMe] = useState<Me | null>(null);
  const [passwordChangeRequired, setPasswordChangeRequired] = useState(false);

  const signedOut = useCallback(() => {
    portalSession.forgetAccessToken();
    setMe(null);
    setPasswordChangeRequired(false);
    setStatus('signed-out');
  }, []);

  const api = useMemo(() => createPortalApiClient(signedOut), [signedOut]);

  const loadMe = useCallback(
    async (changeRequired: boolean) => {
      const { data } = await api.GET('/v1/me');
      if (!data) return signedOut();
      setMe(data);
      setPasswordChangeRequired(changeRequired || data.user.passwordTemporary);
      setStatus('signed-in');
    },
    [api, signedOut],
  );

  useEffect(() => {
    portalSession
      .refresh()
      .then((tokens) => (tokens ? loadMe(tokens.passwordChangeRequired) : signedOut()))
      .catch(signedOut);
  }, [loadMe, signedOut]);

  const session = useMemo<Session>(
    () => ({
      status,
      me,
      audience: me ? audienceOf(me) : null,
      passwordChangeRequired,
      async signIn(input) {
        const tokens = await portalSession.signIn(input);
        await loadMe(tokens.passwordChangeRequired);
      },
      async reload(changeRequired = false) {
        await loadMe(changeRequired);
      },
      async signOut() {
        try {
          await portalSession.signOut();
        } finally {
          signedOut();
        }
      },
    }),
    [status, me, passwordChangeRequired, loadMe, signedOut],
  );

  return (
    <ApiContext.Provider value={api}>
      <SessionContext.Provider value={session}>{children}</SessionContext.Provider>
    </ApiContext.Provider>
  );
}

/** The signed-in session: `{ status, me, audience, passwordChangeRequired, signIn, reload, signOut }`. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession() needs <SessionProvider>.');
  return session;
}

/**
 * The typed API client (`@app/api-client`: `api.GET('/v1/customers', …)` → `{ data, error }`)
 * with the session's access token; a 401 refreshes once through the cookie and retries.
 */
export function useApi(): ApiClient {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi() needs <SessionProvider>.');
  return api;
}
