/** Types of scripts/lib/system.js for the TypeScript tests that use it. */
export type ServiceName = 'identity' | 'relationships' | 'notifications';

export interface AuthSettings {
  accessTokenTtlSeconds: number;
  addressLimit: number;
  addressWindowSeconds: number;
  maxFailures: number;
  failureWindowSeconds: number;
  lockoutSeconds: number;
  trustProxy: string;
}

export interface PublicRouteSettings {
  addressLimit: number;
  targetLimit: number;
  windowSeconds: number;
  hashingConcurrency: number;
  hashingQueue: number;
}

export interface Settings {
  name: string;
  host: string;
  nodeEnv: 'development' | 'production' | 'test';
  logLevel: string;
  postgresUrl: string;
  databases: Record<ServiceName, string>;
  redisUrl: string;
  bullmqPrefix: string;
  natsUrl: string;
  messageNamespace: string;
  rpcTimeoutMs: number;
  ports: Record<ServiceName | 'smtp' | 'mailWeb', number> & { gateway?: number };
  /** The gateway's TRUST_PROXY. */
  gatewayTrustProxy: string;
  /** Emailed links name the gateway's URL instead of the services' own. */
  linksThroughGateway?: boolean;
  smtpHost: string;
  operator: { email: string; password: string };
  autoApprove: boolean;
  linkSealingKey: string;
  signingKeyEncryptionKey: string;
  auth: AuthSettings;
  publicRoutes: PublicRouteSettings;
  relationshipsTrustProxy: string;
  mailFrom: string;
  messageIdDomain: string;
  customerDomainSuffix: string;
  logDir: string | null;
  /** More variables for a service, over the ones above. */
  extraEnv?: Partial<Record<ServiceName, Record<string, string>>>;
  /** CORS_ORIGINS (absent or empty: CORS off, the default). */
  corsOrigins?: string[];
  /** TENANT_RATE_LIMIT and TENANT_RATE_LIMIT_WINDOW_SECONDS: authenticated requests per tenant. */
  tenantRateLimit: { limit: number; windowSeconds: number };
}

export const ROOT: string;
export const RUN_DIR: string;
export const SERVICES: readonly ServiceName[];
export const START_POSTGRES: string;
export const START_REDIS: string;
export const START_NATS: string;
export function devSettings(): Settings;
export function testSettings(runId: string, ports: Settings['ports']): Settings;
export function envFor(service: ServiceName, settings: Settings): Record<string, string>;
export function urlOf(settings: Settings, service: ServiceName): string;
export function gatewayUrlOf(settings: Settings): string | undefined;
export function publicUrlOf(settings: Settings, service: ServiceName): string;
export function gatewayEnv(
  settings: Settings,
  upstreams?: Partial<Record<ServiceName, string[]>>,
): Record<string, string>;
export function startGateway(
  settings: Settings,
  upstreams?: Partial<Record<ServiceName, string[]>>,
  timeoutMs?: number,
): Promise<{ url: string; pid: number | undefined; logFile: string | null }>;
export const OPENAPI_DOCUMENT: string;
export function mailDevUrl(settings: Settings): string;
export function entryOf(service: ServiceName | 'gateway'): string;
export function assertBuilt(services?: readonly ServiceName[]): void;
export function isPortFree(host: string, port: number): Promise<boolean>;
export function canConnect(host: string, port: number, timeoutMs?: number): Promise<boolean>;
export function freePort(host?: string): Promise<number>;
export function ephemeralRangeStart(file?: string): number | null;
export function checkPrerequisites(options?: { exit?: boolean }): Promise<void>;
export function createDatabases(settings: Settings): Promise<void>;
export function dropDatabases(settings: Settings): Promise<void>;
export function deleteRedisKeys(settings: Settings): Promise<number>;
export function migrateAll(settings: Settings): Promise<Record<ServiceName, string>>;
export function runToExit(
  service: ServiceName,
  args: string[],
  settings: Settings,
  timeoutMs?: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>;
export function startMailDev(
  settings: Settings,
  timeoutMs?: number,
): Promise<{
  url: string;
  apiUrl: string;
  smtp: string;
  pid: number | undefined;
  logFile: string | null;
}>;
export function startService(
  service: ServiceName,
  settings: Settings,
  timeoutMs?: number,
  nodeArgs?: string[],
): Promise<{ url: string; pid: number | undefined; logFile: string | null }>;
export function instanceName(service: ServiceName, index: number): string;
export function instancePort(settings: Settings, service: ServiceName, index: number): number;
export interface StartedInstance {
  name: string;
  url: string;
  pid: number | undefined;
  logFile: string | null;
}
export function startInstance(
  service: ServiceName,
  settings: Settings,
  index: number,
  port: number,
  timeoutMs?: number,
  nodeArgs?: string[],
): Promise<StartedInstance>;
export function startInstances(
  settings: Settings,
  count: number,
  options?: {
    portOf?: (service: ServiceName, index: number) => number | Promise<number>;
    timeoutMs?: number;
    nodeArgs?: string[];
  },
): Promise<Record<ServiceName, StartedInstance[]>>;
export function stopAll(timeoutMs?: number): Promise<void>;
export function stopPids(pids: number[], timeoutMs?: number): Promise<void>;
export function killProcess(name: string, signal?: NodeJS.Signals): Promise<boolean>;
export function runningPids(): number[];
export function checkPostgres(): Promise<string | null>;
