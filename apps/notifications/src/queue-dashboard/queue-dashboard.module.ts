import { Module } from '@nestjs/common';
import { EmailDeliveryModule } from '../email-delivery/email-delivery.module';
import { QueueDashboard } from './queue-dashboard';

/** The bull-board dashboard of the notifications queue at `/admin/queues` (`platform.operate`). */
@Module({
  imports: [EmailDeliveryModule],
  providers: [QueueDashboard],
})
export class QueueDashboardModule {}
