import type { Response } from 'supertest';
import type { ServiceName } from './system';
import type { ApiError } from './types';

/**
 * Assertions on an HTTP answer of any service: the status (with a message naming the call and the
 * body) and the error format `{ code, description, data, source }`.
 */

/**
 * Asserts the status of a response and returns its body; the error names the method, path, status
 * and body, which supertest's `.expect(status)` does not.
 */
export function expectStatus<T = Record<string, unknown>>(response: Response, status: number): T {
  if (response.status !== status) {
    const req = (response as unknown as { req?: { method?: string; path?: string } }).req;
    throw new Error(
      `Expected ${status} from ${req?.method ?? ''} ${req?.path ?? ''}, got ${response.status}: ${response.text}`,
    );
  }
  return response.body as T;
}

/** Asserts a refused step's status, code and exact body `{ code, description, data, source }`. */
export function expectApiError(
  response: Response,
  status: number,
  code: string,
  source?: ServiceName,
): ApiError {
  const body = expectStatus<ApiError>(response, status);
  expect(Object.keys(body).sort()).toEqual(['code', 'data', 'description', 'source']);
  expect(body).toMatchObject({
    code,
    description: expect.any(String) as unknown,
    ...(source ? { source } : {}),
  });
  return body;
}
