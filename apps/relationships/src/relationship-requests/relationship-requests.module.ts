import { Module } from '@nestjs/common';
import { ActivityLogModule } from '../activity-log/activity-log.module';
import { CustomersModule } from '../customers/customers.module';
import { InvitationPagesModule } from '../invitation-pages/invitation-pages.module';
import { InvitationsModule } from '../invitations/invitations.module';
import { PartnershipsModule } from '../partnerships/partnerships.module';
import { ResellerRelationshipsModule } from '../reseller-relationships/reseller-relationships.module';
import { TenantsModule } from '../tenants/tenants.module';
import { PartnerRelationshipLinks } from './partner-relationship-links.service';
import { PartnerRelationshipRequestsController } from './partner-relationship-requests.controller';
import { RelationshipInvitationPageController } from './relationship-invitation-page.controller';
import { RelationshipRequestsController } from './relationship-requests.controller';
import { RelationshipRequestsService } from './relationship-requests.service';

/**
 * Reseller relationship requests (seeds 000, 001): a partner invites a customer (alone or jointly
 * with its indirect provider), and the customer's Global admin accepts through the API or the
 * acceptance page.
 */
@Module({
  imports: [
    TenantsModule,
    ActivityLogModule,
    InvitationsModule,
    InvitationPagesModule,
    PartnershipsModule,
    ResellerRelationshipsModule,
    CustomersModule,
  ],
  controllers: [
    PartnerRelationshipRequestsController,
    RelationshipRequestsController,
    RelationshipInvitationPageController,
  ],
  providers: [RelationshipRequestsService, PartnerRelationshipLinks],
})
export class RelationshipRequestsModule {}
