import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect, JSONCodec } from 'nats';
import { canConnect, freePort } from '../../../scripts/lib/system';
import { harnessSettings, type ExtraInstance } from './instances';

/**
 * Request/response messages as the services exchange them: NATS subjects `<namespace><pattern>`,
 * Nest's packets (`{ pattern, data, id }` out, `{ id, response, err, isDisposed }` back).
 */

const codec = JSONCodec<unknown>();

/**
 * Sends `data` on `pattern` as a caller would, without validating it first (so a test can send
 * what the contract refuses), and resolves with the answer's `response` (the handler's envelope).
 * Rejects when no instance answers within `timeoutMs`.
 */
export async function askRaw(
  pattern: string,
  data: unknown,
  namespace = harnessSettings().messageNamespace,
  timeoutMs = 10_000,
): Promise<unknown> {
  const nc = await connect({ servers: harnessSettings().natsUrl });
  try {
    const reply = await nc.request(
      `${namespace}${pattern}`,
      codec.encode({ pattern, data, id: randomUUID() }),
      { timeout: timeoutMs },
    );
    const packet = codec.decode(reply.data) as { response?: unknown; err?: unknown };
    if (packet.err !== undefined && packet.err !== null) {
      throw new Error(`${pattern} answered an error: ${JSON.stringify(packet.err)}`);
    }
    return packet.response;
  } finally {
    await nc.close();
  }
}

/**
 * How many times an instance ran a message handler for `pattern` with the outcome `code` (`ok`
 * or an error code): the debug line `handleRpc` logs per run, counted in the instance's log file.
 * The instance must run with `logLevel: 'debug'` and be stopped first (its log is complete then).
 */
export function handlerRuns(instance: ExtraInstance, pattern: string, code = 'ok'): number {
  if (!instance.logFile) throw new Error('The instance logs to the console, not to a file.');
  const text = readFileSync(instance.logFile, 'utf8');
  const line = `${pattern} handled: ${code}`;
  return text.split('\n').filter((l) => l.includes(`"msg":"${line}"`)).length;
}

/** A NATS server of a test's own (`nats-server` on the PATH) on a port of its own. */
export interface ThrowawayNats {
  url: string;
  port: number;
  /** Starts it (again, on the same port) and waits (bounded) until it accepts connections. */
  start(): Promise<void>;
  /** Kills it at once (SIGKILL: no goodbye to its clients) and waits until it has exited. */
  kill(): Promise<void>;
}

/** A throwaway NATS on a free port, not started yet. */
export async function throwawayNats(): Promise<ThrowawayNats> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    async start() {
      child = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
      const proc = child;
      exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      const deadline = Date.now() + 10_000;
      while (!(await canConnect('127.0.0.1', port, 500))) {
        if (Date.now() >= deadline || proc.exitCode !== null) {
          proc.kill('SIGKILL');
          throw new Error(`nats-server did not start on port ${port}.`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async kill() {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
