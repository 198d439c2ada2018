import { createRequire } from 'node:module';
import path from 'node:path';
import { uniqueSuffix } from './data';
import { system, type ServiceName } from './system';

/**
 * Helpers of the customer, subscription and cross-service (RPC) tests: direct reads of the run's
 * PostgreSQL databases (to prove "nothing written" or "exactly one row") and extra service
 * instances started from the harness's own settings (scripts/lib/system.js).
 */

const load = createRequire(__filename);

/** The harness settings the global setup wrote beside the URLs (see scripts/lib/system.js). */
export interface HarnessSettings {
  host: string;
  postgresUrl: string;
  databases: Record<ServiceName, string>;
  redisUrl: string;
  bullmqPrefix: string;
  messageNamespace: string;
  rpcTimeoutMs: number;
  ports: Record<ServiceName | 'smtp' | 'mailWeb', number>;
  logDir: string | null;
  [key: string]: unknown;
}

/** The settings of the running test system (databases, namespace, ports, ...). */
export function harnessSettings(): HarnessSettings {
  const settings = (system() as unknown as { settings?: HarnessSettings }).settings;
  if (!settings)
    throw new Error('The system file carries no settings: is the global setup current?');
  return settings;
}

interface PgClient {
  connect(): Promise<void>;
  query<R>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
  end(): Promise<void>;
}
interface PgModule {
  Client: new (options: { connectionString: string }) => PgClient;
}

/**
 * Runs one query against a service's own database of this run (a short-lived connection) and
 * returns its rows.
 */
export async function dbRows<R = Record<string, unknown>>(
  service: ServiceName,
  sql: string,
  params: unknown[] = [],
): Promise<R[]> {
  const s = harnessSettings();
  const { Client } = load('pg') as PgModule;
  const client = new Client({ connectionString: `${s.postgresUrl}/${s.databases[service]}` });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** `select count(*) from <table> where <where>` in a service's database. */
export async function dbCount(
  service: ServiceName,
  table: string,
  where: string,
  params: unknown[] = [],
): Promise<number> {
  const [row] = await dbRows<{ n: number }>(
    service,
    `select count(*)::int as n from "${table}" where ${where}`,
    params,
  );
  return row.n;
}

interface SystemLib {
  freePort(): Promise<number>;
  startService(
    service: ServiceName,
    settings: HarnessSettings,
    timeoutMs?: number,
  ): Promise<{ url: string; pid: number | undefined; logFile: string | null }>;
  stopPids(pids: number[], timeoutMs?: number): Promise<void>;
  runningPids(): number[];
}

/** An extra instance of a service, started by a test beside the harness's own. */
export interface ExtraInstance {
  url: string;
  pid: number;
  settings: HarnessSettings;
  /** Stops this instance (by its pid: SIGTERM, then SIGKILL after a timeout). */
  stop(): Promise<void>;
}

/**
 * Starts one more instance of `service` from the built output with the harness's settings, on a
 * free port, its log in its own folder under the run's log folder, after `change` adjusts the
 * settings (e.g. another message namespace or RPC timeout). Waits until its `/health` answers.
 */
export async function startExtraInstance(
  service: ServiceName,
  change: (settings: HarnessSettings) => Partial<HarnessSettings> = () => ({}),
): Promise<ExtraInstance> {
  const lib = load('../../../scripts/lib/system') as SystemLib;
  const base = harnessSettings();
  const port = await lib.freePort();
  const settings: HarnessSettings = {
    ...base,
    ports: { ...base.ports, [service]: port },
    logDir: base.logDir ? path.join(base.logDir, `extra-${service}-${uniqueSuffix()}`) : null,
  };
  Object.assign(settings, change(settings));
  const before = new Set(lib.runningPids());
  let started: Awaited<ReturnType<SystemLib['startService']>>;
  try {
    started = await lib.startService(service, settings);
  } catch (error) {
    // Stop what this call spawned (never anything else) before reporting the failure.
    await lib.stopPids(lib.runningPids().filter((pid) => !before.has(pid)));
    throw error;
  }
  if (started.pid === undefined) throw new Error(`The extra ${service} instance has no pid.`);
  const pid = started.pid;
  return { url: started.url, pid, settings, stop: () => lib.stopPids([pid]) };
}
