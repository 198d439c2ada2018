import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AUTH_OPTIONS, AccessTokenVerifier, AuthOptions } from './access-token.verifier';
import { AuthGuard } from './auth.guard';
import { TokenRevocationOptions, TokenRevocations } from './token-revocations';

/** What a service gives `AuthModule`: how to verify tokens and where the revocation list is. */
export interface AuthModuleOptions extends AuthOptions {
  /** The service's `REDIS_URL` and `BULLMQ_PREFIX` (the same for every service of a deployment). */
  revocations: TokenRevocationOptions;
}

/**
 * Installs the global `AuthGuard` with an `AccessTokenVerifier` built from the options, which
 * checks every token against the revocation list (`TokenRevocations`, exported for identity, which
 * writes it).
 */
@Module({})
export class AuthModule {
  static forRootAsync(options: {
    imports?: DynamicModule['imports'];
    inject?: unknown[];
    useFactory: (...args: never[]) => AuthModuleOptions | Promise<AuthModuleOptions>;
  }): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        {
          provide: AUTH_OPTIONS,
          useFactory: options.useFactory,
          inject: (options.inject ?? []) as never[],
        },
        {
          provide: TokenRevocations,
          useFactory: (o: AuthModuleOptions) => new TokenRevocations(o.revocations),
          inject: [AUTH_OPTIONS],
        },
        {
          provide: AccessTokenVerifier,
          useFactory: (o: AuthModuleOptions, revocations: TokenRevocations) =>
            new AccessTokenVerifier(o, revocations),
          inject: [AUTH_OPTIONS, TokenRevocations],
        },
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
      exports: [AccessTokenVerifier, TokenRevocations],
    };
  }
}
