import { Module } from '@nestjs/common';
import { OrganizationMembersMessageController } from './organization-members-message.controller';
import { OrganizationMembersService } from './organization-members.service';

/**
 * Membership of an organisation as other services ask about it (`identity.organizations.has-user`:
 * relationships binds an invitation to its invitee's organisation).
 */
@Module({
  controllers: [OrganizationMembersMessageController],
  providers: [OrganizationMembersService],
})
export class OrganizationMembersModule {}
