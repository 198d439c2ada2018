import { DynamicModule, Module, ModuleMetadata } from '@nestjs/common';
import { OutboxMetrics } from './outbox-metrics';
import { OutboxRelay } from './outbox-relay.service';
import { OutboxService } from './outbox.service';
import { OUTBOX_OPTIONS, OutboxOptions } from './outbox.options';

/** Outbox writer and relay for a service that produces jobs. Requires MikroORM in the app. */
@Module({})
export class OutboxModule {
  static forRootAsync(options: {
    imports?: ModuleMetadata['imports'];
    inject?: never[] | unknown[];
    useFactory: (...args: never[]) => OutboxOptions;
  }): DynamicModule {
    return {
      module: OutboxModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        {
          provide: OUTBOX_OPTIONS,
          useFactory: options.useFactory,
          inject: (options.inject ?? []) as never[],
        },
        OutboxService,
        OutboxRelay,
        OutboxMetrics,
      ],
      exports: [OutboxService, OutboxRelay],
    };
  }
}
