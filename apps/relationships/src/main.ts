import { runService } from '@app/platform';
import { AppModule } from './app.module';
import { loadRelationshipsConfig } from './config/relationships.config';
import { ENTITIES } from './database/entities';
import { MIGRATIONS } from './database/migrations';
import { INVITATION_PAGE_STYLE } from './invitation-pages/invitation-page.html';

/**
 * `node main.js migrate` applies the committed migrations; `node main.js` serves HTTP on `PORT`
 * (default 3002) and the request/response handlers.
 */
runService({
  name: 'relationships',
  loadConfig: loadRelationshipsConfig,
  database: (config) => ({ url: config.DATABASE_URL, entities: ENTITIES, migrations: MIGRATIONS }),
  redisUrl: (config) => config.REDIS_URL,
  http: (config) => ({
    module: AppModule.forRoot(config),
    port: config.PORT,
    trustProxy: config.TRUST_PROXY,
    bodyLimit: config.HTTP_BODY_LIMIT_BYTES,
    corsOrigins: config.CORS_ORIGINS,
    pageStyles: [INVITATION_PAGE_STYLE],
    microservice: {
      natsUrl: config.NATS_URL,
      namespace: config.MESSAGE_NAMESPACE,
      drainTimeoutMs: config.RPC_TIMEOUT_MS,
    },
  }),
});
