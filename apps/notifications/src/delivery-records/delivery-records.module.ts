import { Module } from '@nestjs/common';
import { DeliveryStoreModule } from '../delivery-store/delivery-store.module';
import { EmailDeliveryModule } from '../email-delivery/email-delivery.module';
import { DeliveriesController } from './deliveries.controller';
import { DeliveriesService } from './deliveries.service';
import { DeliveryStatusController } from './delivery-status.controller';

/**
 * What was recorded about each delivery, for those who ask: the platform operator's
 * `/v1/deliveries` (list, read, and replay a failed one onto the notifications queue), behind
 * `platform.operate`, and the `notifications.deliveries.status` message that answers the
 * producers' outbox relays.
 */
@Module({
  imports: [DeliveryStoreModule, EmailDeliveryModule],
  controllers: [DeliveriesController, DeliveryStatusController],
  providers: [DeliveriesService],
})
export class DeliveryRecordsModule {}
