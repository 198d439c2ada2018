import { Module } from '@nestjs/common';
import { RpcClient } from '@app/platform';
import { APP_CONFIG, IdentityConfig } from '../config/identity.config';
import { SecurityGroupsModule } from '../security-groups/security-groups.module';
import { DelegatedAccessService } from './delegated-access.service';

/**
 * The check of every delegated call (issue 10 part 2: DAP or GDAP, at the time of the call),
 * asking relationships over request/response (an `RpcClient` over NATS with `RPC_TIMEOUT_MS`).
 */
@Module({
  imports: [SecurityGroupsModule],
  providers: [
    DelegatedAccessService,
    {
      provide: RpcClient,
      inject: [APP_CONFIG],
      useFactory: (config: IdentityConfig) =>
        new RpcClient({
          natsUrl: config.NATS_URL,
          namespace: config.MESSAGE_NAMESPACE,
          timeoutMs: config.RPC_TIMEOUT_MS,
          name: 'identity',
        }),
    },
  ],
  exports: [DelegatedAccessService],
})
export class DelegatedAccessModule {}
