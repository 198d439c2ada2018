import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '../errors';
import { RATE_LIMIT_OPTIONS, RateLimitOptions } from './rate-limit.options';
import { tenantThrottleKey } from './rate-limit-keys';
import { ThrottleStore } from './throttle-store';

/**
 * The per-tenant limit of authenticated requests (Partner Center: "500 requests per minute per
 * tenant identifier" on its customer and subscription resources; here on every authenticated route
 * of every service, `TENANT_RATE_LIMIT` per `TENANT_RATE_LIMIT_WINDOW_SECONDS`). The auth guard
 * calls {@link count} once the caller's token is verified, with the caller's tenant.
 *
 * One Redis round trip per request (the storage's `increment` is one Lua script that counts and
 * blocks atomically), in the store every instance of every service shares: a tenant's requests
 * count together wherever they land.
 */
@Injectable()
export class TenantRateLimiter {
  constructor(
    private readonly store: ThrottleStore,
    @Inject(RATE_LIMIT_OPTIONS) private readonly options: RateLimitOptions,
  ) {}

  /**
   * Count one request of `tenantId`.
   * @throws 429 `request.throttled` with `data: [{ retryAfterSeconds }]` (and `Retry-After`) when
   *   the tenant is over its limit; 503 `dependency.unavailable` when the store is away.
   */
  async count(tenantId: string): Promise<void> {
    const limit = this.options.tenant;
    if (!limit) return;
    const windowMs = limit.windowSeconds * 1000;
    const result = await this.store.guarded(() =>
      this.store.storage.increment(
        tenantThrottleKey(tenantId),
        windowMs,
        limit.limit,
        windowMs,
        'tenant',
      ),
    );
    if (result.isBlocked) {
      const seconds = Math.max(1, result.timeToBlockExpire);
      throw new DomainError(
        'request.throttled',
        429,
        `Your organization sent more than ${limit.limit} requests in ${limit.windowSeconds} seconds: retry in ${seconds} seconds.`,
        { retryAfterSeconds: seconds },
      );
    }
  }
}
