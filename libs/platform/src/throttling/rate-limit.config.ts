import { isIP } from 'node:net';
import { z } from 'zod';
import type { RateLimitTier, TenantRateLimit } from './rate-limit.options';

/** A whole number given as a string, within `[min, max]`, with a default. */
const envInt = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/**
 * Fastify's `trustProxy`: which proxies may tell the client address in `X-Forwarded-For` (the
 * per-address limits count that address). `false` (default: the socket's peer is the client),
 * `true` (any), a hop count, or a comma-separated list of addresses or CIDR ranges. Identity
 * trusts the relationships service's address, whose invitation pages sign visitors in through it
 * and forward each visitor's address.
 */
export const TrustProxySchema = z
  .string()
  .trim()
  .default('false')
  .transform((value, ctx): boolean | number | string[] => {
    if (value === 'false' || value === '') return false;
    if (value === 'true') return true;
    if (/^\d+$/.test(value)) return Number(value);
    const entries = value.split(',').map((v) => v.trim());
    const valid = entries.every((entry) => {
      const [address, bits, ...rest] = entry.split('/');
      const version = isIP(address);
      if (version === 0 || rest.length > 0) return false;
      if (bits === undefined) return true;
      const n = Number(bits);
      return /^\d+$/.test(bits) && n <= (version === 4 ? 32 : 128);
    });
    if (!valid) {
      ctx.addIssue({
        code: 'custom',
        message:
          'must be true, false, a hop count, or a comma-separated list of addresses or CIDR ranges',
      });
      return z.NEVER;
    }
    return entries;
  });

/**
 * Variables of a service with public routes (identity, relationships): whose `X-Forwarded-For` to
 * trust, and the `public` tier of the rate limits (see `RateLimitTierName`). The defaults let a
 * person retry a form a few times and stop a script: 20 requests per client address and route, 5
 * per target (an email, a domain, a link) and route, per 15 minutes.
 */
export const RateLimitEnvSchema = z.object({
  TRUST_PROXY: TrustProxySchema,
  /** Requests per client address to each public route (tier `public`) per window. */
  PUBLIC_ADDRESS_LIMIT: envInt(1, 1_000_000, 20),
  /** Requests naming one target (email, domain, token) to each public route per window. */
  PUBLIC_TARGET_LIMIT: envInt(1, 1_000_000, 5),
  /** The window of both, in seconds (a key over its limit waits as long). */
  PUBLIC_LIMIT_WINDOW_SECONDS: envInt(1, 86_400, 900),
});
export type RateLimitEnv = z.infer<typeof RateLimitEnvSchema>;

/** The `public` tier from a validated configuration. */
export function publicRateLimitTier(config: RateLimitEnv): RateLimitTier {
  return {
    addressLimit: config.PUBLIC_ADDRESS_LIMIT,
    targetLimit: config.PUBLIC_TARGET_LIMIT,
    windowSeconds: config.PUBLIC_LIMIT_WINDOW_SECONDS,
  };
}

/** The per-tenant limit from a validated configuration (`TENANT_RATE_LIMIT`, CommonEnvSchema). */
export function tenantRateLimit(config: {
  TENANT_RATE_LIMIT: number;
  TENANT_RATE_LIMIT_WINDOW_SECONDS: number;
}): TenantRateLimit {
  return {
    limit: config.TENANT_RATE_LIMIT,
    windowSeconds: config.TENANT_RATE_LIMIT_WINDOW_SECONDS,
  };
}
