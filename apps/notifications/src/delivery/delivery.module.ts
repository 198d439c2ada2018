import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QUEUES } from '@app/contracts';
import { APP_CONFIG, NotificationsConfig } from '../config/notifications.config';
import { RenderingModule } from '../rendering/rendering.module';
import { DeliveryStatusController } from './delivery-status.controller';
import { DeliveryStore, PostgresDeliveryStore } from './delivery.store';
import { EmailDeliveryService } from './email-delivery.service';
import { MailTransport, SmtpMailTransport } from './mail-transport';
import { NotificationsProcessor } from './notifications.processor';

// registerQueue also brings @nestjs/bullmq's explorer, which creates the processor's worker.
const notificationsQueue = BullModule.registerQueue({ name: QUEUES.notifications });

/**
 * Consumes the notifications queue: claim the key, render, deliver over SMTP, record the outcome
 * (or the skip); answers the delivery-status message. Exports the queue (for replays and the
 * dashboard).
 */
@Module({
  imports: [RenderingModule, notificationsQueue],
  controllers: [DeliveryStatusController],
  providers: [
    { provide: DeliveryStore, useClass: PostgresDeliveryStore },
    {
      provide: MailTransport,
      inject: [APP_CONFIG],
      useFactory: (config: NotificationsConfig) =>
        new SmtpMailTransport({
          host: config.SMTP_HOST,
          port: config.SMTP_PORT,
          secure: config.SMTP_SECURE,
          user: config.SMTP_USER,
          password: config.SMTP_PASSWORD,
          from: config.MAIL_FROM,
          maxConnections: config.SMTP_MAX_CONNECTIONS,
          maxMessages: config.SMTP_MAX_MESSAGES,
        }),
    },
    EmailDeliveryService,
    NotificationsProcessor,
  ],
  exports: [notificationsQueue],
})
export class DeliveryModule {}
