import { Module } from '@nestjs/common';
import { SignInLockout } from './sign-in-lockout.service';

/**
 * Sign-in throttling beyond the per-address limit of `@RateLimited('session')`: `SignInLockout`
 * counts password attempts per account, before verifying them, in the same shared store (`ThrottleStore` of the global
 * `RateLimitsModule`).
 */
@Module({ providers: [SignInLockout], exports: [SignInLockout] })
export class SignInThrottlingModule {}
