import { Module } from '@nestjs/common';
import { ActivityLogModule } from '../activity-log/activity-log.module';
import { InvitationPagesModule } from '../invitation-pages/invitation-pages.module';
import { PartnershipsModule } from '../partnerships/partnerships.module';
import { RpcModule } from '../rpc/rpc.module';
import { TenantsModule } from '../tenants/tenants.module';
import { AccessAssignmentsController } from './access-assignments.controller';
import { AccessAssignmentsService } from './access-assignments.service';
import { DelegatedAdminCustomersController } from './delegated-admin-customers.controller';
import { DelegatedAdminCustomersService } from './delegated-admin-customers.service';
import { DelegatedAdminRelationshipsController } from './delegated-admin-relationships.controller';
import { DelegatedAdminRelationshipsService } from './delegated-admin-relationships.service';
import { GdapApprovalPageController } from './gdap-approval-page.controller';
import { GdapAccessMessageController } from './gdap-access-message.controller';
import { GdapLifecycleService } from './gdap-lifecycle.service';
import { GdapPartnershipEnd } from './gdap-partnership-end';

/**
 * Granular delegated admin relationships (issue 10 part 1): the Graph-shaped routes, the approval
 * link's page and the lifecycle work (expiry, notices, auto-extension, approval expiry); part 2:
 * access assignments, operations and the access question identity asks on every delegated call;
 * the delegated admin customers (the customers of a partner's relationships).
 */
@Module({
  imports: [ActivityLogModule, InvitationPagesModule, PartnershipsModule, RpcModule, TenantsModule],
  controllers: [
    DelegatedAdminRelationshipsController,
    GdapApprovalPageController,
    AccessAssignmentsController,
    GdapAccessMessageController,
    DelegatedAdminCustomersController,
  ],
  providers: [
    DelegatedAdminRelationshipsService,
    GdapLifecycleService,
    AccessAssignmentsService,
    DelegatedAdminCustomersService,
    GdapPartnershipEnd,
  ],
  exports: [AccessAssignmentsService],
})
export class DelegatedAdminRelationshipsModule {}
