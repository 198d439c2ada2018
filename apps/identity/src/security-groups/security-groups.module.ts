import { Module } from '@nestjs/common';
import { AuditEventsModule } from '../audit-events/audit-events.module';
import { SecurityGroupsMessageController } from './security-groups-message.controller';
import { SecurityGroupsController } from './security-groups.controller';
import { SecurityGroupsService } from './security-groups.service';

/** Partner security groups (issue 10 part 2): the routes and relationships' lookup. */
@Module({
  imports: [AuditEventsModule],
  controllers: [SecurityGroupsController, SecurityGroupsMessageController],
  providers: [SecurityGroupsService],
  exports: [SecurityGroupsService],
})
export class SecurityGroupsModule {}
