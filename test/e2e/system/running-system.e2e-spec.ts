import { spawn } from 'node:child_process';
import { deleteRedisKeys, entryOf, envFor, freePort } from '../../../scripts/lib/system';
import { api, harnessSettings, system, type ServiceName } from '../support';

const SERVICES: ServiceName[] = ['identity', 'relationships', 'notifications'];

/** How long a service that refuses its configuration may take to exit. */
const EXIT_TIMEOUT_MS = 20_000;

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  stdout: string;
}

/**
 * Runs a service's built entry with the harness's environment for it (scripts/lib/system.js
 * `envFor`, on a free port, message namespace and BullMQ prefix of its own) after `change` removes
 * or replaces variables, and resolves when it exits. A service still running after
 * `EXIT_TIMEOUT_MS` is stopped (SIGKILL), the Redis keys it may have made under its own prefix are
 * deleted, and the promise rejects.
 */
async function runWithEnv(
  service: ServiceName,
  change: (env: Record<string, string>) => Record<string, string>,
): Promise<Exit> {
  const base = harnessSettings();
  const settings = {
    ...base,
    ports: { ...base.ports, [service]: await freePort() },
    // Should it start after all, it must not take the harness's messages or jobs.
    messageNamespace: `${base.messageNamespace}config-check:`,
    bullmqPrefix: `${base.bullmqPrefix}-config-check`,
  };
  const child = spawn(process.execPath, [entryOf(service)], {
    env: { PATH: process.env.PATH ?? '', ...change(envFor(service, settings)) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += String(chunk)));
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  const exited = new Promise<Exit>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stderr, stdout }));
  });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), EXIT_TIMEOUT_MS);
  });
  const outcome = await Promise.race([exited, timedOut]);
  clearTimeout(timer);
  if (outcome !== 'timeout') return outcome;
  child.kill('SIGKILL');
  await exited;
  await deleteRedisKeys(settings);
  throw new Error(
    `${service} was still running ${EXIT_TIMEOUT_MS} ms after start.\nstderr: ${stderr}\nstdout: ${stdout.slice(-2000)}`,
  );
}

/** The environment without `name`. */
function without(name: string): (env: Record<string, string>) => Record<string, string> {
  return (env) => Object.fromEntries(Object.entries(env).filter(([key]) => key !== name));
}

/** The environment with `name` set to `value`. */
function withValue(
  name: string,
  value: string,
): (env: Record<string, string>) => Record<string, string> {
  return (env) => ({ ...env, [name]: value });
}

/** A stack trace line, e.g. `    at Object.<anonymous> (/…/main.js:12:3)`. */
const STACK_LINE = /^\s+at\s/m;

/** The running system as a whole: health, the identity JWKS, the API error format. */
describe('the running system', () => {
  it.each<ServiceName>(['identity', 'relationships', 'notifications'])(
    '%s answers GET /health with 200',
    async (service) => {
      const response = await api(service).get('/health');
      expect(response.status).toBe(200);
    },
  );

  it('identity publishes an ES256 signing key in its JWKS', async () => {
    const response = await api('identity').get('/.well-known/jwks.json');
    expect(response.status).toBe(200);
    const keys = response.body.keys as {
      kid?: string;
      alg?: string;
      kty?: string;
      use?: string;
      d?: string;
    }[];
    const signing = keys.find((key) => key.alg === 'ES256');
    expect(signing).toMatchObject({ kty: 'EC', use: 'sig' });
    expect(signing?.kid).toEqual(expect.any(String));
    expect(keys.every((key) => key.d === undefined)).toBe(true);
  });

  it.each<ServiceName>(['identity', 'relationships'])(
    '%s answers an unknown route with 404 in the error format and echoes the request ids',
    async (service) => {
      const response = await api(service)
        .get('/v1/no-such-route')
        .set('MS-RequestId', 'e2e-request-1')
        .set('MS-CorrelationId', 'e2e-correlation-1');
      expect(response.status).toBe(404);
      expect(response.body).toEqual({
        code: expect.any(Number),
        description: expect.any(String),
        data: [],
        source: expect.any(String),
      });
      expect(response.headers['ms-requestid']).toBe('e2e-request-1');
      expect(response.headers['ms-correlationid']).toBe('e2e-correlation-1');
    },
  );

  it('generates a request id when the caller sends none and uses it as the correlation id', async () => {
    const response = await api('identity').get('/v1/no-such-route');
    expect(response.headers['ms-requestid']).toEqual(expect.any(String));
    expect(response.headers['ms-correlationid']).toBe(response.headers['ms-requestid']);
  });

  it('runs in its own namespace', () => {
    expect(system().runId).toMatch(/^[a-z0-9]+$/);
  });

  describe('started with a missing or malformed required variable', () => {
    const cases = SERVICES.flatMap((service) => [
      { service, variable: 'DATABASE_URL', problem: 'missing', change: without('DATABASE_URL') },
      {
        service,
        variable: 'REDIS_URL',
        problem: 'not a URL',
        change: withValue('REDIS_URL', 'not a url'),
      },
      {
        service,
        variable: 'REDIS_URL',
        problem: 'without "//" (redis:6379)',
        change: withValue('REDIS_URL', 'redis:6379'),
      },
    ]);

    it.each(cases)(
      '$service exits with status 1 naming $variable ($problem), without a stack trace',
      async ({ service, variable, change }) => {
        const exit = await runWithEnv(service, change);
        expect(exit.code).toBe(1);
        expect(exit.stderr).toMatch(new RegExp(`^\\s*${variable}: `, 'm'));
        expect(exit.stderr).not.toMatch(STACK_LINE);
        expect(exit.stdout).not.toMatch(STACK_LINE);
      },
      EXIT_TIMEOUT_MS + 5_000,
    );
  });
});
