import { QUEUES } from '@app/contracts';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@app/auth';
import {
  HealthModule,
  IdempotencyModule,
  MetricsModule,
  RateLimitsModule,
  RequestContextModule,
  databaseOptions,
  loggerParams,
  publicRateLimitTier,
  tenantRateLimit,
  redisOptionsFromUrl,
} from '@app/platform';
import { OutboxModule, outboxOptionsFromConfig } from '@app/outbox';
import { LoggerModule } from 'nestjs-pino';
import { ActivityLogModule } from './activity-log/activity-log.module';
import { RelationshipsConfigModule } from './config/relationships-config.module';
import { RelationshipsConfig } from './config/relationships.config';
import { CustomerAgreementsModule } from './customer-agreements/customer-agreements.module';
import { CustomerPartnersModule } from './customer-partners/customer-partners.module';
import { CustomersModule } from './customers/customers.module';
import { DelegatedAdminRelationshipsModule } from './delegated-admin-relationships/delegated-admin-relationships.module';
import { ENTITIES } from './database/entities';
import { MIGRATIONS } from './database/migrations';
import { PartnershipsModule } from './partnerships/partnerships.module';
import { RelationshipRequestsModule } from './relationship-requests/relationship-requests.module';
import { ResellerRelationshipsModule } from './reseller-relationships/reseller-relationships.module';
import { SubscriptionsModule } from './subscriptions/subscriptions.module';
import { WebhooksModule } from './webhooks/webhooks.module';

/** Rows the outbox relay moves to BullMQ per batch. */
const OUTBOX_BATCH_SIZE = 100;

/**
 * The relationships service: partnerships, reseller relationship requests, customers, reseller
 * relationships with delegated admin privileges, the customer's partners, subscriptions and the
 * activity log (the platform's one audit trail: it also consumes identity's audit events). Each
 * feature module imports what it uses; the configuration and the library
 * modules (ORM, auth, outbox, health, logger, rate limits) are global.
 */
@Module({})
export class AppModule {
  static forRoot(config: RelationshipsConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        RelationshipsConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams('relationships', config.LOG_LEVEL)),
        MikroOrmModule.forRoot(
          databaseOptions(config.DATABASE_URL, ENTITIES, MIGRATIONS, config.DATABASE_POOL_SIZE),
        ),
        RequestContextModule.forRoot(),
        IdempotencyModule.forRoot({
          sealingKey: config.LINK_SEALING_KEY,
          retentionHours: config.IDEMPOTENT_REQUEST_RETENTION_HOURS,
          purgeIntervalSeconds: config.RETENTION_PURGE_INTERVAL_SECONDS,
        }),
        BullModule.forRoot({
          connection: { ...redisOptionsFromUrl(config.REDIS_URL), maxRetriesPerRequest: null },
          prefix: config.BULLMQ_PREFIX,
        }),
        HealthModule.forRootAsync({ useFactory: () => ({ redisUrl: config.REDIS_URL }) }),
        MetricsModule.forRoot({
          service: 'relationships',
          queues: {
            redisUrl: config.REDIS_URL,
            prefix: config.BULLMQ_PREFIX,
            names: [QUEUES.auditEvents, QUEUES.webhookDeliveries],
          },
        }),
        AuthModule.forRootAsync({
          useFactory: () => ({
            jwksUrl: config.IDENTITY_JWKS_URL,
            revocations: { redisUrl: config.REDIS_URL, bullmqPrefix: config.BULLMQ_PREFIX },
          }),
        }),
        OutboxModule.forRootAsync({
          useFactory: () => outboxOptionsFromConfig(config, OUTBOX_BATCH_SIZE),
        }),
        RateLimitsModule.forRoot({
          redisUrl: config.REDIS_URL,
          bullmqPrefix: config.BULLMQ_PREFIX,
          tenant: tenantRateLimit(config),
          tiers: { public: publicRateLimitTier(config) },
        }),
        ActivityLogModule,
        PartnershipsModule,
        RelationshipRequestsModule,
        DelegatedAdminRelationshipsModule,
        CustomersModule,
        CustomerAgreementsModule,
        CustomerPartnersModule,
        ResellerRelationshipsModule,
        SubscriptionsModule,
        WebhooksModule,
      ],
    };
  }
}
