/**
 * What a service tells its rate limits (`RateLimitsModule.forRoot`), and what a route declares
 * (`@RateLimited`, `@NotRateLimited`).
 */

/** Injection token of the `RateLimitOptions`. */
export const RATE_LIMIT_OPTIONS = Symbol('RATE_LIMIT_OPTIONS');

/** Metadata key of a route's `RateLimitDeclaration` or `RateLimitExemption`. */
export const RATE_LIMITS_KEY = 'pcp:rate-limits';

/**
 * The limits a route can declare:
 * - `session`: sign-in, refresh and sign-out (`AUTH_ADDRESS_LIMIT` requests per client address
 *   and route per `AUTH_ADDRESS_WINDOW_SECONDS`; the account lockout counts failures per email);
 * - `public`: every other public route that writes, sends an email or hashes a password
 *   (`PUBLIC_ADDRESS_LIMIT` per client address and route, `PUBLIC_TARGET_LIMIT` per target and
 *   route, both per `PUBLIC_LIMIT_WINDOW_SECONDS`).
 */
export type RateLimitTierName = 'session' | 'public';

/** One tier's numbers. */
export interface RateLimitTier {
  /** Requests per client address and route within the window. */
  addressLimit: number;
  /** Requests per target (email, domain, token) and route within the window; absent: none. */
  targetLimit?: number;
  /** The window, in seconds; a key over its limit is refused for as long. */
  windowSeconds: number;
}

/** The per-tenant limit of authenticated requests (`TENANT_RATE_LIMIT`, `..._WINDOW_SECONDS`). */
export interface TenantRateLimit {
  /** Requests per tenant within the window, across every route of every service. */
  limit: number;
  /** The window, in seconds; a tenant over its limit is refused for one window from then. */
  windowSeconds: number;
}

export interface RateLimitOptions {
  /** Redis shared by every instance of the service (`REDIS_URL`). */
  redisUrl: string;
  /** Keys go under `<bullmqPrefix>:throttle:` (each test run has its own prefix). */
  bullmqPrefix: string;
  /** The tiers this service's routes use; a route naming another is a 500 (and a unit test failure). */
  tiers: Partial<Record<RateLimitTierName, RateLimitTier>>;
  /** The limit of every authenticated route per tenant ({@link TenantRateLimiter}); absent: none. */
  tenant?: TenantRateLimit;
}

/**
 * Where a request names its targets, before validation: dotted paths into the body and the query
 * (`globalAdmin.email`, `token`). Every string found there is a target (trimmed, NFKC, lower case;
 * the same value twice counts once); anything else is ignored, so a malformed request is counted
 * by its address alone.
 */
export interface RateLimitTargets {
  body?: readonly string[];
  query?: readonly string[];
}

/** What `@RateLimited` records on a route. */
export interface RateLimitDeclaration {
  tier: RateLimitTierName;
  targets: RateLimitTargets;
}

/** What `@NotRateLimited` records: why the public route has no limit. */
export interface RateLimitExemption {
  exempt: string;
}
