import { Global, Module } from '@nestjs/common';
import { InvitationPageSignIn } from './invitation-page-sign-in.service';
import { InvitationsService } from './invitations.service';

/**
 * Global: `InvitationsService` for every kind of invitation (partnership requests here, reseller
 * relationship requests in customers/). Needs the global Rpc, Tenants, ActivityLog and Outbox
 * modules.
 */
@Global()
@Module({
  providers: [InvitationsService, InvitationPageSignIn],
  exports: [InvitationsService, InvitationPageSignIn],
})
export class InvitationsModule {}
