import { Module } from '@nestjs/common';
import { APP_CONFIG, NotificationsConfig } from '../config/notifications.config';
import { MailTransport, SmtpMailTransport } from './mail-transport';

/**
 * The SMTP relay every email goes out through: pooled nodemailer SMTP connections
 * (`SmtpMailTransport`) to `SMTP_HOST`:`SMTP_PORT` (`SMTP_SECURE`, `SMTP_REQUIRE_TLS`, optional
 * `SMTP_USER`/`SMTP_PASSWORD`), sending from `MAIL_FROM`, at most `SMTP_MAX_CONNECTIONS`
 * connections of `SMTP_MAX_MESSAGES` messages each; closed at shutdown.
 */
@Module({
  providers: [
    {
      provide: MailTransport,
      inject: [APP_CONFIG],
      useFactory: (config: NotificationsConfig) =>
        new SmtpMailTransport({
          host: config.SMTP_HOST,
          port: config.SMTP_PORT,
          secure: config.SMTP_SECURE,
          requireTls: config.SMTP_REQUIRE_TLS,
          user: config.SMTP_USER,
          password: config.SMTP_PASSWORD,
          from: config.MAIL_FROM,
          maxConnections: config.SMTP_MAX_CONNECTIONS,
          maxMessages: config.SMTP_MAX_MESSAGES,
        }),
    },
  ],
  exports: [MailTransport],
})
export class SmtpModule {}
