import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { CustomerSignupsController } from './customer-signups.controller';
import { CustomersService } from './customers.service';
import { TenantsMessageController } from './tenants-message.controller';
import { TenantsService } from './tenants.service';

/** Tenants: customer sign-up, and the message handlers other services call. */
@Module({
  imports: [UsersModule],
  controllers: [CustomerSignupsController, TenantsMessageController],
  providers: [TenantsService, CustomersService],
  exports: [TenantsService, CustomersService],
})
export class TenantsModule {}
