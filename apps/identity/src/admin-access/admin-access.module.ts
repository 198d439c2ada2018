import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QUEUES } from '@app/contracts';
import { AuditEventsModule } from '../audit-events/audit-events.module';
import { CustomersModule } from '../customers/customers.module';
import { DelegatedUsersModule } from '../delegated-users/delegated-users.module';
import { UsersModule } from '../users/users.module';
import { AdminAccessController } from './admin-access.controller';
import { AdminAccessService } from './admin-access.service';
import { IdentityEventsProcessor } from './identity-events.processor';
import { OrganizationUsersController } from './organization-users.controller';

/**
 * Provider administrator access: the `identity-events` consumer (administrator access granted or
 * ended with its partnership, delegated admin privileges ended (`delegated-users/`), and the
 * Customer Agreement accepted, recorded by `customers/`), the reseller's view, the provider's
 * read of the reseller's users (creating users there is gone: issue 10, GDAP), and the `migrate`
 * step that retires the accounts minted before (`database/minted-accounts.ts`).
 */
@Module({
  imports: [
    AuditEventsModule,
    UsersModule,
    CustomersModule,
    DelegatedUsersModule,
    BullModule.registerQueue({ name: QUEUES.identityEvents }),
  ],
  controllers: [AdminAccessController, OrganizationUsersController],
  providers: [AdminAccessService, IdentityEventsProcessor],
})
export class AdminAccessModule {}
