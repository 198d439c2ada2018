import { Module } from '@nestjs/common';
import { ActivityLogModule } from '../activity-log/activity-log.module';
import { PartnershipsModule } from '../partnerships/partnerships.module';
import { TenantsModule } from '../tenants/tenants.module';
import { OffersController, SubscriptionsController } from './subscriptions.controller';
import { SubscriptionsService } from './subscriptions.service';

/**
 * Subscriptions of customers and the offer catalog (seed 002). Exports `SubscriptionsService` for
 * creating a customer with initial subscriptions.
 */
@Module({
  imports: [TenantsModule, ActivityLogModule, PartnershipsModule],
  controllers: [OffersController, SubscriptionsController],
  providers: [SubscriptionsService],
  exports: [SubscriptionsService],
})
export class SubscriptionsModule {}
