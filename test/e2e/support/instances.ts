import path from 'node:path';
import { Client, type QueryResultRow } from 'pg';
import {
  deleteRedisKeys,
  dropDatabases,
  freePort,
  migrateAll,
  runningPids,
  startInstance,
  startInstances,
  startService,
  stopPids,
  type ServiceName,
  type Settings,
  type StartedInstance,
} from '../../../scripts/lib/system';
import { uniqueSuffix } from './data';
import { system } from './system';

/**
 * The settings the running test system was started with, and extra service instances started
 * from them (scripts/lib/system.js builds every service's environment from these settings).
 */

/** The harness settings the global setup wrote beside the URLs (see scripts/lib/system.js). */
export type HarnessSettings = Settings;

/** The settings of the running test system (databases, namespace, ports, ...). */
export function harnessSettings(): HarnessSettings {
  const settings = (system() as unknown as { settings?: HarnessSettings }).settings;
  if (!settings)
    throw new Error('The system file carries no settings: is the global setup current?');
  return settings;
}

/** An extra instance of a service, started by a test beside the harness's own. */
export interface ExtraInstance {
  url: string;
  pid: number;
  settings: HarnessSettings;
  /** Its log file (null when its settings log to the console). */
  logFile: string | null;
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
  const base = harnessSettings();
  const port = await freePort();
  const settings: HarnessSettings = {
    ...base,
    ports: { ...base.ports, [service]: port },
    logDir: base.logDir ? path.join(base.logDir, `extra-${service}-${uniqueSuffix()}`) : null,
  };
  Object.assign(settings, change(settings));
  const before = new Set(runningPids());
  let started: Awaited<ReturnType<typeof startService>>;
  try {
    started = await startService(service, settings);
  } catch (error) {
    // Stop what this call spawned (never anything else) before reporting the failure.
    await stopPids(runningPids().filter((pid) => !before.has(pid)));
    throw error;
  }
  if (started.pid === undefined) throw new Error(`The extra ${service} instance has no pid.`);
  const pid = started.pid;
  return {
    url: started.url,
    pid,
    settings,
    logFile: started.logFile,
    stop: () => stopPids([pid]),
  };
}

/** A whole system of its own with several instances of each service (see startSeveralInstances). */
export interface SeveralInstances {
  settings: HarnessSettings;
  /** Each service's instances, the first one on the settings' port. */
  instances: Record<ServiceName, StartedInstance[]>;
  /** Every instance's URL of a service. */
  urls(service: ServiceName): string[];
  /** Rows of a query in one of its databases. */
  query<R extends QueryResultRow = Record<string, unknown>>(
    service: ServiceName,
    sql: string,
    params?: unknown[],
  ): Promise<R[]>;
  /** The sum, over every instance of `service`, of a counter's series in `/metrics`. */
  counter(service: ServiceName, name: string): Promise<number>;
  /** Stops one instance (SIGTERM, then SIGKILL after a timeout). */
  stopInstance(instance: StartedInstance): Promise<void>;
  /** Starts instance `index` of `service` again on `port` and records it. */
  startInstance(service: ServiceName, index: number, port: number): Promise<StartedInstance>;
  /** Stops every instance, drops its databases and deletes its Redis keys. */
  stop(): Promise<void>;
}

/**
 * A second system beside the harness's, with `count` instances of each service (the instances of a
 * service share its database, BullMQ prefix and message namespace: what several machines running
 * the same service share), on databases, a BullMQ prefix and a namespace of its own: what the once-
 * only work does is then counted exactly, with nothing of the other specs' traffic in its tables.
 * Mail goes to the harness's MailDev. `extraEnv` adds variables per service (e.g. a sweep every
 * second). Built output; migrated here.
 */
export async function startSeveralInstances(
  count: number,
  extraEnv: Settings['extraEnv'] = {},
): Promise<SeveralInstances> {
  const base = harnessSettings();
  const suffix = uniqueSuffix()
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .slice(-8);
  const settings: HarnessSettings = {
    ...base,
    name: `${base.name}-x${suffix}`,
    databases: {
      identity: `${base.databases.identity}_x${suffix}`,
      relationships: `${base.databases.relationships}_x${suffix}`,
      notifications: `${base.databases.notifications}_x${suffix}`,
    },
    bullmqPrefix: `${base.bullmqPrefix}-x${suffix}`,
    messageNamespace: `${base.messageNamespace}x${suffix}:`,
    ports: {
      ...base.ports,
      identity: await freePort(),
      relationships: await freePort(),
      notifications: await freePort(),
    },
    logDir: base.logDir ? path.join(base.logDir, `instances-${suffix}`) : null,
    extraEnv: {
      identity: { ...base.extraEnv?.identity, ...extraEnv.identity },
      relationships: { ...base.extraEnv?.relationships, ...extraEnv.relationships },
      notifications: { ...base.extraEnv?.notifications, ...extraEnv.notifications },
    },
  };
  const before = new Set(runningPids());
  const ours = () => runningPids().filter((pid) => !before.has(pid));
  let instances: Record<ServiceName, StartedInstance[]>;
  try {
    await migrateAll(settings);
    instances = await startInstances(settings, count, { portOf: () => freePort() });
  } catch (error) {
    await stopPids(ours());
    await dropDatabases(settings).catch(() => undefined);
    throw error;
  }
  const query = async <R extends QueryResultRow>(
    service: ServiceName,
    sql: string,
    params: unknown[] = [],
  ): Promise<R[]> => {
    const client = new Client({
      connectionString: `${settings.postgresUrl}/${settings.databases[service]}`,
    });
    await client.connect();
    try {
      return (await client.query<R>(sql, params)).rows;
    } finally {
      await client.end();
    }
  };
  return {
    settings,
    instances,
    urls: (service) => instances[service].map((instance) => instance.url),
    query,
    async counter(service, name) {
      const texts = await Promise.all(
        instances[service].map(async (instance) => {
          const response = await fetch(`${instance.url}/metrics`);
          if (!response.ok) throw new Error(`${instance.url}/metrics answered ${response.status}`);
          return response.text();
        }),
      );
      let sum = 0;
      for (const line of texts.join('\n').split('\n')) {
        if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) {
          sum += Number(line.slice(line.lastIndexOf(' ') + 1));
        }
      }
      return sum;
    },
    async stopInstance(instance) {
      if (instance.pid !== undefined) await stopPids([instance.pid]);
    },
    async startInstance(service, index, port) {
      const started = await startInstance(service, settings, index, port);
      const list = instances[service];
      const at = list.findIndex((instance) => instance.name === started.name);
      if (at >= 0) list[at] = started;
      else list.push(started);
      return started;
    },
    async stop() {
      await stopPids(ours());
      await dropDatabases(settings).catch(() => undefined);
      await deleteRedisKeys(settings).catch(() => undefined);
    },
  };
}
