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
import { AdminAccessModule } from './admin-access/admin-access.module';
import { APP_CONFIG, IdentityConfig } from './config/identity.config';
import { CustomerUsersModule } from './customer-users/customer-users.module';
import { CustomersModule } from './customers/customers.module';
import { ENTITIES } from './database/entities';
import { MIGRATIONS } from './database/migrations';
import { DirectoryModule } from './directory/directory.module';
import { EmailVerificationModule } from './email-verification/email-verification.module';
import { EnrollmentVerificationModule } from './enrollment-verification/enrollment-verification.module';
import { EnrollmentsModule } from './enrollments/enrollments.module';
import { OrganizationMembersModule } from './organization-members/organization-members.module';
import { OrganizationsModule } from './organizations/organizations.module';
import { PasswordResetModule } from './password-reset/password-reset.module';
import { PartnerAgreementModule } from './partner-agreement/partner-agreement.module';
import { PartnerProfileModule } from './partner-profile/partner-profile.module';
import { PortalSessionModule } from './portal-session/portal-session.module';
import { PlatformOperatorModule } from './platform-operator/platform-operator.module';
import { SecurityGroupsModule } from './security-groups/security-groups.module';
import { SignInModule } from './sign-in/sign-in.module';
import { SigningKeysModule } from './signing-keys/signing-keys.module';
import { SigningKeysService } from './signing-keys/signing-keys.service';
import { UnverifiedAccountsModule } from './unverified-accounts/unverified-accounts.module';
import { UsersModule } from './users/users.module';

export const SERVICE_NAME = 'identity';

/** Outbox rows relayed per batch. */
const OUTBOX_BATCH = 100;

/**
 * The identity service: organisations (tenants) and customers, partner enrollment and its
 * verification links, users and roles, sign-in, and the signing keys of its JWTs (JWKS).
 */
@Module({})
export class AppModule {
  static forRoot(config: IdentityConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        LoggerModule.forRoot(loggerParams(SERVICE_NAME, config.LOG_LEVEL)),
        RequestContextModule.forRoot(),
        IdempotencyModule.forRoot({
          sealingKey: config.LINK_SEALING_KEY,
          retentionHours: config.IDEMPOTENT_REQUEST_RETENTION_HOURS,
          purgeIntervalSeconds: config.RETENTION_PURGE_INTERVAL_SECONDS,
        }),
        MikroOrmModule.forRoot(
          databaseOptions(config.DATABASE_URL, ENTITIES, MIGRATIONS, config.DATABASE_POOL_SIZE),
        ),
        HealthModule.forRootAsync({ useFactory: () => ({ redisUrl: config.REDIS_URL }) }),
        MetricsModule.forRoot({
          service: 'identity',
          queues: {
            redisUrl: config.REDIS_URL,
            prefix: config.BULLMQ_PREFIX,
            names: [QUEUES.identityEvents],
          },
        }),
        OutboxModule.forRootAsync({
          useFactory: () => outboxOptionsFromConfig(config, OUTBOX_BATCH),
        }),
        BullModule.forRoot({
          connection: { ...redisOptionsFromUrl(config.REDIS_URL), maxRetriesPerRequest: null },
          prefix: config.BULLMQ_PREFIX,
        }),
        AuthModule.forRootAsync({
          imports: [SigningKeysModule],
          inject: [SigningKeysService],
          useFactory: (keys: SigningKeysService) => ({
            keyResolver: (header) => keys.verificationKey(header),
            revocations: { redisUrl: config.REDIS_URL, bullmqPrefix: config.BULLMQ_PREFIX },
          }),
        }),
        RateLimitsModule.forRoot({
          redisUrl: config.REDIS_URL,
          bullmqPrefix: config.BULLMQ_PREFIX,
          tenant: tenantRateLimit(config),
          tiers: {
            session: {
              addressLimit: config.AUTH_ADDRESS_LIMIT,
              windowSeconds: config.AUTH_ADDRESS_WINDOW_SECONDS,
            },
            public: publicRateLimitTier(config),
          },
        }),
        UsersModule,
        SignInModule,
        PortalSessionModule,
        OrganizationsModule,
        OrganizationMembersModule,
        CustomersModule,
        EnrollmentsModule,
        EnrollmentVerificationModule,
        EmailVerificationModule,
        PasswordResetModule,
        AdminAccessModule,
        DirectoryModule,
        PartnerProfileModule,
        PartnerAgreementModule,
        PlatformOperatorModule,
        CustomerUsersModule,
        SecurityGroupsModule,
        UnverifiedAccountsModule,
      ],
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
