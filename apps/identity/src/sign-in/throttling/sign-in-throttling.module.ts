import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { APP_CONFIG, IdentityConfig } from '../../config/identity.config';
import { ADDRESS_THROTTLER, AddressThrottlerGuard } from './address-throttler.guard';
import { SignInLockout } from './sign-in-lockout.service';
import { ThrottleStore } from './throttle-store';

/** The Redis store of the sign-in throttles (one connection per instance). */
@Module({ providers: [ThrottleStore], exports: [ThrottleStore] })
export class ThrottleStoreModule {}

/**
 * Sign-in throttling: `@nestjs/throttler` with the shared Redis storage for the per-address limit
 * (`AddressThrottlerGuard`, applied per route) and `SignInLockout` for failures per account.
 */
@Module({
  imports: [
    ThrottleStoreModule,
    ThrottlerModule.forRootAsync({
      imports: [ThrottleStoreModule],
      inject: [ThrottleStore, APP_CONFIG],
      useFactory: (store: ThrottleStore, config: IdentityConfig) => ({
        storage: store.storage,
        setHeaders: false,
        throttlers: [
          {
            name: ADDRESS_THROTTLER,
            limit: config.AUTH_ADDRESS_LIMIT,
            ttl: config.AUTH_ADDRESS_WINDOW_SECONDS * 1000,
            blockDuration: config.AUTH_ADDRESS_WINDOW_SECONDS * 1000,
          },
        ],
      }),
    }),
  ],
  providers: [SignInLockout, AddressThrottlerGuard],
  exports: [SignInLockout, AddressThrottlerGuard],
})
export class SignInThrottlingModule {}
