import 'reflect-metadata';
import {
  assertRedisKeepsQueueKeys,
  databaseOptions,
  runMain,
  runMigrations,
  startHttpService,
} from '@app/platform';
import { AppModule, SERVICE_NAME } from './app.module';
import { loadNotificationsConfig } from './config/notifications.config';
import { ENTITIES } from './database/entities';
import { MIGRATIONS } from './database/migrations';

/**
 * `node main.js migrate` applies the committed migrations of `pcp_notifications` (creating the
 * database if needed) and exits; `node main.js` starts the worker, its render message handler and
 * `GET /health` on `PORT`.
 */
runMain(async () => {
  const config = loadNotificationsConfig(process.env);
  if (process.argv[2] === 'migrate') {
    const applied = await runMigrations(databaseOptions(config.DATABASE_URL, ENTITIES, MIGRATIONS));
    process.stdout.write(
      `${SERVICE_NAME}: ${applied.length ? `applied ${applied.join(', ')}` : 'no pending migrations'}\n`,
    );
    return;
  }
  // Refuse to start on a Redis that may evict queue keys (exit 1 with the policy and the fix).
  await assertRedisKeepsQueueKeys(config.REDIS_URL);
  await startHttpService({
    name: SERVICE_NAME,
    module: AppModule.forRoot(config),
    port: config.PORT,
    bodyLimit: config.HTTP_BODY_LIMIT_BYTES,
    corsOrigins: config.CORS_ORIGINS,
    microservice: { redisUrl: config.REDIS_URL, namespace: config.MESSAGE_NAMESPACE },
  });
});
