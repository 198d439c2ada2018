import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { HEALTH_OPTIONS, HealthOptions } from './health.options';

/** Adds `GET /health` (database and Redis). The health route needs no token. */
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
        {
          provide: HEALTH_OPTIONS,
          useFactory: options.useFactory,
          inject: (options.inject ?? []) as never[],
        },
      ],
    };
  }
}
