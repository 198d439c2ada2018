import path from 'node:path';
import {
  freePort,
  runningPids,
  startService,
  stopPids,
  type ServiceName,
  type Settings,
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
