import { DynamicModule, Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { METRICS_OPTIONS, MetricsOptions, MetricsRegistry } from './metrics.registry';

/**
 * Adds `GET /metrics` and the process's `MetricsRegistry` (a library module like the ORM's: global,
 * so that features and libraries such as the outbox register their series in it).
 */
@Module({})
export class MetricsModule {
  static forRoot(options: MetricsOptions): DynamicModule {
    return {
      module: MetricsModule,
      global: true,
      controllers: [MetricsController],
      providers: [
        { provide: METRICS_OPTIONS, useValue: options },
        {
          provide: MetricsRegistry,
          useFactory: (o: MetricsOptions) => new MetricsRegistry(o),
          inject: [METRICS_OPTIONS],
        },
      ],
      exports: [MetricsRegistry],
    };
  }
}
