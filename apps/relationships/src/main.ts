import { Logger } from '@nestjs/common';
import {
  assertRedisKeepsQueueKeys,
  databaseOptions,
  runMain,
  runMigrations,
  startHttpService,
} from '@app/platform';
import { AppModule } from './app.module';
import { loadRelationshipsConfig } from './config/relationships.config';
import { ENTITIES } from './database/entities';
import { MIGRATIONS } from './database/migrations';
import { INVITATION_PAGE_STYLE } from './invitations/invitation-page.html';

/**
 * `node main.js migrate` applies the committed migrations (creating the database if missing);
 * `node main.js` serves HTTP on `PORT` (default 3002) and request/response messages over Redis.
 */
runMain(async () => {
  const config = loadRelationshipsConfig(process.env);
  if (process.argv[2] === 'migrate') {
    const applied = await runMigrations(databaseOptions(config.DATABASE_URL, ENTITIES, MIGRATIONS));
    new Logger('relationships').log(
      applied.length ? `applied migrations: ${applied.join(', ')}` : 'no pending migrations',
    );
    return;
  }
  // Refuse to start on a Redis that may evict queue keys (exit 1 with the policy and the fix).
  await assertRedisKeepsQueueKeys(config.REDIS_URL);
  await startHttpService({
    name: 'relationships',
    module: AppModule.forRoot(config),
    port: config.PORT,
    bodyLimit: config.HTTP_BODY_LIMIT_BYTES,
    corsOrigins: config.CORS_ORIGINS,
    pageStyles: [INVITATION_PAGE_STYLE],
    microservice: { redisUrl: config.REDIS_URL, namespace: config.MESSAGE_NAMESPACE },
  });
});
