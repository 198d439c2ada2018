import { DynamicModule, Module } from '@nestjs/common';
import { RateLimitGuard } from './rate-limit.guard';
import { RATE_LIMIT_OPTIONS, RateLimitOptions } from './rate-limit.options';
import { ThrottleStore } from './throttle-store';

/**
 * The rate limits of a service's public routes (global): the shared Redis `ThrottleStore` and the
 * `RateLimitGuard` that `@RateLimited` routes use. Identity's account lockout counts in the same
 * store.
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
      ],
      exports: [RATE_LIMIT_OPTIONS, ThrottleStore, RateLimitGuard],
    };
  }
}
