import { Module } from '@nestjs/common';
import { ActivityLogModule } from '../activity-log/activity-log.module';
import { InvitationPagesModule } from '../invitation-pages/invitation-pages.module';
import { RpcModule } from '../rpc/rpc.module';
import { TenantsModule } from '../tenants/tenants.module';
import { DelegatedAdminRelationshipsController } from './delegated-admin-relationships.controller';
import { DelegatedAdminRelationshipsService } from './delegated-admin-relationships.service';
import { GdapApprovalPageController } from './gdap-approval-page.controller';
import { GdapLifecycleService } from './gdap-lifecycle.service';

/**
 * Granular delegated admin relationships (issue 10 part 1): the Graph-shaped routes, the approval
 * link's page and the lifecycle work (expiry, notices, auto-extension, approval expiry).
 */
@Module({
  imports: [ActivityLogModule, InvitationPagesModule, RpcModule, TenantsModule],
  controllers: [DelegatedAdminRelationshipsController, GdapApprovalPageController],
  providers: [DelegatedAdminRelationshipsService, GdapLifecycleService],
})
export class DelegatedAdminRelationshipsModule {}
