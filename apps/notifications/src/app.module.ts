import { QUEUES } from '@app/contracts';
import { OutboxModule, outboxOptionsFromConfig } from '@app/outbox';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@app/auth';
import { LoggerModule } from 'nestjs-pino';
import {
  HealthModule,
  MetricsModule,
  RateLimitsModule,
  RequestContextModule,
  databaseOptions,
  loggerParams,
  redisOptionsFromUrl,
  tenantRateLimit,
} from '@app/platform';
import { APP_CONFIG, NotificationsConfig } from './config/notifications.config';
import { ENTITIES } from './database/entities';
import { MIGRATIONS } from './database/migrations';
import { DeliveryRecordsModule } from './delivery-records/delivery-records.module';
import { EmailDeliveryModule } from './email-delivery/email-delivery.module';
import { QueueDashboardModule } from './queue-dashboard/queue-dashboard.module';

export const SERVICE_NAME = 'notifications';

/** Audit events an operator's replays write per transaction: a handful. */
const OUTBOX_BATCH_SIZE = 100;

/**
 * The notifications worker: the BullMQ consumer of the `notifications` queue (rendering with
 * `@app/email-rendering`), its delivery records in `pcp_notifications` (and the delivery-status
 * message), the operator's `/v1/deliveries` API and `/admin/queues` dashboard (access tokens
 * verified against identity's JWKS), `GET /health`, and the outbox of its audit events (an
 * operator's replay).
 */
@Module({})
export class AppModule {
  static forRoot(config: NotificationsConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        LoggerModule.forRoot(loggerParams(SERVICE_NAME, config.LOG_LEVEL)),
        MikroOrmModule.forRoot(
          databaseOptions(config.DATABASE_URL, ENTITIES, MIGRATIONS, config.DATABASE_POOL_SIZE),
        ),
        BullModule.forRoot({
          connection: { ...redisOptionsFromUrl(config.REDIS_URL), maxRetriesPerRequest: null },
          prefix: config.BULLMQ_PREFIX,
        }),
        HealthModule.forRootAsync({ useFactory: () => ({ redisUrl: config.REDIS_URL }) }),
        MetricsModule.forRoot({
          service: SERVICE_NAME,
          queues: {
            redisUrl: config.REDIS_URL,
            prefix: config.BULLMQ_PREFIX,
            names: [QUEUES.notifications],
          },
        }),
        AuthModule.forRootAsync({
          useFactory: () => ({
            jwksUrl: config.IDENTITY_JWKS_URL,
            revocations: { redisUrl: config.REDIS_URL, bullmqPrefix: config.BULLMQ_PREFIX },
          }),
        }),
        // No public route here needs a tier: only the per-tenant limit of authenticated routes.
        RateLimitsModule.forRoot({
          redisUrl: config.REDIS_URL,
          bullmqPrefix: config.BULLMQ_PREFIX,
          tenant: tenantRateLimit(config),
          tiers: {},
        }),
        RequestContextModule.forRoot(),
        OutboxModule.forRootAsync({
          // Only audit events leave through this outbox: confirmed by their jobs' state, so the
          // relay asks no delivery status.
          useFactory: () => ({
            ...outboxOptionsFromConfig(config, OUTBOX_BATCH_SIZE),
            rpc: undefined,
          }),
        }),
        EmailDeliveryModule,
        DeliveryRecordsModule,
        QueueDashboardModule,
      ],
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
