import { readFileSync } from 'node:fs';
import request from 'supertest';

/** A service of the running system. */
export type ServiceName = 'identity' | 'relationships' | 'notifications';

/** What the global setup wrote about the running test system. */
export interface RunningSystem {
  runId: string;
  urls: Record<ServiceName, string> & { maildev: string };
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

/** A supertest agent against a running service, e.g. `api('identity').get('/health')`. */
export function api(service: ServiceName): ReturnType<typeof request> {
  return request(system().urls[service]);
}

/** The `Authorization` header of an access token: `.set(bearer(token))`. */
export function bearer(token: string): { Authorization: string } {
  return { Authorization: `Bearer ${token}` };
}
