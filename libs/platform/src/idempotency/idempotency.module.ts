import { EntityManager } from '@mikro-orm/postgresql';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { z } from 'zod';
import { RetentionPurge } from '../db/retention-purge';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotentRequests, idempotentRequestRetentionRule } from './idempotent-requests';

/**
 * `IDEMPOTENT_REQUEST_RETENTION_HOURS` (default 24, decimals allowed): how long the answer of a
 * create is kept for a retry with the same `MS-RequestId` (README "Configuration").
 */
export const IdempotencyEnvSchema = z.object({
  IDEMPOTENT_REQUEST_RETENTION_HOURS: z.coerce.number().min(0.001).max(8_760).default(24),
});

/** What a service passes to {@link IdempotencyModule.forRoot}. */
export interface IdempotencyOptions {
  /** The deployment's `LINK_SEALING_KEY` (the answers are sealed under a label of their own). */
  sealingKey: string;
  retentionHours: number;
  /** `RETENTION_PURGE_INTERVAL_SECONDS`. */
  purgeIntervalSeconds: number;
}

/**
 * Idempotent creates by `MS-RequestId` for the routes marked `@Idempotent()`: the store over the
 * service's `idempotent_request` table (migration with `IDEMPOTENT_REQUEST_SQL`), the interceptor,
 * and the purge of records past their retention. A library module like the ORM's: import it once
 * in the service's root module.
 */
@Module({})
export class IdempotencyModule {
  static forRoot(options: IdempotencyOptions): DynamicModule {
    return {
      module: IdempotencyModule,
      global: true,
      providers: [
        {
          provide: IdempotentRequests,
          useFactory: (em: EntityManager) => new IdempotentRequests(em, options.sealingKey),
          inject: [EntityManager],
        },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        {
          provide: 'IdempotentRequestRetention',
          useFactory: (em: EntityManager) =>
            new RetentionPurge(
              em,
              [idempotentRequestRetentionRule(options.retentionHours)],
              options.purgeIntervalSeconds * 1000,
            ),
          inject: [EntityManager],
        },
      ],
      exports: [IdempotentRequests],
    };
  }
}
