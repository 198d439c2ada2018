import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { CustomerAgreementService } from './customer-agreement.service';
import { CustomerSignupsController } from './customer-signups.controller';
import { CustomersMessageController } from './customers-message.controller';
import { CustomersService } from './customers.service';

/**
 * Customer organisations: self sign-up, creation by a partner and Customer Agreement acceptance
 * (the last two as message handlers relationships calls).
 */
@Module({
  imports: [UsersModule],
  controllers: [CustomerSignupsController, CustomersMessageController],
  providers: [CustomersService, CustomerAgreementService],
})
export class CustomersModule {}
