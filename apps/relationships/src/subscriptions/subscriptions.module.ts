import { Module } from '@nestjs/common';
import { ActivityLogModule } from '../activity-log/activity-log.module';
import { PartnershipsModule } from '../partnerships/partnerships.module';
import { TenantsModule } from '../tenants/tenants.module';
import { CustomerSubscriptionsController } from './customer-subscriptions.controller';
import { CustomerSubscriptionsService } from './customer-subscriptions.service';
import { OffersController, SubscriptionsController } from './subscriptions.controller';
import { SubscriptionsService } from './subscriptions.service';

/**
 * Subscriptions of customers and the offer catalog (seed 002): the partners' side (each partner its
 * own orders) and the customer's side (all of them, read only). Exports `SubscriptionsService` for
 * creating a customer with initial subscriptions.
 */
@Module({
  imports: [TenantsModule, ActivityLogModule, PartnershipsModule],
  controllers: [OffersController, SubscriptionsController, CustomerSubscriptionsController],
  providers: [SubscriptionsService, CustomerSubscriptionsService],
  exports: [SubscriptionsService],
})
export class SubscriptionsModule {}
