import { runService } from '@app/platform';
import { AppModule, SERVICE_NAME } from './app.module';
import { loadIdentityConfig } from './config/identity.config';
import { ENTITIES } from './database/entities';
import { MIGRATIONS } from './database/migrations';
import { registerPortalSessionPlugins } from './portal-session/portal-session.cookies';
import { VERIFICATION_PAGE_STYLE } from './enrollment-verification/verification-page';

/**
 * `node main.js migrate` applies the committed migrations; `node main.js` starts the HTTP API on
 * `PORT` (default 3001) and the request/response handlers.
 */
runService({
  name: SERVICE_NAME,
  loadConfig: loadIdentityConfig,
  database: (config) => ({ url: config.DATABASE_URL, entities: ENTITIES, migrations: MIGRATIONS }),
  redisUrl: (config) => config.REDIS_URL,
  http: (config) => ({
    module: AppModule.forRoot(config),
    port: config.PORT,
    trustProxy: config.TRUST_PROXY,
    bodyLimit: config.HTTP_BODY_LIMIT_BYTES,
    corsOrigins: config.CORS_ORIGINS,
    pageStyles: [VERIFICATION_PAGE_STYLE],
    register: registerPortalSessionPlugins,
    microservice: {
      natsUrl: config.NATS_URL,
      namespace: config.MESSAGE_NAMESPACE,
      drainTimeoutMs: config.RPC_TIMEOUT_MS,
    },
  }),
});
