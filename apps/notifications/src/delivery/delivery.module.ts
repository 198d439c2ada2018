import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QUEUES } from '@app/contracts';
import { APP_CONFIG, NotificationsConfig } from '../config/notifications.config';
import { RenderingModule } from '../rendering/rendering.module';
import { DeliveryStore, MikroOrmDeliveryStore } from './delivery.store';
import { EmailDeliveryService } from './email-delivery.service';
import { MailTransport, SmtpMailTransport } from './mail-transport';
import { NotificationsProcessor } from './notifications.processor';

/** Consumes the notifications queue: render, deliver over SMTP, record by idempotency key. */
@Module({
  // registerQueue also brings @nestjs/bullmq's explorer, which creates the processor's worker.
  imports: [RenderingModule, BullModule.registerQueue({ name: QUEUES.notifications })],
  providers: [
    { provide: DeliveryStore, useClass: MikroOrmDeliveryStore },
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
        }),
    },
    EmailDeliveryService,
    NotificationsProcessor,
  ],
})
export class DeliveryModule {}
