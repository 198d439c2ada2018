import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module';
import { DeliveriesController } from './deliveries.controller';
import { DeliveriesService } from './deliveries.service';
import { QueueDashboard } from './queue-dashboard';

/**
 * The platform operator's side of the worker: `/v1/deliveries` (list, read, replay) and the
 * bull-board queue dashboard at `/admin/queues`, all behind `platform.operate`.
 */
@Module({
  imports: [DeliveryModule],
  controllers: [DeliveriesController],
  providers: [DeliveriesService, QueueDashboard],
})
export class DeliveriesModule {}
