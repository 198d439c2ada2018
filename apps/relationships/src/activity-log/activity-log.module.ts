import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QUEUES } from '@app/contracts';
import { ActivityLogChainer } from './activity-log-chainer.service';
import { ActivityLogController } from './activity-log.controller';
import { ActivityLogService } from './activity-log.service';
import { AuditEventSinks } from './audit-event-sinks';
import { AuditEventsProcessor } from './audit-events.processor';

/**
 * The platform's one audit trail: the listing and export routes, `ActivityLogService` for the
 * features that record, `AuditEventSinks` for the features that react to every event (webhooks),
 * the consumer of identity's `audit.recorded` jobs and the hash chainer.
 */
@Module({
  imports: [BullModule.registerQueue({ name: QUEUES.auditEvents })],
  controllers: [ActivityLogController],
  providers: [ActivityLogService, AuditEventSinks, AuditEventsProcessor, ActivityLogChainer],
  exports: [ActivityLogService, AuditEventSinks],
})
export class ActivityLogModule {}
