import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QUEUES } from '@app/contracts';
import { EmailRenderingModule } from '@app/email-rendering';
import { DeliveryStoreModule } from '../delivery-store/delivery-store.module';
import { SmtpModule } from '../smtp/smtp.module';
import { EmailDeliveryService } from './email-delivery.service';
import { NotificationsProcessor } from './notifications.processor';

// registerQueue also brings @nestjs/bullmq's explorer, which creates the processor's worker.
const notificationsQueue = BullModule.registerQueue({ name: QUEUES.notifications });

/**
 * The worker of the notifications queue: claim the key, render, deliver over SMTP, record the
 * outcome (or the skip). Exports the queue (for replays and the dashboard).
 */
@Module({
  imports: [EmailRenderingModule, SmtpModule, DeliveryStoreModule, notificationsQueue],
  providers: [EmailDeliveryService, NotificationsProcessor],
  exports: [notificationsQueue],
})
export class EmailDeliveryModule {}
