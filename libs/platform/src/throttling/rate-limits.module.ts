import { DynamicModule, Module } from '@nestjs/common';
import { RateLimitGuard } from './rate-limit.guard';
import { RATE_LIMIT_OPTIONS, RateLimitOptions } from './rate-limit.options';
import { TenantRateLimiter } from './tenant-rate-limiter';
import { ThrottleStore } from './throttle-store';

/**
 * The rate limits of a service (global): the shared Redis `ThrottleStore`, the `RateLimitGuard`
 * that `@RateLimited` public routes use, and the `TenantRateLimiter` that the auth guard calls for
 * every authenticated request (per tenant). Identity's account lockout counts in the same store.
 */
@Module({})
export class RateLimitsModule {
  static forRoot(options: RateLimitOptions): DynamicModule {
    return {
      module: RateLimitsModule,
      global: true,
      providers: [
        { provide: RATE_LIMIT_OPTIONS, useValue: options },
        ThrottleStore,
        RateLimitGuard,
        TenantRateLimiter,
      ],
      exports: [RATE_LIMIT_OPTIONS, ThrottleStore, RateLimitGuard, TenantRateLimiter],
    };
  }
}
