import { Module } from '@nestjs/common';
import { ActivityLogModule } from '../activity-log/activity-log.module';
import { PartnershipsModule } from '../partnerships/partnerships.module';
import { ResellerRelationshipsModule } from '../reseller-relationships/reseller-relationships.module';
import { RpcModule } from '../rpc/rpc.module';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module';
import { TenantsModule } from '../tenants/tenants.module';
import { CustomerSnapshots } from './customer-snapshots.service';
import { CustomersController } from './customers.controller';
import { CustomersService } from './customers.service';

/**
 * A partner's customers (seeds 000, 002, 003): the list, one customer, its indirect resellers, a
 * new customer (with relationships and initial subscriptions) and removing the relationship.
 * Exports `CustomerSnapshots` for relationship requests.
 */
@Module({
  imports: [
    RpcModule,
    TenantsModule,
    ActivityLogModule,
    PartnershipsModule,
    ResellerRelationshipsModule,
    SubscriptionsModule,
  ],
  controllers: [CustomersController],
  providers: [CustomersService, CustomerSnapshots],
  exports: [CustomerSnapshots],
})
export class CustomersModule {}
