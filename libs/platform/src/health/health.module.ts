import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController, RedisProbe } from './health.controller';
import { HEALTH_OPTIONS, HealthOptions } from './health.options';

/**
 * Adds `GET /health/live`, `GET /health/ready` and `GET /health` (database and Redis, over one
 * Redis connection). The health routes need no token.
 */
@Module({})
export class HealthModule {
  static forRootAsync(options: {
    inject?: unknown[];
    useFactory: (...args: never[]) => HealthOptions;
  }): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController],
      providers: [
        RedisProbe,
        {
          provide: HEALTH_OPTIONS,
          useFactory: options.useFactory,
          inject: (options.inject ?? []) as never[],
        },
      ],
    };
  }
}
