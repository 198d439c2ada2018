import { readFileSync } from 'node:fs';
import request from 'supertest';
import { assertDocumented } from './openapi-validation';

/** A service of the running system. */
export type ServiceName = 'identity' | 'relationships' | 'notifications';

/** What the global setup wrote about the running test system. */
export interface RunningSystem {
  runId: string;
  urls: Record<ServiceName, string> & { maildev: string; gateway: string };
  operator: { email: string; password: string };
}

let cached: RunningSystem | undefined;

/**
 * The running test system (URLs, run id, operator credentials), read from the file whose path the
 * global setup put in `PCP_E2E_SYSTEM`.
 * @throws Error when the suite runs without its global setup.
 */
export function system(): RunningSystem {
  if (cached) return cached;
  const file = process.env.PCP_E2E_SYSTEM;
  if (!file) {
    throw new Error('PCP_E2E_SYSTEM is not set: run the e2e suite with jest.e2e.config.js.');
  }
  cached = JSON.parse(readFileSync(file, 'utf8')) as RunningSystem;
  return cached;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const;

/**
 * A supertest agent on `base` whose every call checks its answer against the OpenAPI document
 * (test/e2e/support/openapi-validation.ts): a mismatch or an undocumented status fails the test,
 * naming the route.
 */
export function documentedAgent(base: string): ReturnType<typeof request> {
  const agent = request(base);
  return new Proxy(agent, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof property !== 'string' || !(METHODS as readonly string[]).includes(property)) {
        return value;
      }
      return (url: string) => {
        const test = (value as (url: string) => request.Test).call(target, url);
        return test.expect((res: request.Response) => {
          assertDocumented({
            method: property,
            url,
            status: res.status,
            contentType: res.headers['content-type'],
            body: res.body as unknown,
            text: res.text,
          });
        });
      };
    },
  });
}

/**
 * A supertest agent against a running service, e.g. `api('identity').get('/health')`; every
 * answer is checked against the OpenAPI document.
 */
export function api(service: ServiceName): ReturnType<typeof request> {
  return documentedAgent(system().urls[service]);
}

/**
 * A supertest agent against the gateway, the one base URL of the API (every service's routes);
 * every answer is checked against the OpenAPI document.
 */
export function gateway(): ReturnType<typeof request> {
  return documentedAgent(system().urls.gateway);
}

/** The `Authorization` header of an access token: `.set(bearer(token))`. */
export function bearer(token: string): { Authorization: string } {
  return { Authorization: `Bearer ${token}` };
}
