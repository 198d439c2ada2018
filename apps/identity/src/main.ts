import { Logger } from '@nestjs/common';
import {
  assertRedisKeepsQueueKeys,
  databaseOptions,
  runMain,
  runMigrations,
  startHttpService,
} from '@app/platform';
import { AppModule, SERVICE_NAME } from './app.module';
import { loadIdentityConfig } from './config/identity.config';
import { ENTITIES } from './database/entities';
import { MIGRATIONS } from './database/migrations';
import { VERIFICATION_PAGE_STYLE } from './enrollments/verification-page';

/**
 * `node main.js migrate` creates the database if needed and applies the committed migrations;
 * `node main.js` starts the HTTP API (port `PORT`) and the Redis message handlers.
 */
runMain(async () => {
  const config = loadIdentityConfig(process.env);
  if (process.argv[2] === 'migrate') {
    const applied = await runMigrations(databaseOptions(config.DATABASE_URL, ENTITIES, MIGRATIONS));
    new Logger(SERVICE_NAME).log(
      applied.length > 0 ? `applied migrations: ${applied.join(', ')}` : 'database is up to date',
    );
    return;
  }
  // Refuse to start on a Redis that may evict queue keys (exit 1 with the policy and the fix).
  await assertRedisKeepsQueueKeys(config.REDIS_URL);
  await startHttpService({
    name: SERVICE_NAME,
    module: AppModule.forRoot(config),
    port: config.PORT,
    trustProxy: config.TRUST_PROXY,
    bodyLimit: config.HTTP_BODY_LIMIT_BYTES,
    corsOrigins: config.CORS_ORIGINS,
    pageStyles: [VERIFICATION_PAGE_STYLE],
    microservice: { redisUrl: config.REDIS_URL, namespace: config.MESSAGE_NAMESPACE },
  });
});
