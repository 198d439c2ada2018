import { Module } from '@nestjs/common';
import { ActivityLogModule } from '../activity-log/activity-log.module';
import { DelegatedAdminMessageController } from './delegated-admin-message.controller';
import { DelegatedAdminService } from './delegated-admin.service';
import { ResellerRelationshipsService } from './reseller-relationships.service';

/**
 * Reseller relationships with delegated admin privileges (seeds 000, 001): establishing and
 * removing them, the rules a relationship obeys (`relationship-rules.ts`), and identity's question
 * whether a partner holds delegated admin privileges. Exports `ResellerRelationshipsService` for
 * customers and relationship requests.
 */
@Module({
  imports: [ActivityLogModule],
  controllers: [DelegatedAdminMessageController],
  providers: [ResellerRelationshipsService, DelegatedAdminService],
  exports: [ResellerRelationshipsService],
})
export class ResellerRelationshipsModule {}
