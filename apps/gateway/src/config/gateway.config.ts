import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

/**
 * The gateway's environment (validated once at start):
 * - `PORT` (default 3000), `HOST` (default `0.0.0.0`): the one base URL of the API.
 * - `IDENTITY_URL`, `RELATIONSHIPS_URL`, `NOTIFICATIONS_URL` (defaults `http://127.0.0.1:3001`,
 *   `:3002`, `:3003`): where each service listens (its own port stays for service-to-service calls
 *   and health); several instances comma-separated, which the gateway takes in turn.
 * - `OPENAPI_DOCUMENT` (default `dist/openapi/openapi.json`, written by `npm run build`): the
 *   document the gateway serves at `/openapi.json` and routes by (each operation's `x-service`).
 * - `PORTAL_DIR` (default `dist/portal`, written by `npm run build`): the built portal the gateway
 *   serves at `/portal/` (apps/gateway/src/portal/portal.ts).
 * - `TRUST_PROXY` (default `false`): whose `X-Forwarded-For` gives the client's address (a load
 *   balancer in front of the gateway). The gateway replaces `X-Forwarded-For` with the one address
 *   it determined, so a service that trusts only the gateway's address (its own `TRUST_PROXY`)
 *   rate limits the real client and no client can pick its own address.
 * - `UPSTREAM_TIMEOUT_MS` (default 30000): how long a service may take to answer.
 * - `RETRY_AFTER_SECONDS` (default 5): `Retry-After` of the 503 answered for an unreachable service.
 * - `LOG_LEVEL` (default `info`).
 */
const urls = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value) =>
      value
        .split(',')
        .map((entry) => entry.trim().replace(/\/$/, ''))
        .filter((entry) => entry !== ''),
    )
    .pipe(
      z
        .array(z.string().regex(/^https?:\/\/[^/]+$/, 'must be http(s) origins, comma-separated'))
        .min(1),
    );

export const GatewayEnvSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  IDENTITY_URL: urls('http://127.0.0.1:3001'),
  RELATIONSHIPS_URL: urls('http://127.0.0.1:3002'),
  NOTIFICATIONS_URL: urls('http://127.0.0.1:3003'),
  OPENAPI_DOCUMENT: z
    .string()
    .default(
      path.resolve(__dirname, '..', '..', '..', '..', '..', '..', 'openapi', 'openapi.json'),
    ),
  PORTAL_DIR: z
    .string()
    .default(path.resolve(__dirname, '..', '..', '..', '..', '..', '..', 'portal')),
  TRUST_PROXY: z
    .string()
    .trim()
    .default('false')
    .transform((value, ctx): boolean | number | string[] => {
      if (value === 'false' || value === '') return false;
      if (value === 'true') return true;
      if (/^\d+$/.test(value)) return Number(value);
      const entries = value.split(',').map((v) => v.trim());
      if (!entries.every((entry) => isIP(entry.split('/')[0]) !== 0)) {
        ctx.addIssue({
          code: 'custom',
          message:
            'must be true, false, a hop count, or a comma-separated list of addresses or CIDR ranges',
        });
        return z.NEVER;
      }
      return entries;
    }),
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  RETRY_AFTER_SECONDS: z.coerce.number().int().min(1).max(3600).default(5),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type GatewayConfig = z.infer<typeof GatewayEnvSchema>;

/** The gateway's configuration from `env`. @throws Error naming each bad variable. */
export function loadGatewayConfig(env: NodeJS.ProcessEnv): GatewayConfig {
  const result = GatewayEnvSchema.safeParse(env);
  if (!result.success) {
    throw new Error(
      `Invalid configuration:\n  ${result.error.issues
        .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
        .join('\n  ')}`,
    );
  }
  return result.data;
}
