import { Module } from '@nestjs/common';
import { RpcClient } from '@app/platform';
import { APP_CONFIG, RelationshipsConfig } from '../config/relationships.config';

/**
 * One `RpcClient` (request/response over NATS, subjects under `MESSAGE_NAMESPACE`, every call with
 * `RPC_TIMEOUT_MS`; no answer → 503 `dependency.unavailable`) for identity (the draft of an
 * invitation is rendered in process: nothing here calls notifications).
 * Imported by the modules that call them; Nest builds it once.
 */
@Module({
  providers: [
    {
      provide: RpcClient,
      inject: [APP_CONFIG],
      useFactory: (config: RelationshipsConfig) =>
        new RpcClient({
          natsUrl: config.NATS_URL,
          namespace: config.MESSAGE_NAMESPACE,
          timeoutMs: config.RPC_TIMEOUT_MS,
          name: 'relationships',
        }),
    },
  ],
  exports: [RpcClient],
})
export class RpcModule {}
