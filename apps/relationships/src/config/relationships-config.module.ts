import { DynamicModule, Module } from '@nestjs/common';
import { APP_CONFIG, RelationshipsConfig } from './relationships.config';

/** Provides the validated `RelationshipsConfig` under `APP_CONFIG` to every module. */
@Module({})
export class RelationshipsConfigModule {
  static forRoot(config: RelationshipsConfig): DynamicModule {
    return {
      module: RelationshipsConfigModule,
      global: true,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
