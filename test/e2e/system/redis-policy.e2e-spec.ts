import { spawn, type ChildProcess } from 'node:child_process';
import { canConnect, entryOf, envFor, freePort } from '../../../scripts/lib/system';
import { harnessSettings, type ServiceName } from '../support';

/**
 * Every service checks the eviction policy of its Redis before it serves or consumes anything and
 * refuses to start unless it is `noeviction` (a policy that evicts could drop queue keys). Each
 * case runs a throwaway `redis-server` on a free port, without persistence, and a service pointed
 * at it.
 */

const SERVICES: ServiceName[] = ['identity', 'relationships', 'notifications'];
/** How long a service that refuses its Redis may take to exit. */
const EXIT_TIMEOUT_MS = 30_000;
/** A stack trace line, e.g. `    at Object.<anonymous> (/…/main.js:12:3)`. */
const STACK_LINE = /^\s+at\s/m;

interface ThrowawayRedis {
  url: string;
  stop(): Promise<void>;
}

/** Starts `redis-server` on a free port with `args` and waits (bounded) until it accepts connections. */
async function startRedis(args: string[]): Promise<ThrowawayRedis> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...args],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + 10_000;
  while (!(await canConnect('127.0.0.1', port, 500))) {
    if (Date.now() >= deadline || child.exitCode !== null) {
      await stop();
      throw new Error(`redis-server ${args.join(' ')} did not start on port ${port}.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url: `redis://127.0.0.1:${port}/0`, stop };
}

interface Exit {
  code: number | null;
  stderr: string;
  stdout: string;
}

/** Runs a built service with the harness's environment but `redisUrl`, until it exits. */
async function runAgainst(service: ServiceName, redisUrl: string): Promise<Exit> {
  const base = harnessSettings();
  const settings = {
    ...base,
    redisUrl,
    ports: { ...base.ports, [service]: await freePort() },
    messageNamespace: `${base.messageNamespace}redis-policy:`,
    bullmqPrefix: `${base.bullmqPrefix}-redis-policy`,
  };
  const child = spawn(process.execPath, [entryOf(service)], {
    env: { PATH: process.env.PATH ?? '', ...envFor(service, settings) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += String(chunk)));
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  const exited = new Promise<Exit>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stderr, stdout }));
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
  throw new Error(
    `${service} was still running ${EXIT_TIMEOUT_MS} ms after start against ${redisUrl}.\nstderr: ${stderr}\nstdout: ${stdout.slice(-2000)}`,
  );
}

describe('the Redis eviction policy check at start-up', () => {
  describe('against a Redis with maxmemory-policy allkeys-lru', () => {
    let redis: ThrowawayRedis;

    beforeAll(async () => {
      redis = await startRedis(['--maxmemory-policy', 'allkeys-lru']);
    });
    afterAll(async () => {
      await redis.stop();
    });

    it.each(SERVICES)(
      '%s exits with status 1 and one line naming the policy and the fix',
      async (service) => {
        const exit = await runAgainst(service, redis.url);
        expect(exit.code).toBe(1);
        const lines = exit.stderr.split('\n').filter((line) => line.trim() !== '');
        expect(lines).toHaveLength(1);
        expect(lines[0]).toContain('maxmemory-policy allkeys-lru');
        expect(lines[0]).toContain('--maxmemory-policy noeviction');
        expect(lines[0]).toContain('refusing to start');
        expect(exit.stderr).not.toMatch(STACK_LINE);
        expect(exit.stdout).not.toMatch(STACK_LINE);
      },
      EXIT_TIMEOUT_MS + 5_000,
    );
  });

  it(
    'reads the policy from INFO when CONFIG is disabled (managed Redis)',
    async () => {
      const redis = await startRedis([
        '--maxmemory-policy',
        'volatile-lru',
        '--rename-command',
        'CONFIG',
        '',
      ]);
      try {
        const exit = await runAgainst('identity', redis.url);
        expect(exit.code).toBe(1);
        expect(exit.stderr).toContain('maxmemory-policy volatile-lru');
      } finally {
        await redis.stop();
      }
    },
    EXIT_TIMEOUT_MS + 15_000,
  );
});
