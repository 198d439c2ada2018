import { z } from 'zod';
import { developmentSecretProblems } from './development-secrets';

/**
 * Thrown when the environment does not satisfy a service's configuration schema. The message names
 * every missing or malformed variable, e.g. `DATABASE_URL: Invalid input: expected string`.
 */
export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

/**
 * Validate `env` against `schema` once at boot and return the typed configuration. With
 * `NODE_ENV=production`, a secret with a published development value (`DEVELOPMENT_SECRETS`:
 * the link-sealing key, the operator password, the signing-key encryption key) is refused too.
 * @throws ConfigError naming each offending variable.
 */
export function parseConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  const config: z.infer<S> = result.data;
  if (typeof config === 'object' && config !== null) {
    const problems = developmentSecretProblems(config as Record<string, unknown>);
    if (problems.length > 0) throw new ConfigError(problems);
  }
  return config;
}

/** `redis://` with a host (`new URL()` alone also accepts `redis:6379` and `localhost:6379`). */
/** A URL with one of `protocols` and a host (`new URL` alone also takes `redis:6379`). */
function isUrlWithHost(value: string, protocols: string[]): boolean {
  try {
    const url = new URL(value);
    return protocols.includes(url.protocol) && url.hostname !== '';
  } catch {
    return false;
  }
}

/** `https://portal.example` or `http://localhost:8080`: exactly an origin, nothing more. */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return ['http:', 'https:'].includes(url.protocol) && url.origin === value;
  } catch {
    return false;
  }
}

/** Default largest request body: 64 KiB (the largest legitimate body, a new customer, is ~2 KiB). */
export const DEFAULT_BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Default of `DATABASE_POOL_SIZE`: connections per service instance. On the 2-core machine of
 * `npm run bench`, PostgreSQL's CPU per delivered email fell from 2.8 ms with pools of 10 to
 * 2.0 ms with 3 or 4 and 1.8 ms with 2 (one run each of 2, 4 and 6, two of 3 and 10): the fewer
 * backends run at once, the less they spend taking turns on the cores and on PostgreSQL's shared
 * locks. 4 leaves room for the background loops (outbox relay, confirmation, audit chain) beside
 * the requests.
 */
export const DEFAULT_DATABASE_POOL_SIZE = 4;

const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .default(false);

/** `true`/`false`/`1`/`0` environment flag. */
export const envFlag = () => bool;

/** A TCP port number given as a string. */
export const envPort = (fallback?: number) =>
  fallback === undefined
    ? z.coerce.number().int().min(1).max(65535)
    : z.coerce.number().int().min(1).max(65535).default(fallback);

/** Variables every service reads: Redis, BullMQ prefix, NATS, message namespace, RPC timeout, logs, HTTP limits and CORS. */
export const CommonEnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * Redis for BullMQ (and rate limits, token revocations), e.g. `redis://127.0.0.1:6379/0`. Only
   * `redis://` with a host: `new URL()` also accepts `redis:6379` or `localhost:6379` (no host),
   * which would connect to the default host and select a wrong database, and `rediss://`, whose TLS
   * redisOptionsFromUrl does not carry over.
   */
  REDIS_URL: z
    .string()
    .refine(
      (v) => isUrlWithHost(v, ['redis:']),
      'must be a redis:// URL with a host, e.g. redis://127.0.0.1:6379/0',
    ),
  /** BullMQ key prefix; a test run sets its own so runs never share queues. */
  BULLMQ_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9_-]+$/)
    .default('pcp'),
  /**
   * NATS for request/response between services (each service's instances form one queue group),
   * e.g. `nats://127.0.0.1:4222`. Only `nats://` with a host.
   */
  NATS_URL: z
    .string()
    .refine(
      (v) => isUrlWithHost(v, ['nats:']),
      'must be a nats:// URL with a host, e.g. nats://127.0.0.1:4222',
    )
    .default('nats://127.0.0.1:4222'),
  /**
   * Prefix of every request/response subject (`<namespace><pattern>`): two systems (two test
   * runs) on one NATS never answer each other's requests. Letters, digits, `_ : -` and `.`; a `.`
   * separates NATS subject tokens, so the namespace never starts with one nor holds two in a row.
   */
  MESSAGE_NAMESPACE: z
    .string()
    .regex(/^[a-zA-Z0-9_.:-]*$/)
    .refine(
      (v) => !v.startsWith('.') && !v.includes('..'),
      'must not start with "." nor hold ".." (NATS subject tokens are never empty)',
    )
    .default(''),
  /** Timeout of every request/response call, in milliseconds. */
  RPC_TIMEOUT_MS: z.coerce.number().int().min(100).max(60000).default(5000),
  /**
   * Authenticated requests each tenant (the caller's organisation, from its token) may send per
   * window, across every service (one count in the shared Redis); over it: 429 `request.throttled`
   * with `Retry-After`. Default: Partner Center's 500 requests per minute per tenant.
   */
  TENANT_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000_000).default(500),
  /** The window of `TENANT_RATE_LIMIT`, in seconds. */
  TENANT_RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  /** Largest accepted request body, in bytes (a bigger one is 413 `request.too_large`). */
  HTTP_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(16 * 1024 * 1024)
    .default(DEFAULT_BODY_LIMIT_BYTES),
  /**
   * Browser origins allowed to call the API cross-origin (CORS), comma-separated, e.g.
   * `https://portal.example,https://admin.example`. Empty (the default): CORS is off and browsers
   * refuse cross-origin calls. Each entry is an exact origin (scheme, host, optional port); `*` is
   * refused.
   */
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((origin) => origin.trim())
        .filter((origin) => origin !== ''),
    )
    .pipe(
      z.array(
        z
          .string()
          .refine(
            isOrigin,
            'must be comma-separated origins such as https://portal.example (scheme, host, optional port; no path, no *)',
          ),
      ),
    ),
});
export type CommonConfig = z.infer<typeof CommonEnvSchema>;

/** Variables of a service that owns a PostgreSQL database. */
export const DatabaseEnvSchema = z.object({
  /** e.g. `postgres://postgres@127.0.0.1:5432/pcp_identity`. */
  DATABASE_URL: z
    .string()
    .refine(
      (v) => isUrlWithHost(v, ['postgres:', 'postgresql:']) && new URL(v).pathname.length > 1,
      'must be a postgres:// URL with a host and a database, e.g. postgres://postgres@127.0.0.1:5432/pcp_identity',
    ),
  /**
   * Most connections the service's pool holds to its database (default
   * {@link DEFAULT_DATABASE_POOL_SIZE}). Each busy connection is a PostgreSQL backend process; more
   * of them than the database server has cores only makes them take turns, at a cost (see
   * `databaseOptions`).
   */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(100).default(DEFAULT_DATABASE_POOL_SIZE),
});
