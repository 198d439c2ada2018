import { Module } from '@nestjs/common';
import { ActivityLogModule } from '../activity-log/activity-log.module';
import { InvitationPagesModule } from '../invitation-pages/invitation-pages.module';
import { InvitationsModule } from '../invitations/invitations.module';
import { TenantsModule } from '../tenants/tenants.module';
import { PartnershipInvitationPageController } from './partnership-invitation-page.controller';
import { PartnershipRequestsController } from './partnership-requests.controller';
import { PartnershipEndings } from './partnership-endings';
import { PartnershipsService } from './partnerships.service';
import { RelationshipsController } from './relationships.controller';

/**
 * Partnerships between indirect providers and indirect resellers (seeds 002, 004): requests, the
 * invitation page, the lists and removal. Exports `PartnershipsService` (`requireActivePartnership`,
 * `findActiveResellerByMpnId`, `isActive`) for customers, subscriptions and relationship requests.
 */
@Module({
  imports: [TenantsModule, ActivityLogModule, InvitationsModule, InvitationPagesModule],
  controllers: [
    PartnershipRequestsController,
    RelationshipsController,
    PartnershipInvitationPageController,
  ],
  providers: [PartnershipsService, PartnershipEndings],
  exports: [PartnershipsService, PartnershipEndings],
})
export class PartnershipsModule {}
