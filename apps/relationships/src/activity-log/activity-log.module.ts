import { Module } from '@nestjs/common';
import { ActivityLogController } from './activity-log.controller';
import { ActivityLogService } from './activity-log.service';
import { AuditEventSinks } from './audit-event-sinks';

/**
 * The activity log listing routes, `ActivityLogService` for the features that record, and the
 * `AuditEventSinks` registry for the features that act on every recorded event (webhooks).
 */
@Module({
  controllers: [ActivityLogController],
  providers: [ActivityLogService, AuditEventSinks],
  exports: [ActivityLogService, AuditEventSinks],
})
export class ActivityLogModule {}
