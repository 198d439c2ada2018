import { Module } from '@nestjs/common';
import { ActivityLogModule } from '../activity-log/activity-log.module';
import { ResellerRelationshipsModule } from '../reseller-relationships/reseller-relationships.module';
import { TenantsModule } from '../tenants/tenants.module';
import { CustomerPartnersController } from './customer-partners.controller';
import { CustomerPartnersService } from './customer-partners.service';

/**
 * The customer's side (seed 001): its partners and revoking a partner's delegated admin
 * privileges.
 */
@Module({
  imports: [TenantsModule, ActivityLogModule, ResellerRelationshipsModule],
  controllers: [CustomerPartnersController],
  providers: [CustomerPartnersService],
})
export class CustomerPartnersModule {}
