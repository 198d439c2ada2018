import { Module } from '@nestjs/common';
import { AuditEventsModule } from '../audit-events/audit-events.module';
import { UsersModule } from '../users/users.module';
import { CustomerAgreementService } from './customer-agreement.service';
import { CustomerSignupsController } from './customer-signups.controller';
import { CustomersMessageController } from './customers-message.controller';
import { CustomersService } from './customers.service';
import { DomainsController } from './domains.controller';
import { processedRequestRetention } from './processed-request-retention';

/**
 * Customer organisations: self sign-up, creation by a partner (a message handler relationships
 * calls) and the Customer Agreement (`CustomerAgreementService`, recorded from the
 * `customer-agreement.accepted` event the `identity-events` consumer receives).
 */
@Module({
  imports: [AuditEventsModule, UsersModule],
  controllers: [CustomerSignupsController, CustomersMessageController, DomainsController],
  providers: [CustomersService, CustomerAgreementService, processedRequestRetention],
  exports: [CustomerAgreementService],
})
export class CustomersModule {}
