import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AUTH_OPTIONS, AccessTokenVerifier, AuthOptions } from './access-token.verifier';
import { AuthGuard } from './auth.guard';

/** Installs the global `AuthGuard` with an `AccessTokenVerifier` built from the options. */
@Module({})
export class AuthModule {
  static forRootAsync(options: {
    imports?: DynamicModule['imports'];
    inject?: unknown[];
    useFactory: (...args: never[]) => AuthOptions | Promise<AuthOptions>;
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
          provide: AccessTokenVerifier,
          useFactory: (o: AuthOptions) => new AccessTokenVerifier(o),
          inject: [AUTH_OPTIONS],
        },
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
      exports: [AccessTokenVerifier],
    };
  }
}
