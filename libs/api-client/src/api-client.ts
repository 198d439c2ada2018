import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { paths } from './generated/schema';

/**
 * The typed client of the API (issue 11 "Documented and typed"): openapi-fetch over the types
 * openapi-typescript generates from the OpenAPI document (`npm run build` / `npm run check` write
 * `src/generated/schema.d.ts`; never committed). Every path, parameter, body and answer is typed:
 * `client.GET('/v1/customers/{id}', { params: { path: { id } } })` answers `{ data, error,
 * response }` with `data` typed as the documented 200 body and `error` as the API error format.
 */

/** The API's typed paths (generated). */
export type ApiPaths = paths;

/** A client of the API. */
export type ApiClient = Client<paths>;

/** What {@link createApiClient} takes. */
export interface ApiClientOptions {
  /** The one base URL of the API: the gateway, e.g. `http://127.0.0.1:3000`. */
  baseUrl: string;
  /** An access token (`POST /v1/auth/token`), or a function giving the current one. */
  token?: string | (() => string | undefined);
  /**
   * `MS-CorrelationId` of every request (Partner Center REST headers): one id for a whole
   * operation of several calls. Default: a new one per client.
   */
  correlationId?: string;
  /** `MS-RequestId` of a request: default a new UUID per request (set it to retry a create). */
  requestId?: () => string;
  /** The fetch implementation (default: the global one). */
  fetch?: typeof fetch;
  /** Middleware run on every call (e.g. the tests' check of each answer against the document). */
  middleware?: Middleware[];
}

/**
 * A client of the API at `baseUrl`: sends `Authorization: Bearer <token>` when a token is given,
 * `MS-RequestId` (a new UUID per request unless the call sets one) and `MS-CorrelationId` (one per
 * client unless given) on every request, as Partner Center's SDKs do.
 */
/** A new UUID (Web Crypto: the same in Node 20 and in browsers, so the portal bundles this file). */
const randomUUID = (): string => globalThis.crypto.randomUUID();

export function createApiClient(options: ApiClientOptions): ApiClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const correlationId = options.correlationId ?? randomUUID();
  const requestId = options.requestId ?? randomUUID;
  client.use({
    onRequest({ request }) {
      if (!request.headers.has('MS-RequestId')) request.headers.set('MS-RequestId', requestId());
      if (!request.headers.has('MS-CorrelationId')) {
        request.headers.set('MS-CorrelationId', correlationId);
      }
      const token = typeof options.token === 'function' ? options.token() : options.token;
      if (token && !request.headers.has('Authorization')) {
        request.headers.set('Authorization', `Bearer ${token}`);
      }
      return request;
    },
  });
  for (const middleware of options.middleware ?? []) client.use(middleware);
  return client;
}
