import { Module } from '@nestjs/common';
import { RpcClient } from '@app/platform';
import { APP_CONFIG, IdentityConfig } from '../config/identity.config';
import { DelegatedAccessModule } from '../delegated-access/delegated-access.module';
import { DelegatedAccessService } from '../delegated-access/delegated-access.service';
import { UsersModule } from '../users/users.module';
import { CustomerUsersController, DirectoryRolesController } from './customer-users.controller';
import { customerUserRetention } from './customer-user-retention';
import { CustomerUsersService } from './customer-users.service';
import { DelegatedAdminService } from './delegated-admin.service';

/**
 * A partner manages a customer's users through delegated admin privileges, which identity checks
 * with relationships over request/response (an `RpcClient` over NATS with `RPC_TIMEOUT_MS` on every
 * call).
 */
@Module({
  imports: [UsersModule, DelegatedAccessModule],
  controllers: [CustomerUsersController, DirectoryRolesController],
  providers: [
    // Every delegated call is decided by DelegatedAccessService (DAP or GDAP, issue 10).
    { provide: DelegatedAdminService, useExisting: DelegatedAccessService },
    CustomerUsersService,
    customerUserRetention,
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
