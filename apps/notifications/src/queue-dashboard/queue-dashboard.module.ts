import { Module } from '@nestjs/common';
import { EmailDeliveryModule } from '../email-delivery/email-delivery.module';
import { QueueDashboard } from './queue-dashboard';
import { QueueDashboardSessions } from './queue-dashboard-sessions.service';
import { QueueDashboardTicketsController } from './queue-dashboard-tickets.controller';

/**
 * The bull-board dashboard of the notifications queue at `/admin/queues` (`platform.operate`),
 * opened with a bearer header or, from the operator's portal, with a single-use ticket exchanged
 * for a session cookie (`POST /v1/queue-dashboard/tickets`).
 */
@Module({
  imports: [EmailDeliveryModule],
  controllers: [QueueDashboardTicketsController],
  providers: [QueueDashboard, QueueDashboardSessions],
})
export class QueueDashboardModule {}
