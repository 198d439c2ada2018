import { ERROR_CODES } from '@app/contracts';
import type { Response } from 'supertest';
import type { ServiceName } from './system';
import type { ApiError } from './types';

/**
 * Assertions on an HTTP answer of any service: the status (with a message naming the call and the
 * body) and the error format `{ code, description, data, source }` (Partner Center's: `code` a
 * number, `data` an array).
 */

/**
 * The number an error name answers as (`errorCode('customer.not_found')` → 900118), from
 * `ERROR_CODES`; a name without an entry fails the test that uses it.
 */
export function errorCode(name: string): number {
  if (!Object.prototype.hasOwnProperty.call(ERROR_CODES, name)) {
    throw new Error(`No entry for the error name ${name} in ERROR_CODES`);
  }
  return ERROR_CODES[name as keyof typeof ERROR_CODES];
}

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

/**
 * Asserts a refused step's status, error name and exact body `{ code, description, data, source }`:
 * `code` is the number of `name` in `ERROR_CODES` (tests name errors by their dotted name), `data`
 * an array.
 */
export function expectApiError(
  response: Response,
  status: number,
  name: string,
  source?: ServiceName,
): ApiError {
  const body = expectStatus<ApiError>(response, status);
  expect(Object.keys(body).sort()).toEqual(['code', 'data', 'description', 'source']);
  expect(body).toMatchObject({
    code: errorCode(name),
    description: expect.any(String) as unknown,
    data: expect.any(Array) as unknown,
    ...(source ? { source } : {}),
  });
  return body;
}
