import { Module } from '@nestjs/common';
import { EmailRenderingModule } from '@app/email-rendering';
import { ActivityLogModule } from '../activity-log/activity-log.module';
import { RpcModule } from '../rpc/rpc.module';
import { TenantsModule } from '../tenants/tenants.module';
import { InvitationEmailCaps } from './invitation-email-caps';
import { InvitationsService } from './invitations.service';

/**
 * `InvitationsService` for every kind of invitation (partnership requests in `partnerships/`,
 * reseller relationship requests in `relationship-requests/`).
 */
@Module({
  imports: [RpcModule, TenantsModule, ActivityLogModule, EmailRenderingModule],
  providers: [InvitationsService, InvitationEmailCaps],
  exports: [InvitationsService],
})
export class InvitationsModule {}
