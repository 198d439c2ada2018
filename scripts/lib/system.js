// @ts-check
'use strict';
/**
 * The whole system in one place: which services exist, the environment each one gets, how to
 * migrate them, how to run MailDev, and how to start and stop everything. `npm start`
 * (scripts/start.js), `npm run migrate` (scripts/migrate.js) and the end-to-end harness
 * (test/e2e/global-setup.js) all go through this module, and docker-compose.yml sets the same
 * variables (test/unit/compose.spec.ts checks both against the services' env schemas).
 */
const { spawn } = require('node:child_process');
const { createHash, randomBytes } = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const RUN_DIR = path.join(ROOT, '.run');

/** @typedef {'identity' | 'relationships' | 'notifications'} ServiceName */
/** @type {readonly ServiceName[]} */
const SERVICES = ['identity', 'relationships', 'notifications'];

const PG_HOST = '127.0.0.1';
const PG_PORT = 5432;
const REDIS_HOST = '127.0.0.1';
const REDIS_PORT = 6379;
const NATS_HOST = '127.0.0.1';
const NATS_PORT = 4222;

const START_POSTGRES = 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start';
const START_REDIS =
  'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no';
const START_NATS = 'nohup nats-server -a 127.0.0.1 -p 4222 -js >/dev/null 2>&1 &';

/**
 * @typedef {object} Settings
 * @property {string} name            a label for logs (`dev`, `test-<runid>`)
 * @property {string} host            where the services and MailDev listen and are reached
 * @property {'development' | 'production' | 'test'} nodeEnv
 * @property {string} logLevel        pino level
 * @property {string} postgresUrl     server URL without a database, e.g. `postgres://postgres@127.0.0.1:5432`
 * @property {Record<ServiceName, string>} databases   database name per service
 * @property {string} redisUrl
 * @property {string} bullmqPrefix
 * @property {string} natsUrl         NATS of the request/response calls (`NATS_URL`)
 * @property {string} messageNamespace  prefix of every NATS subject (`MESSAGE_NAMESPACE`): a run's
 *   services only ever answer their own run's requests
 * @property {number} rpcTimeoutMs
 * @property {{ identity: number, relationships: number, notifications: number, smtp: number, mailWeb: number, gateway?: number }} ports
 *   (`gateway`: the one base URL of the API, apps/gateway; absent: no gateway)
 * @property {string} gatewayTrustProxy  the gateway's TRUST_PROXY (whose `X-Forwarded-For` gives the
 *   client address; the gateway forwards the address it determined, and the services trust it)
 * @property {boolean} [linksThroughGateway]  the services' emailed links name the gateway's URL
 *   (`npm start`) instead of the services' own (the e2e system, whose suites check the latter)
 * @property {string} smtpHost
 * @property {{ email: string, password: string }} operator
 * @property {boolean} autoApprove    ENROLLMENT_AUTO_APPROVE
 * @property {string} linkSealingKey  LINK_SEALING_KEY (at least 32 characters)
 * @property {string} signingKeyEncryptionKey  SIGNING_KEY_ENCRYPTION_KEY (32 bytes, hex)
 * @property {AuthSettings} auth     identity's token lifetimes and sign-in limits
 * @property {PublicRouteSettings} publicRoutes  the public routes' rate limits (identity and
 *   relationships) and identity's bound on their password hashing
 * @property {string} relationshipsTrustProxy  relationships' TRUST_PROXY (a reverse proxy in
 *   front of it); identity's is `auth.trustProxy`
 * @property {string} mailFrom
 * @property {string} messageIdDomain
 * @property {string} customerDomainSuffix
 * @property {string | null} logDir   where service logs go; `null` prints them on the console
 * @property {Partial<Record<ServiceName, Record<string, string>>>} [extraEnv]  more variables for
 *   a service, over the ones above (e.g. `OUTBOX_POLL_INTERVAL_MS` for one test instance)
 * @property {string[]} [corsOrigins] CORS_ORIGINS; absent or empty: CORS off (the default)
 * @property {{ limit: number, windowSeconds: number }} tenantRateLimit TENANT_RATE_LIMIT and
 *   TENANT_RATE_LIMIT_WINDOW_SECONDS: authenticated requests per tenant per window
 */

/**
 * @typedef {object} AuthSettings
 * @property {number} accessTokenTtlSeconds ACCESS_TOKEN_TTL_SECONDS
 * @property {number} addressLimit          AUTH_ADDRESS_LIMIT (requests per address and route)
 * @property {number} addressWindowSeconds  AUTH_ADDRESS_WINDOW_SECONDS
 * @property {number} maxFailures           SIGN_IN_MAX_FAILURES
 * @property {number} failureWindowSeconds  SIGN_IN_FAILURE_WINDOW_SECONDS
 * @property {number} lockoutSeconds        SIGN_IN_LOCKOUT_SECONDS
 * @property {string} trustProxy            identity's TRUST_PROXY: relationships' address, whose
 *   invitation pages sign visitors in through identity and forward each visitor's address
 */

/**
 * @typedef {object} PublicRouteSettings
 * @property {number} addressLimit        PUBLIC_ADDRESS_LIMIT (requests per address and route)
 * @property {number} targetLimit         PUBLIC_TARGET_LIMIT (requests per email/domain/link and route)
 * @property {number} windowSeconds       PUBLIC_LIMIT_WINDOW_SECONDS
 * @property {number} hashingConcurrency  PUBLIC_HASHING_CONCURRENCY (identity)
 * @property {number} hashingQueue        PUBLIC_HASHING_QUEUE (identity)
 */

/** The services' defaults (libs/platform rate-limit.config.ts, identity.config.ts). @returns {PublicRouteSettings} */
function defaultPublicRouteSettings() {
  return {
    addressLimit: 20,
    targetLimit: 5,
    windowSeconds: 900,
    hashingConcurrency: 1,
    hashingQueue: 16,
  };
}

/** The services' defaults (apps/identity/src/config/identity.config.ts). @returns {AuthSettings} */
function defaultAuthSettings() {
  return {
    accessTokenTtlSeconds: 300,
    addressLimit: 30,
    addressWindowSeconds: 60,
    maxFailures: 5,
    failureWindowSeconds: 900,
    lockoutSeconds: 900,
    trustProxy: 'false',
  };
}

/** The development system of `npm start`: default ports, databases `pcp_<service>`. */
function devSettings() {
  /** @type {Settings} */
  const settings = {
    name: 'dev',
    host: '127.0.0.1',
    nodeEnv: 'development',
    logLevel: 'info',
    postgresUrl: `postgres://postgres@${PG_HOST}:${PG_PORT}`,
    databases: {
      identity: 'pcp_identity',
      relationships: 'pcp_relationships',
      notifications: 'pcp_notifications',
    },
    redisUrl: `redis://${REDIS_HOST}:${REDIS_PORT}/0`,
    bullmqPrefix: 'pcp',
    natsUrl: `nats://${NATS_HOST}:${NATS_PORT}`,
    messageNamespace: 'pcp:',
    rpcTimeoutMs: 5000,
    ports: {
      identity: 3001,
      relationships: 3002,
      notifications: 3003,
      smtp: 1025,
      mailWeb: 1080,
      gateway: 3000,
    },
    gatewayTrustProxy: 'false',
    linksThroughGateway: true,
    smtpHost: '127.0.0.1',
    operator: { email: 'operator@platform.example', password: 'Operator-dev-2026!' },
    autoApprove: true,
    linkSealingKey: 'dev-only-link-sealing-key-0123456789abcdef',
    // Fixed, so that the development database's signing keys stay readable across restarts.
    signingKeyEncryptionKey: createHash('sha256')
      .update('dev-only signing key encryption key')
      .digest('hex'),
    // Everything runs on 127.0.0.1: identity trusts relationships' X-Forwarded-For from there.
    auth: { ...defaultAuthSettings(), trustProxy: '127.0.0.1' },
    publicRoutes: defaultPublicRouteSettings(),
    // Partner Center's: 500 requests per minute per tenant.
    tenantRateLimit: { limit: 500, windowSeconds: 60 },
    // Every /v1 route reaches relationships through the gateway on 127.0.0.1, which forwards each
    // client's address in X-Forwarded-For (the per-address limits count clients, not the gateway).
    relationshipsTrustProxy: '127.0.0.1',
    mailFrom: '"Partner Channel" <no-reply@partners.example>',
    messageIdDomain: 'partners.example',
    customerDomainSuffix: 'onmicrosoft.example',
    logDir: path.join(RUN_DIR, 'logs'),
  };
  return settings;
}

/** The webhook settings of the test system (see testSettings). */
const TEST_WEBHOOK_ENV = {
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
  WEBHOOK_RETRY_BASE_MS: '200',
  WEBHOOK_RETRY_MAX_DELAY_MS: '1000',
  WEBHOOK_MAX_ATTEMPTS: '5',
  WEBHOOK_TIMEOUT_MS: '3000',
};

/**
 * An isolated test system: its own databases `pcp_test_<runId>_<service>`, BullMQ prefix
 * `pcp-test-<runId>`, message namespace `pcp-test-<runId>:`, the given (free) ports, a fresh
 * random link key, signing-key encryption key and operator password, rate limits high enough
 * for the suites, and both identity and relationships trusting `X-Forwarded-For` from 127.0.0.1
 * (the tests act as distinct client addresses through it).
 * @param {string} runId lower-case letters and digits
 * @param {Settings['ports']} ports
 */
function testSettings(runId, ports) {
  const base = devSettings();
  /** @type {Settings} */
  const settings = {
    ...base,
    name: `test-${runId}`,
    nodeEnv: 'test',
    logLevel: 'info',
    databases: {
      identity: `pcp_test_${runId}_identity`,
      relationships: `pcp_test_${runId}_relationships`,
      notifications: `pcp_test_${runId}_notifications`,
    },
    bullmqPrefix: `pcp-test-${runId}`,
    messageNamespace: `pcp-test-${runId}:`,
    ports,
    operator: {
      email: 'operator@platform.example',
      password: `Op-${randomBytes(12).toString('hex')}`,
    },
    autoApprove: true,
    linkSealingKey: randomBytes(32).toString('hex'),
    signingKeyEncryptionKey: randomBytes(32).toString('hex'),
    // The suites sign in hundreds of times from 127.0.0.1: the per-address limit must not bite
    // (test/e2e/identity/sign-in.e2e-spec.ts tests the strict limits on extra instances). A spec's token from
    // its beforeAll must outlive the spec on a slow machine: 15-minute access tokens.
    auth: {
      ...defaultAuthSettings(),
      accessTokenTtlSeconds: 900,
      addressLimit: 100000,
      trustProxy: '127.0.0.1',
    },
    // The same for the public routes (test/e2e/system/public-route-limits.e2e-spec.ts tests the
    // strict limits on extra instances), and room for the suites' parallel sign-ups.
    publicRoutes: {
      ...defaultPublicRouteSettings(),
      addressLimit: 100000,
      targetLimit: 100000,
      hashingQueue: 1000,
    },
    // The suites (and the bench) send thousands of requests per tenant: the per-tenant limit must
    // not bite (test/e2e/system/partner-center-conventions.e2e-spec.ts tests a small one on extra
    // instances).
    tenantRateLimit: { limit: 1000000, windowSeconds: 60 },
    relationshipsTrustProxy: '127.0.0.1',
    // The suites act as distinct client addresses through the gateway too; emailed links keep
    // naming the services (the suites check those), which the gateway serves as well.
    gatewayTrustProxy: '127.0.0.1',
    linksThroughGateway: false,
    logDir: path.join(RUN_DIR, `e2e-${runId}`),
    // The suites' webhook receivers listen on 127.0.0.1, and retries come within seconds: 200 ms
    // doubling, capped at 1 s, given up after 5 attempts (test/e2e/relationships/webhooks*).
    extraEnv: { relationships: TEST_WEBHOOK_ENV },
  };
  return settings;
}

/** The base URL of a service as users reach it. @param {Settings} s @param {ServiceName} service */
function urlOf(s, service) {
  return `http://${s.host}:${s.ports[service]}`;
}

/**
 * The one base URL of the API (the gateway), or, without a gateway, undefined.
 * @param {Settings} s
 */
function gatewayUrlOf(s) {
  return s.ports.gateway === undefined ? undefined : `http://${s.host}:${s.ports.gateway}`;
}

/**
 * Where users reach a service's pages and links: the gateway when the settings route emailed
 * links through it, else the service's own URL.
 * @param {Settings} s @param {ServiceName} service
 */
function publicUrlOf(s, service) {
  return (s.linksThroughGateway && gatewayUrlOf(s)) || urlOf(s, service);
}

/**
 * The gateway's environment (apps/gateway/src/config/gateway.config.ts; docker-compose.yml sets
 * the same names): its port, each service's URL (several instances: comma-separated, spread
 * round-robin), the OpenAPI document it routes by, whose X-Forwarded-For it trusts.
 * @param {Settings} s
 * @param {Partial<Record<ServiceName, string[]>>} [upstreams] instance URLs per service
 * @returns {Record<string, string>}
 */
function gatewayEnv(s, upstreams = {}) {
  const list = (/** @type {ServiceName} */ service) =>
    (upstreams[service] ?? [urlOf(s, service)]).join(',');
  return {
    PORT: String(s.ports.gateway),
    HOST: s.host,
    LOG_LEVEL: s.logLevel,
    IDENTITY_URL: list('identity'),
    RELATIONSHIPS_URL: list('relationships'),
    NOTIFICATIONS_URL: list('notifications'),
    OPENAPI_DOCUMENT: OPENAPI_DOCUMENT,
    PORTAL_DIR: PORTAL_DIR,
    TRUST_PROXY: s.gatewayTrustProxy,
  };
}

/** MailDev's web inbox (and REST API under `/api`). @param {Settings} s */
function mailDevUrl(s) {
  return `http://${s.host}:${s.ports.mailWeb}`;
}

/** @param {Settings} s @param {ServiceName} service */
function databaseUrl(s, service) {
  return `${s.postgresUrl}/${s.databases[service]}`;
}

/**
 * The environment of one service: every variable its config schema reads (the same names
 * docker-compose.yml sets), as strings, then the settings' `extraEnv` for that service.
 * @param {ServiceName} service
 * @param {Settings} s
 * @returns {Record<string, string>}
 */
function envFor(service, s) {
  return { ...baseEnvFor(service, s), ...(s.extraEnv?.[service] ?? {}) };
}

/**
 * @param {ServiceName} service
 * @param {Settings} s
 * @returns {Record<string, string>}
 */
function baseEnvFor(service, s) {
  const common = {
    NODE_ENV: s.nodeEnv,
    LOG_LEVEL: s.logLevel,
    REDIS_URL: s.redisUrl,
    BULLMQ_PREFIX: s.bullmqPrefix,
    NATS_URL: s.natsUrl,
    MESSAGE_NAMESPACE: s.messageNamespace,
    RPC_TIMEOUT_MS: String(s.rpcTimeoutMs),
    DATABASE_URL: databaseUrl(s, service),
    PORT: String(s.ports[service]),
    LINK_SEALING_KEY: s.linkSealingKey,
    TENANT_RATE_LIMIT: String(s.tenantRateLimit.limit),
    TENANT_RATE_LIMIT_WINDOW_SECONDS: String(s.tenantRateLimit.windowSeconds),
    ...(s.corsOrigins && s.corsOrigins.length > 0 ? { CORS_ORIGINS: s.corsOrigins.join(',') } : {}),
  };
  const identityUrl = urlOf(s, 'identity');
  const relationshipsUrl = publicUrlOf(s, 'relationships');
  switch (service) {
    case 'identity':
      return {
        ...common,
        PUBLIC_URL: publicUrlOf(s, 'identity'),
        ENROLLMENT_AUTO_APPROVE: String(s.autoApprove),
        OPERATOR_EMAIL: s.operator.email,
        OPERATOR_PASSWORD: s.operator.password,
        ACCESS_TOKEN_TTL_SECONDS: String(s.auth.accessTokenTtlSeconds),
        REFRESH_TOKEN_TTL_DAYS: '30',
        CUSTOMER_DOMAIN_SUFFIX: s.customerDomainSuffix,
        VERIFICATION_TTL_HOURS: '72',
        TRUST_PROXY: s.auth.trustProxy,
        ...publicLimitsEnv(s),
        PUBLIC_HASHING_CONCURRENCY: String(s.publicRoutes.hashingConcurrency),
        PUBLIC_HASHING_QUEUE: String(s.publicRoutes.hashingQueue),
        AUTH_ADDRESS_LIMIT: String(s.auth.addressLimit),
        AUTH_ADDRESS_WINDOW_SECONDS: String(s.auth.addressWindowSeconds),
        SIGN_IN_MAX_FAILURES: String(s.auth.maxFailures),
        SIGN_IN_FAILURE_WINDOW_SECONDS: String(s.auth.failureWindowSeconds),
        SIGN_IN_LOCKOUT_SECONDS: String(s.auth.lockoutSeconds),
        SIGNING_KEY_ROTATION_DAYS: '30',
        SIGNING_KEY_ENCRYPTION_KEY: s.signingKeyEncryptionKey,
      };
    case 'relationships':
      return {
        ...common,
        IDENTITY_JWKS_URL: `${identityUrl}/.well-known/jwks.json`,
        IDENTITY_PUBLIC_URL: identityUrl,
        PUBLIC_URL: relationshipsUrl,
        PARTNER_PORTAL_URL: relationshipsUrl,
        // The portal the invitation pages link to (the gateway serves it at /portal).
        PORTAL_URL: `${gatewayUrlOf(s) ?? relationshipsUrl}/portal`,
        // Seed 001: the page where a customer accepts depends on its cloud (public: the admin
        // center; us-gov, germany: the national admin portal). Locally they are all the
        // relationships service's own acceptance page.
        CUSTOMER_ACCEPT_URL_PUBLIC: `${relationshipsUrl}/invitations/reseller-relationship`,
        CUSTOMER_ACCEPT_URL_US_GOV: `${relationshipsUrl}/invitations/reseller-relationship`,
        CUSTOMER_ACCEPT_URL_GERMANY: `${relationshipsUrl}/invitations/reseller-relationship`,
        INVITATION_TTL_HOURS: '168',
        TRUST_PROXY: s.relationshipsTrustProxy,
        ...publicLimitsEnv(s),
      };
    case 'notifications':
      return {
        ...common,
        SMTP_HOST: s.smtpHost,
        SMTP_PORT: String(s.ports.smtp),
        SMTP_SECURE: 'false',
        MAIL_FROM: s.mailFrom,
        MESSAGE_ID_DOMAIN: s.messageIdDomain,
        IDENTITY_JWKS_URL: `${identityUrl}/.well-known/jwks.json`,
        // The queue dashboard's ticket links open the service itself (bull-board is not routed
        // by the gateway).
        PUBLIC_URL: urlOf(s, 'notifications'),
      };
  }
}

/** The public routes' rate limits of identity and relationships. @param {Settings} s */
function publicLimitsEnv(s) {
  return {
    PUBLIC_ADDRESS_LIMIT: String(s.publicRoutes.addressLimit),
    PUBLIC_TARGET_LIMIT: String(s.publicRoutes.targetLimit),
    PUBLIC_LIMIT_WINDOW_SECONDS: String(s.publicRoutes.windowSeconds),
  };
}

/** The built entry point of a service (or of the gateway). @param {ServiceName | 'gateway'} service */
function entryOf(service) {
  return path.join(ROOT, 'dist', 'apps', service, 'apps', service, 'src', 'main.js');
}

/** The OpenAPI document `npm run build` writes (scripts/openapi.js); the gateway serves it. */
const OPENAPI_DOCUMENT = path.join(ROOT, 'dist', 'openapi', 'openapi.json');

/** The built portal (`npm run build`, vite); the gateway serves it at `/portal/`. */
const PORTAL_DIR = path.join(ROOT, 'dist', 'portal');

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves true when something accepts TCP connections on host:port. @param {string} host @param {number} port */
function canConnect(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (/** @type {boolean} */ ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Resolves true when nothing listens on host:port yet. @param {string} host @param {number} port */
function isPortFree(host, port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** The lowest port `freePort` hands out. */
const MIN_FREE_PORT = 10000;
/** Ports this process has handed out (a second caller must not get one before it is bound). */
const handedOut = new Set();

/**
 * The first port of the system's ephemeral range (Linux: `/proc/sys/net/ipv4/ip_local_port_range`,
 * usually 32768), or null where it cannot be read.
 * @param {string} [file]
 * @returns {number | null}
 */
function ephemeralRangeStart(file = '/proc/sys/net/ipv4/ip_local_port_range') {
  try {
    const low = Number(fs.readFileSync(file, 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 0 ? low : null;
  } catch {
    return null;
  }
}

/** A port the OS picks (listen on port 0). @param {string} host @returns {Promise<number>} */
function osPickedPort(host) {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A TCP port that is free right now and that no outgoing connection will take before the caller
 * listens on it: a random free port below the ephemeral range (from `MIN_FREE_PORT`), never one
 * this process handed out before. A port the OS picks comes from the ephemeral range, where any
 * process's outgoing connection (to PostgreSQL, Redis, NATS: dozens while a system starts) may
 * take it as its local port in the seconds before the service listens: the service then exits
 * with EADDRINUSE (a drill run of 2026-12-06). Where the range cannot be read, the OS picks.
 * @param {string} [host] @returns {Promise<number>}
 */
async function freePort(host = '127.0.0.1') {
  const low = ephemeralRangeStart();
  if (low !== null && low - MIN_FREE_PORT >= 1000) {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const port = MIN_FREE_PORT + Math.floor(Math.random() * (low - MIN_FREE_PORT));
      if (handedOut.has(port)) continue;
      // Free on every address (services listen on 0.0.0.0), and on `host` itself.
      if (!(await isPortFree('0.0.0.0', port))) continue;
      if (host !== '0.0.0.0' && !(await isPortFree(host, port))) continue;
      handedOut.add(port);
      return port;
    }
  }
  return osPickedPort(host);
}

/** PostgreSQL answers a query as user postgres. @returns {Promise<string | null>} the problem, or null */
async function checkPostgres() {
  const { Client } = require('pg');
  const client = new Client({
    connectionString: `postgres://postgres@${PG_HOST}:${PG_PORT}/postgres`,
    connectionTimeoutMillis: 2000,
  });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Redis answers PING. @returns {Promise<string | null>} the problem, or null */
async function checkRedis() {
  if (!(await canConnect(REDIS_HOST, REDIS_PORT))) return 'nothing accepts connections there';
  const Redis = require('ioredis');
  const redis = new Redis({
    host: REDIS_HOST,
    port: REDIS_PORT,
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    redis.disconnect();
  }
}

/** NATS greets a new connection with its `INFO` line. @returns {Promise<string | null>} the problem, or null */
function checkNats() {
  return new Promise((resolve) => {
    const socket = net.connect({ host: NATS_HOST, port: NATS_PORT });
    let greeting = '';
    const done = (/** @type {string | null} */ problem) => {
      socket.destroy();
      resolve(problem);
    };
    socket.setTimeout(2000, () => done('no greeting within 2 s'));
    socket.on('data', (chunk) => {
      greeting += String(chunk);
      if (greeting.includes('\r\n')) {
        done(greeting.startsWith('INFO ') ? null : 'something else than NATS answers there');
      }
    });
    socket.once('error', (error) => done(error.message));
  });
}

/**
 * PostgreSQL on 127.0.0.1:5432, Redis on 127.0.0.1:6379 and NATS on 127.0.0.1:4222 must answer.
 * When one does not, prints what is missing and the command that starts it, then exits with
 * status 1 (or, with `{ exit: false }`, throws an Error carrying the same message).
 * @param {{ exit?: boolean }} [options]
 */
async function checkPrerequisites(options = {}) {
  const [pg, redis, nats] = await Promise.all([checkPostgres(), checkRedis(), checkNats()]);
  if (!pg && !redis && !nats) return;
  const lines = ['The system needs PostgreSQL, Redis and NATS running on this machine.'];
  if (pg) {
    lines.push(
      `  PostgreSQL is not reachable at ${PG_HOST}:${PG_PORT} as user postgres (${pg}).`,
      `  Start it with:  ${START_POSTGRES}`,
    );
  }
  if (redis) {
    lines.push(
      `  Redis is not reachable at ${REDIS_HOST}:${REDIS_PORT} (${redis}).`,
      `  Start it with:  ${START_REDIS}`,
    );
  }
  if (nats) {
    lines.push(
      `  NATS is not reachable at ${NATS_HOST}:${NATS_PORT} (${nats}).`,
      `  Start it with:  ${START_NATS}`,
    );
  }
  const message = lines.join('\n');
  if (options.exit === false) throw new Error(message);
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/**
 * Creates the databases of the settings that do not exist yet, one at a time (PostgreSQL refuses
 * concurrent copies of template1).
 * @param {Settings} s
 */
async function createDatabases(s) {
  const { Client } = require('pg');
  const client = new Client({ connectionString: `${s.postgresUrl}/postgres` });
  await client.connect();
  try {
    for (const service of SERVICES) {
      const name = s.databases[service];
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
    }
  } finally {
    await client.end();
  }
}

/**
 * Drops the databases of the settings (terminating their connections first).
 * @param {Settings} s
 */
async function dropDatabases(s) {
  const { Client } = require('pg');
  const client = new Client({ connectionString: `${s.postgresUrl}/postgres` });
  await client.connect();
  try {
    for (const service of SERVICES) {
      const name = s.databases[service].replace(/"/g, '');
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}

/**
 * Deletes every Redis key under the settings' BullMQ prefix (`<prefix>:*`). The request/response
 * calls go over NATS (core subjects, nothing stored), so they leave nothing behind.
 * @param {Settings} s
 * @returns {Promise<number>} how many keys were deleted
 */
async function deleteRedisKeys(s) {
  const Redis = require('ioredis');
  const redis = new Redis(s.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  await redis.connect();
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${s.bullmqPrefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    await redis.quit().catch(() => undefined);
  }
  return deleted;
}

/**
 * Runs a built service once with the given arguments and resolves with its output when it exits 0.
 * @param {ServiceName} service @param {string[]} args @param {Settings} s
 * @returns {Promise<string>}
 */
function runOnce(service, args, s) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entryOf(service), ...args], {
      cwd: ROOT,
      env: processEnv(envFor(service, s)),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += String(chunk)));
    child.stderr.on('data', (chunk) => (output += String(chunk)));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve(output);
      else
        reject(
          new Error(
            `${service} ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${output.trim()}`,
          ),
        );
    });
  });
}

/**
 * Runs a built service once with the given arguments (none: it starts) until it exits or
 * `timeoutMs` passes (then it is killed), and resolves with its exit code, signal and output; the
 * boot checks use it (a refused configuration exits 1 before anything listens).
 * @param {ServiceName} service @param {string[]} args @param {Settings} s @param {number} [timeoutMs]
 * @returns {Promise<{ code: number | null, signal: NodeJS.Signals | null, output: string }>}
 */
function runToExit(service, args, s, timeoutMs = 30000) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entryOf(service), ...args], {
      cwd: ROOT,
      env: processEnv(envFor(service, s)),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += String(chunk)));
    child.stderr.on('data', (chunk) => (output += String(chunk)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output });
    });
  });
}

/**
 * The `migrate` step of every service: creates the missing databases, then applies each service's
 * committed migrations (`node dist/apps/<service>/…/main.js migrate`).
 * @param {Settings} s
 * @returns {Promise<Record<ServiceName, string>>} each service's output
 */
async function migrateAll(s) {
  assertBuilt();
  await createDatabases(s);
  const outputs = await Promise.all(SERVICES.map((service) => runOnce(service, ['migrate'], s)));
  return /** @type {Record<ServiceName, string>} */ (
    Object.fromEntries(SERVICES.map((service, i) => [service, outputs[i]]))
  );
}

/**
 * Throws when a service has not been built.
 * @param {readonly ServiceName[]} [services] default: all three
 */
function assertBuilt(services = SERVICES) {
  const missing = services
    .map((service) => entryOf(service))
    .concat(services.length === SERVICES.length ? [path.join(PORTAL_DIR, 'index.html')] : [])
    .filter((file) => !fs.existsSync(file));
  if (missing.length > 0) {
    throw new Error(
      `Not built: ${missing.map((file) => path.relative(ROOT, file)).join(', ')}. Run \`npm run build\`.`,
    );
  }
}

/**
 * The child process environment: the service's own variables plus only what a Node process needs
 * from ours, so a stray variable of the caller's shell never reaches a service.
 * @param {Record<string, string>} env
 */
function processEnv(env) {
  /** @type {Record<string, string>} */
  const base = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ']) {
    const value = process.env[key];
    if (value !== undefined) base[key] = value;
  }
  return { ...base, ...env };
}

/**
 * @typedef {object} Running
 * @property {string} name
 * @property {import('node:child_process').ChildProcess} child
 * @property {string | null} logFile
 * @property {Promise<void>} exited
 */

/** Every process started by this module and not yet stopped. @type {Running[]} */
const running = [];

/**
 * Spawns a process, its output going to `<logDir>/<name>.log` (or the console, prefixed), and
 * records it for stopAll().
 * @param {string} name @param {string[]} args @param {Record<string, string>} env @param {Settings} s
 * @returns {Running}
 */
function spawnTracked(name, args, env, s) {
  let logFile = null;
  /** @type {import('node:child_process').StdioOptions} */
  let stdio = ['ignore', 'pipe', 'pipe'];
  if (s.logDir) {
    fs.mkdirSync(s.logDir, { recursive: true });
    logFile = path.join(s.logDir, `${name}.log`);
    const fd = fs.openSync(logFile, 'a');
    stdio = ['ignore', fd, fd];
  }
  const child = spawn(process.execPath, args, { cwd: ROOT, env: processEnv(env), stdio });
  // The child holds its own copy of the log file descriptor.
  if (typeof stdio[1] === 'number') fs.closeSync(stdio[1]);
  if (!s.logDir) {
    for (const stream of [child.stdout, child.stderr]) {
      stream?.on('data', (chunk) => {
        for (const line of String(chunk).split('\n')) {
          if (line) process.stdout.write(`[${name}] ${line}\n`);
        }
      });
    }
  }
  const exited = new Promise((resolve) => child.once('exit', () => resolve(undefined)));
  /** @type {Running} */
  const entry = { name, child, logFile, exited };
  running.push(entry);
  void exited.then(() => {
    const index = running.indexOf(entry);
    if (index >= 0) running.splice(index, 1);
  });
  return entry;
}

/** The last lines of a log file, for error messages. @param {string | null} file */
function tail(file, lines = 30) {
  if (!file || !fs.existsSync(file)) return '';
  return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * Polls `url` until it answers 200, the process exits, or `timeoutMs` passes.
 * @param {Running} proc @param {string} url @param {number} timeoutMs
 */
async function waitHealthy(proc, url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  let exited = false;
  void proc.exited.then(() => (exited = true));
  while (Date.now() < deadline) {
    if (exited) {
      throw new Error(
        `${proc.name} exited before it was healthy (exit ${String(proc.child.exitCode ?? proc.child.signalCode)}).\n${tail(proc.logFile)}`,
      );
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) {
        await response.arrayBuffer();
        return;
      }
      last = `HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(250);
  }
  throw new Error(
    `${proc.name} was not healthy at ${url} within ${timeoutMs} ms (${last}).\n${tail(proc.logFile)}`,
  );
}

/**
 * Starts MailDev (the `maildev` package's binary) with its SMTP port and web/REST port from the
 * settings, bound to the settings' host, and waits until its API answers `/api/healthz`.
 * @param {Settings} s
 * @returns {Promise<{ url: string, apiUrl: string, smtp: string, pid: number | undefined, logFile: string | null }>}
 */
async function startMailDev(s, timeoutMs = 20000) {
  const bin = path.join(ROOT, 'node_modules', 'maildev', 'dist', 'bin', 'maildev.js');
  const proc = spawnTracked(
    'maildev',
    [
      bin,
      '--smtp',
      String(s.ports.smtp),
      '--ip',
      s.host,
      '--web',
      String(s.ports.mailWeb),
      '--web-ip',
      s.host,
    ],
    {},
    s,
  );
  const url = mailDevUrl(s);
  await waitHealthy(proc, `${url}/api/healthz`, timeoutMs);
  return {
    url,
    apiUrl: `${url}/api/email`,
    smtp: `${s.smtpHost}:${s.ports.smtp}`,
    pid: proc.child.pid,
    logFile: proc.logFile,
  };
}

/**
 * V8 flags every service runs with (the Dockerfile sets the same in `NODE_OPTIONS`): a young
 * generation of up to 64 MB semi-spaces instead of V8's default (16 MB on this heap size). A
 * service allocates short-lived objects per request and per job (parsed bodies, rendered emails,
 * driver buffers); with small semi-spaces it scavenges more often under load and promotes live
 * request state to the old generation. In `npm run bench --profile`, garbage collection fell from 8.9 % to
 * 6.4 % of relationships' samples.
 */
const SERVICE_NODE_FLAGS = ['--max-semi-space-size=64'];

/**
 * Starts one built service with its environment and waits (bounded) until `GET /health` answers
 * 200. Rejects with the end of its log when it exits or stays unhealthy. `nodeArgs` go to node
 * before the entry point (e.g. `--cpu-prof` for `npm run bench -- --profile`).
 * @param {ServiceName} service @param {Settings} s @param {number} [timeoutMs] @param {string[]} [nodeArgs]
 * @returns {Promise<{ url: string, pid: number | undefined, logFile: string | null }>}
 */
async function startService(service, s, timeoutMs = 60000, nodeArgs = []) {
  assertBuilt([service]);
  const proc = spawnTracked(
    service,
    [...SERVICE_NODE_FLAGS, ...nodeArgs, entryOf(service)],
    envFor(service, s),
    s,
  );
  const url = urlOf(s, service);
  await waitHealthy(proc, `${url}/health`, timeoutMs);
  return { url, pid: proc.child.pid, logFile: proc.logFile };
}

/**
 * Starts the gateway (apps/gateway, built) on the settings' gateway port in front of the given
 * instance URLs (default: each service's first instance) and waits (bounded) until its
 * `/health/live` answers. Its process and log are named `gateway`.
 * @param {Settings} s @param {Partial<Record<ServiceName, string[]>>} [upstreams] @param {number} [timeoutMs]
 * @returns {Promise<{ url: string, pid: number | undefined, logFile: string | null }>}
 */
async function startGateway(s, upstreams = {}, timeoutMs = 30000) {
  const url = gatewayUrlOf(s);
  if (!url) throw new Error('The settings give the gateway no port.');
  if (!fs.existsSync(entryOf('gateway')) || !fs.existsSync(OPENAPI_DOCUMENT)) {
    throw new Error('The gateway is not built: run `npm run build`.');
  }
  const proc = spawnTracked('gateway', [entryOf('gateway')], gatewayEnv(s, upstreams), s);
  await waitHealthy(proc, `${url}/health/live`, timeoutMs);
  return { url, pid: proc.child.pid, logFile: proc.logFile };
}

/**
 * The process name of instance `index` (1-based) of a service: the service's own name for the
 * first, `<service>-<index>` for the others (their log files are `<name>.log`; killProcess()
 * takes the name).
 * @param {ServiceName} service @param {number} index
 */
function instanceName(service, index) {
  return index === 1 ? service : `${service}-${index}`;
}

/**
 * The port of instance `index` (1-based) of a service in `npm start`'s scheme: the settings' port
 * for the first, then ten apart (identity 3001, 3011, 3021 …; relationships 3002, 3012 …;
 * notifications 3003, 3013 …), so that every instance of every service has a port of its own
 * that a person can guess.
 * @param {Settings} s @param {ServiceName} service @param {number} index
 */
function instancePort(s, service, index) {
  return s.ports[service] + 10 * (index - 1);
}

/**
 * Starts one more instance of a built service, listening on `port`, beside the first one (which
 * startService() starts on the settings' port). Everything else is the first instance's
 * environment: the same databases, BullMQ prefix and message namespace (so the instances share
 * the work: one of a service's queue group answers each request, BullMQ hands each job to one
 * worker, and the background loops coordinate through PostgreSQL), and the same `PUBLIC_URL`
 * (the links in emails name the first instance, standing in for the load balancer a deployment
 * puts in front). Waits (bounded) until its `/health` answers; its process and log are named
 * `<service>-<index>`.
 * @param {ServiceName} service @param {Settings} s @param {number} index 2 or more
 * @param {number} port @param {number} [timeoutMs] @param {string[]} [nodeArgs]
 * @returns {Promise<{ name: string, url: string, pid: number | undefined, logFile: string | null }>}
 */
async function startInstance(service, s, index, port, timeoutMs = 60000, nodeArgs = []) {
  assertBuilt([service]);
  const name = instanceName(service, index);
  const env = { ...envFor(service, s), PORT: String(port) };
  const proc = spawnTracked(name, [...SERVICE_NODE_FLAGS, ...nodeArgs, entryOf(service)], env, s);
  const url = `http://${s.host}:${port}`;
  await waitHealthy(proc, `${url}/health`, timeoutMs);
  return { name, url, pid: proc.child.pid, logFile: proc.logFile };
}

/**
 * @typedef {object} StartedInstance
 * @property {string} name     the process name (`relationships`, `relationships-2`, …)
 * @property {string} url
 * @property {number | undefined} pid
 * @property {string | null} logFile
 */

/**
 * Starts `count` instances of each service, identity first, then notifications, then
 * relationships (each instance healthy before the next starts, so that identity's first start
 * creates the operator and the first signing key once): instance 1 on the settings' port, the
 * others on the port `portOf(service, index)` gives (default: instancePort(), npm start's scheme).
 * @param {Settings} s @param {number} count
 * @param {{ portOf?: (service: ServiceName, index: number) => number | Promise<number>, timeoutMs?: number, nodeArgs?: string[] }} [options]
 * @returns {Promise<Record<ServiceName, StartedInstance[]>>}
 */
async function startInstances(s, count, options = {}) {
  const portOf = options.portOf ?? ((service, index) => instancePort(s, service, index));
  /** @type {Record<ServiceName, StartedInstance[]>} */
  const started = { identity: [], relationships: [], notifications: [] };
  for (const service of /** @type {const} */ (['identity', 'notifications', 'relationships'])) {
    const first = await startService(service, s, options.timeoutMs, options.nodeArgs);
    started[service].push({ name: service, ...first });
    for (let index = 2; index <= count; index += 1) {
      const port = await portOf(service, index);
      started[service].push(
        await startInstance(service, s, index, port, options.timeoutMs, options.nodeArgs),
      );
    }
  }
  return started;
}

/**
 * Stops every process started here, newest first: SIGTERM, then SIGKILL after `timeoutMs`.
 */
async function stopAll(timeoutMs = 10000) {
  const procs = running.slice().reverse();
  await Promise.all(
    procs.map(async (proc) => {
      if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
      proc.child.kill('SIGTERM');
      /** @type {NodeJS.Timeout | undefined} */
      let timer;
      const killed = await Promise.race([
        proc.exited.then(() => true),
        new Promise((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
      ]);
      clearTimeout(timer);
      if (!killed) {
        proc.child.kill('SIGKILL');
        await proc.exited;
      }
    }),
  );
}

/**
 * Stops processes by pid (a fallback for a process that did not start them): SIGTERM, then
 * SIGKILL after `timeoutMs`.
 * @param {number[]} pids
 */
async function stopPids(pids, timeoutMs = 10000) {
  const alive = (/** @type {number} */ pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (pids.some(alive) && Date.now() < deadline) await sleep(100);
  for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
}

/**
 * Sends `signal` (default SIGKILL) to the running process started here under `name` (a service
 * or `maildev`) and resolves once it has exited; the failure drills use it to crash one service
 * and start it again with startService() on the same port.
 * @param {string} name @param {NodeJS.Signals} [signal]
 * @returns {Promise<boolean>} false when no such process was running
 */
async function killProcess(name, signal = 'SIGKILL') {
  const proc = running.find((entry) => entry.name === name);
  if (!proc) return false;
  proc.child.kill(signal);
  await proc.exited;
  return true;
}

/** The pids of the processes currently running. */
function runningPids() {
  return running.map((proc) => proc.child.pid).filter((pid) => typeof pid === 'number');
}

module.exports = {
  ROOT,
  RUN_DIR,
  SERVICES,
  START_POSTGRES,
  START_REDIS,
  START_NATS,
  devSettings,
  testSettings,
  envFor,
  urlOf,
  gatewayUrlOf,
  publicUrlOf,
  gatewayEnv,
  startGateway,
  OPENAPI_DOCUMENT,
  PORTAL_DIR,
  mailDevUrl,
  entryOf,
  assertBuilt,
  isPortFree,
  canConnect,
  freePort,
  ephemeralRangeStart,
  checkPrerequisites,
  createDatabases,
  dropDatabases,
  deleteRedisKeys,
  migrateAll,
  runToExit,
  startMailDev,
  startService,
  instanceName,
  instancePort,
  startInstance,
  startInstances,
  stopAll,
  stopPids,
  killProcess,
  runningPids,
  checkPostgres,
};
