import { Global, Module } from '@nestjs/common';
import { PartnershipInvitationPageController } from './partnership-invitation-page.controller';
import { PartnershipRequestsController } from './partnership-requests.controller';
import { PartnershipsService } from './partnerships.service';
import { RelationshipsController } from './relationships.controller';

/**
 * Global: partnerships between indirect providers and indirect resellers. Exports `PartnershipsService`
 * (`requireActivePartnership`, `findActiveResellerByMpnId`, `isActive`) for customers and
 * subscriptions.
 */
@Global()
@Module({
  controllers: [
    PartnershipRequestsController,
    RelationshipsController,
    PartnershipInvitationPageController,
  ],
  providers: [PartnershipsService],
  exports: [PartnershipsService],
})
export class PartnershipsModule {}
