import type { Middleware } from 'openapi-fetch';
import { createApiClient, type ApiClient, type ApiClientOptions } from '@app/api-client';
import { assertDocumented } from './openapi-validation';
import { system } from './system';

/**
 * The typed client (libs/api-client) against the gateway, the API's one base URL, as a partner's
 * script uses it: the specs that play user stories call the API through it. Every answer is
 * checked against the OpenAPI document like the supertest agents' (test/e2e/support/system.ts).
 */
const documented: Middleware = {
  async onResponse({ request, response }) {
    const text = await response.clone().text();
    const contentType = response.headers.get('content-type') ?? undefined;
    let body: unknown;
    try {
      body = text && /json/.test(contentType ?? '') ? (JSON.parse(text) as unknown) : undefined;
    } catch {
      body = undefined;
    }
    assertDocumented({
      method: request.method,
      url: request.url,
      status: response.status,
      contentType,
      body,
      text,
    });
    return response;
  },
};

/** A typed client of the running test system's gateway (a token: the calls are that user's). */
export function apiClient(
  token?: string,
  options: Omit<ApiClientOptions, 'baseUrl' | 'token'> = {},
): ApiClient {
  return createApiClient({
    baseUrl: system().urls.gateway,
    token,
    ...options,
    middleware: [documented, ...(options.middleware ?? [])],
  });
}
