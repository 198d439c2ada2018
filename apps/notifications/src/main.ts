import 'reflect-metadata';
import { runService } from '@app/platform';
import { AppModule, SERVICE_NAME } from './app.module';
import { loadNotificationsConfig } from './config/notifications.config';
import { ENTITIES } from './database/entities';
import { MIGRATIONS } from './database/migrations';

/**
 * `node main.js migrate` applies the committed migrations of `pcp_notifications`; `node main.js`
 * starts the worker, its delivery-status message handler (NATS), `GET /health` and the operator's routes on `PORT`.
 */
runService({
  name: SERVICE_NAME,
  loadConfig: loadNotificationsConfig,
  database: (config) => ({ url: config.DATABASE_URL, entities: ENTITIES, migrations: MIGRATIONS }),
  redisUrl: (config) => config.REDIS_URL,
  http: (config) => ({
    module: AppModule.forRoot(config),
    port: config.PORT,
    bodyLimit: config.HTTP_BODY_LIMIT_BYTES,
    corsOrigins: config.CORS_ORIGINS,
    microservice: {
      natsUrl: config.NATS_URL,
      namespace: config.MESSAGE_NAMESPACE,
      drainTimeoutMs: config.RPC_TIMEOUT_MS,
    },
  }),
});
