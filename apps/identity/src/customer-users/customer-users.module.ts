import { Module } from '@nestjs/common';
import { RpcClient } from '@app/platform';
import { APP_CONFIG, IdentityConfig } from '../config/identity.config';
import { DelegatedAccessModule } from '../delegated-access/delegated-access.module';
import { DelegatedAccessService } from '../delegated-access/delegated-access.service';
import { UsersModule } from '../users/users.module';
import { CustomerUsersController } from './customer-users.controller';
import { DelegatedAdminService } from './delegated-admin.service';

/**
 * A partner manages a customer's users through delegated admin privileges, which identity checks
 * with relationships over request/response (an `RpcClient` over NATS with `RPC_TIMEOUT_MS` on every
 * call).
 */
@Module({
  imports: [UsersModule, DelegatedAccessModule],
  controllers: [CustomerUsersController],
  providers: [
    { provide: DelegatedAdminService, useExisting: DelegatedAccessService },
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
})
export class CustomerUsersModule {}
