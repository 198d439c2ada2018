import { Module } from '@nestjs/common';
import { PartnershipsModule } from '../partnerships/partnerships.module';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module';
import { CustomerPartnersController } from './customer-partners.controller';
import { CustomerPartnersService } from './customer-partners.service';
import { CustomersController } from './customers.controller';
import { CustomersService } from './customers.service';
import { DelegatedAdminMessageController } from './delegated-admin-message.controller';
import { DelegatedAdminService } from './delegated-admin.service';
import { RelationshipInvitationPageController } from './relationship-invitation-page.controller';
import { RelationshipRequestsController } from './relationship-requests.controller';
import { RelationshipRequestsService } from './relationship-requests.service';
import { ResellerRelationshipsService } from './reseller-relationships.service';

/**
 * Customers, reseller relationships and their requests, delegated admin privileges (seeds 000,
 * 001, 002, 003). Needs the global Rpc, Tenants, ActivityLog, Invitations and Outbox modules.
 */
@Module({
  imports: [PartnershipsModule, SubscriptionsModule],
  controllers: [
    RelationshipRequestsController,
    RelationshipInvitationPageController,
    CustomersController,
    CustomerPartnersController,
    DelegatedAdminMessageController,
  ],
  providers: [
    CustomersService,
    CustomerPartnersService,
    RelationshipRequestsService,
    ResellerRelationshipsService,
    DelegatedAdminService,
  ],
})
export class CustomersModule {}
