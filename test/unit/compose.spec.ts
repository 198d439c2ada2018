import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { ConfigError, DEVELOPMENT_SECRETS } from '@app/platform';
import {
  IdentityEnvSchema,
  loadIdentityConfig,
} from '../../apps/identity/src/config/identity.config';
import {
  NotificationsEnvSchema,
  loadNotificationsConfig,
} from '../../apps/notifications/src/config/notifications.config';
import {
  RelationshipsEnvSchema,
  loadRelationshipsConfig,
} from '../../apps/relationships/src/config/relationships.config';
import { GatewayEnvSchema } from '../../apps/gateway/src/config/gateway.config';
import { devSettings, envFor, gatewayEnv, type ServiceName } from '../../scripts/lib/system';

/**
 * Docker cannot run here, so this checks docker-compose.yml statically against the services' own
 * env schemas: every variable a service requires is set (for the service and its migrate step),
 * nothing set is unknown to the schema, the values pass the schema, and the addresses point at
 * the compose services; that email goes through the relay the operator configures (MailDev only
 * in the `dev` profile, on 127.0.0.1), that every secret comes from the operator, and that
 * identity trusts `X-Forwarded-For` from relationships alone. It also checks
 * scripts/lib/system.js (`npm start`, the e2e harness) the same way, so the local environment and
 * the compose file cannot drift apart, and that the services refuse its development secrets in
 * production.
 */
interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  volumes?: string[];
  profiles?: string[];
  networks?: Record<string, { ipv4_address?: string } | null>;
}
interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
  networks?: Record<string, { ipam?: { config?: { subnet?: string }[] } }>;
}

const compose = parse(readFileSync(join(__dirname, '..', '..', 'docker-compose.yml'), 'utf8'), {
  merge: true,
}) as ComposeFile;

const SCHEMAS: Record<ServiceName, z.ZodType> = {
  identity: IdentityEnvSchema,
  relationships: RelationshipsEnvSchema,
  notifications: NotificationsEnvSchema,
};
const PORTS: Record<ServiceName, number> = {
  identity: 3001,
  relationships: 3002,
  notifications: 3003,
};
const SERVICES = Object.keys(SCHEMAS) as ServiceName[];
/** The full loaders: the schema, then the production checks (`parseConfig`). */
const LOADERS: Record<ServiceName, (env: NodeJS.ProcessEnv) => unknown> = {
  identity: loadIdentityConfig,
  relationships: loadRelationshipsConfig,
  notifications: loadNotificationsConfig,
};

/** The variables `load` refuses in `env`, or [] when it accepts it. */
function refusedVariables(load: (env: NodeJS.ProcessEnv) => unknown, env: NodeJS.ProcessEnv) {
  try {
    load(env);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((problem) => problem.split(':')[0]).sort();
  }
}

/** The variables a schema requires: those an empty environment is refused for. */
function requiredVariables(schema: z.ZodType): string[] {
  const result = schema.safeParse({});
  if (result.success) return [];
  return [...new Set(result.error.issues.map((issue) => String(issue.path[0])))].sort();
}

/** Every variable a schema knows (the object under any transform/refine). */
function knownVariables(schema: z.ZodType): string[] {
  let current: unknown = schema;
  while (current && !(current instanceof z.ZodObject)) {
    const def = (current as { def?: { type?: string; in?: unknown } }).def;
    if (def?.type !== 'pipe') break;
    current = def.in;
  }
  if (!(current instanceof z.ZodObject)) throw new Error('The env schema is not an object schema.');
  return Object.keys(current.shape);
}

/**
 * What compose requires from the operator (`${NAME:?message}`: no default, compose refuses to
 * start without them), with a sample value of the right shape to check against the schemas.
 */
const OPERATOR_SUPPLIED: Record<string, string> = {
  LINK_SEALING_KEY: 'k7Qe1vX9mP2sL8dR4tY6wZ0aB3cF5gH7jN9pQ1rS3uV',
  OPERATOR_PASSWORD: 'An-operator-password-of-its-own-41',
  SIGNING_KEY_ENCRYPTION_KEY: 'c2FtcGxlIGtleSBvZiB0aGlydHktdHdvIGJ5dGVzISE=',
  SMTP_HOST: 'smtp.relay.example',
};

/**
 * Compose's `${NAME:-default}` interpolation, resolved to the default (an empty shell), and
 * `${NAME:?message}` to the sample of `OPERATOR_SUPPLIED`.
 */
function interpolate(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).map(([key, value]) => [
      key,
      String(value)
        .replace(/\$\{([A-Z0-9_]+):\?[^}]*\}/g, (_m, name: string) => OPERATOR_SUPPLIED[name] ?? '')
        .replace(/\$\{[A-Z0-9_]+(?::?-([^}]*))?\}/g, (_m, fallback?: string) => fallback ?? ''),
    ]),
  );
}

function environmentOf(name: string): Record<string, string> {
  const service = compose.services[name];
  expect(service).toBeDefined();
  return interpolate(service.environment ?? {});
}

describe('docker-compose.yml', () => {
  it('runs PostgreSQL 16 and Redis 7, and MailDev only in the dev profile, reachable from this machine alone', () => {
    expect(compose.services.postgres.image).toMatch(/^postgres:16/);
    expect(compose.services.redis.image).toMatch(/^redis:7/);
    const maildev = compose.services.maildev;
    expect(maildev.image).toMatch(/^maildev\/maildev/);
    expect(maildev.profiles).toEqual(['dev']);
    expect(maildev.ports).toEqual(['127.0.0.1:1025:1025', '127.0.0.1:1080:1080']);
    // No other service is in a profile: `docker compose up` runs them all, without MailDev.
    const profiled = Object.entries(compose.services)
      .filter(([, service]) => service.profiles !== undefined)
      .map(([name]) => name);
    expect(profiled).toEqual(['maildev']);
  });

  it('runs Redis with an append-only file fsynced every second, on a volume, never evicting keys', () => {
    const redis = compose.services.redis;
    const command = redis.command ?? [];
    expect(command[0]).toBe('redis-server');
    const option = (name: string) => command[command.indexOf(`--${name}`) + 1];
    expect(command).toContain('--appendonly');
    expect(option('appendonly')).toBe('yes');
    expect(option('appendfsync')).toBe('everysec');
    expect(option('maxmemory-policy')).toBe('noeviction');
    expect(redis.volumes).toContain('redis-data:/data');
    expect(Object.keys(compose.volumes ?? {})).toContain('redis-data');
  });

  describe.each(SERVICES)('%s', (service) => {
    const schema = SCHEMAS[service];

    it.each([service, `migrate-${service}`])(
      '%s sets every variable the service requires',
      (name) => {
        const env = environmentOf(name);
        const missing = requiredVariables(schema).filter((key) => env[key] === undefined);
        expect(missing).toEqual([]);
      },
    );

    it('sets only variables the service knows', () => {
      const known = new Set(knownVariables(schema));
      expect(Object.keys(environmentOf(service)).filter((key) => !known.has(key))).toEqual([]);
    });

    it('sets values the service accepts', () => {
      const result = schema.safeParse(environmentOf(service));
      expect(result.success ? [] : result.error.issues).toEqual([]);
    });

    it('runs the built service, migrates first, and checks its health on its port', () => {
      const app = compose.services[service];
      const migrate = compose.services[`migrate-${service}`];
      const entry = `dist/apps/${service}/apps/${service}/src/main.js`;
      expect(app.build).toBeDefined();
      expect(app.command).toEqual(['node', entry]);
      expect(migrate.command).toEqual(['node', entry, 'migrate']);
      expect(migrate.environment).toEqual(app.environment);
      expect(app.depends_on?.[`migrate-${service}`]).toEqual({
        condition: 'service_completed_successfully',
      });
      expect(app.depends_on?.postgres).toEqual({ condition: 'service_healthy' });
      expect(app.depends_on?.redis).toEqual({ condition: 'service_healthy' });
      const port = PORTS[service];
      expect(environmentOf(service).PORT).toBe(String(port));
      expect(app.ports).toEqual([`${port}:${port}`]);
      expect(app.healthcheck?.test.join(' ')).toContain(`http://127.0.0.1:${port}/health`);
    });

    it('points at the compose PostgreSQL database and Redis', () => {
      const env = environmentOf(service);
      const db = new URL(env.DATABASE_URL);
      expect(db.hostname).toBe('postgres');
      expect(db.pathname).toBe(`/pcp_${service}`);
      expect(new URL(env.REDIS_URL).hostname).toBe('redis');
    });
  });

  it('sends mail through the SMTP relay the environment names (host, port, TLS, user, password), never MailDev by default', () => {
    const raw = compose.services.notifications.environment ?? {};
    expect(raw.SMTP_HOST).toMatch(/^\$\{SMTP_HOST:\?.+\}$/);
    for (const name of [
      'SMTP_PORT',
      'SMTP_SECURE',
      'SMTP_REQUIRE_TLS',
      'SMTP_USER',
      'SMTP_PASSWORD',
    ]) {
      expect(raw[name]).toMatch(new RegExp(`^\\$\\{${name}:-[^}]*\\}$`));
    }
    expect(environmentOf('notifications')).toMatchObject({
      SMTP_HOST: OPERATOR_SUPPLIED.SMTP_HOST,
      SMTP_PORT: '587',
      SMTP_SECURE: 'false',
      // STARTTLS is required unless the operator says otherwise (MailDev: false).
      SMTP_REQUIRE_TLS: 'true',
    });
    expect(compose.services.notifications.depends_on?.maildev).toBeUndefined();
    // Credentials over a relay with TLS are accepted in production; without TLS, refused.
    const withCredentials = {
      ...environmentOf('notifications'),
      SMTP_USER: 'mailer',
      SMTP_PASSWORD: 'relay-password',
    };
    expect(refusedVariables(loadNotificationsConfig, withCredentials)).toEqual([]);
    expect(
      refusedVariables(loadNotificationsConfig, { ...withCredentials, SMTP_REQUIRE_TLS: 'false' }),
    ).toEqual(['SMTP_REQUIRE_TLS']);
  });

  it('verifies tokens against the identity service', () => {
    const relationships = environmentOf('relationships');
    expect(relationships.IDENTITY_JWKS_URL).toBe('http://identity:3001/.well-known/jwks.json');
    expect(environmentOf('notifications').IDENTITY_JWKS_URL).toBe(
      'http://identity:3001/.well-known/jwks.json',
    );
    expect(compose.services.relationships.depends_on?.identity).toEqual({
      condition: 'service_healthy',
    });
  });

  it('requires every secret from the operator (no default) and runs the services in production', () => {
    for (const service of SERVICES) {
      const raw = compose.services[service].environment ?? {};
      expect(raw.NODE_ENV).toBe('production');
      for (const name of Object.keys(DEVELOPMENT_SECRETS).filter((key) => key in raw)) {
        expect({ name, value: raw[name] }).toEqual({
          name,
          value: expect.stringMatching(new RegExp(`^\\$\\{${name}:\\?.+\\}$`)),
        });
      }
    }
    expect(Object.keys(compose.services.identity.environment ?? {})).toEqual(
      expect.arrayContaining(Object.keys(DEVELOPMENT_SECRETS)),
    );
  });

  it.each(SERVICES)(
    '%s starts in production with the secrets the operator supplies (the full loader, production checks included)',
    (service) => {
      expect(refusedVariables(LOADERS[service], environmentOf(service))).toEqual([]);
    },
  );

  it('lets identity trust X-Forwarded-For from relationships and the gateway alone (fixed addresses), relationships from the gateway alone', () => {
    const subnet = compose.networks?.default?.ipam?.config?.[0]?.subnet ?? '';
    const address = compose.services.relationships.networks?.default?.ipv4_address ?? '';
    const gateway = compose.services.gateway.networks?.default?.ipv4_address ?? '';
    expect(subnet).toMatch(/^\d+\.\d+\.\d+\.0\/24$/);
    for (const fixed of [address, gateway]) {
      expect(fixed.split('.').slice(0, 3)).toEqual(subnet.split('.').slice(0, 3));
    }
    expect(address).not.toBe(gateway);
    expect(environmentOf('identity').TRUST_PROXY).toBe(`${address},${gateway}`);
    expect(environmentOf('relationships').IDENTITY_PUBLIC_URL).toBe('http://identity:3001');
    expect(environmentOf('relationships').TRUST_PROXY).toBe(gateway);
  });

  describe('gateway (the one base URL)', () => {
    it('holds the built portal: the image runs npm run build (vite writes dist/portal), the default PORTAL_DIR', () => {
      const dockerfile = readFileSync(join(__dirname, '..', '..', 'Dockerfile'), 'utf8');
      expect(dockerfile).toMatch(/^COPY apps \.\/apps$/m);
      expect(dockerfile).toMatch(/^RUN npm run build /m);
      expect(dockerfile).toMatch(/^COPY --from=build .*\/app\/dist \.\/dist$/m);
      const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      };
      expect(pkg.scripts.build).toContain('vite build --config apps/portal/vite.config.ts');
      expect(environmentOf('gateway').PORTAL_DIR).toBeUndefined();
      // Both defaults sit in the same dist/ as the built gateway: dist/openapi, dist/portal.
      const defaults = GatewayEnvSchema.parse({});
      expect(defaults.PORTAL_DIR).toBe(join(dirname(dirname(defaults.OPENAPI_DOCUMENT)), 'portal'));
    });

    it('runs the built gateway on 3000 with an environment its schema accepts, nothing unknown', () => {
      const service = compose.services.gateway;
      expect(service.command).toEqual(['node', 'dist/apps/gateway/apps/gateway/src/main.js']);
      expect(service.ports).toEqual(['3000:3000']);
      expect(service.healthcheck?.test.join(' ')).toContain('http://127.0.0.1:3000/health/live');
      const env = environmentOf('gateway');
      const result = GatewayEnvSchema.safeParse(env);
      expect(result.success ? [] : result.error.issues).toEqual([]);
      expect(Object.keys(env).filter((key) => !(key in GatewayEnvSchema.shape))).toEqual([]);
      expect(result.data?.PORT).toBe(3000);
      // Nothing in front of the gateway by default: it trusts no X-Forwarded-For.
      expect(result.data?.TRUST_PROXY).toBe(false);
    });

    it('routes to the compose services on their own ports, once they are healthy', () => {
      const env = environmentOf('gateway');
      expect(env).toMatchObject({
        IDENTITY_URL: 'http://identity:3001',
        RELATIONSHIPS_URL: 'http://relationships:3002',
        NOTIFICATIONS_URL: 'http://notifications:3003',
      });
      for (const service of SERVICES) {
        expect(compose.services.gateway.depends_on?.[service]).toEqual({
          condition: 'service_healthy',
        });
      }
    });

    it('is the base of every emailed link', () => {
      expect(environmentOf('identity').PUBLIC_URL).toBe('http://localhost:3000');
      const relationships = environmentOf('relationships');
      for (const key of [
        'PUBLIC_URL',
        'PARTNER_PORTAL_URL',
        'CUSTOMER_ACCEPT_URL_PUBLIC',
        'CUSTOMER_ACCEPT_URL_US_GOV',
        'CUSTOMER_ACCEPT_URL_GERMANY',
      ]) {
        expect(relationships[key].startsWith('http://localhost:3000')).toBe(true);
      }
    });
  });

  it('gives every service the same link key, Redis, BullMQ prefix and message namespace', () => {
    const shared = ['LINK_SEALING_KEY', 'REDIS_URL', 'BULLMQ_PREFIX', 'MESSAGE_NAMESPACE'];
    const values = SERVICES.map((service) =>
      shared.map((key) => environmentOf(service)[key]).join('|'),
    );
    expect(new Set(values).size).toBe(1);
  });
});

describe('scripts/lib/system.js (npm start and the e2e harness)', () => {
  it.each(SERVICES)(
    'gives %s an environment its schema accepts, with the compose names',
    (service) => {
      const env = envFor(service, devSettings());
      const result = SCHEMAS[service].safeParse(env);
      expect(result.success ? [] : result.error.issues).toEqual([]);
      const known = new Set(knownVariables(SCHEMAS[service]));
      expect(Object.keys(env).filter((key) => !known.has(key))).toEqual([]);
      const composeNames = new Set(Object.keys(environmentOf(service)));
      expect(Object.keys(env).filter((key) => !composeNames.has(key))).toEqual([]);
    },
  );

  it.each(SERVICES)(
    '%s refuses the development secrets of npm start when NODE_ENV=production, naming each',
    (service) => {
      const env = { ...envFor(service, devSettings()), NODE_ENV: 'production' };
      const secrets = Object.keys(DEVELOPMENT_SECRETS).filter((name) => name in env);
      expect(secrets).toContain('LINK_SEALING_KEY');
      expect(refusedVariables(LOADERS[service], env)).toEqual(secrets.sort());
      expect(refusedVariables(LOADERS[service], envFor(service, devSettings()))).toEqual([]);
    },
  );

  it('lets identity and relationships trust the gateway and relationships (127.0.0.1) in development', () => {
    expect(envFor('identity', devSettings()).TRUST_PROXY).toBe('127.0.0.1');
    expect(envFor('relationships', devSettings()).TRUST_PROXY).toBe('127.0.0.1');
  });

  it('gives the gateway an environment its schema accepts, with the compose names, on 3000', () => {
    const env = gatewayEnv(devSettings());
    const result = GatewayEnvSchema.safeParse(env);
    expect(result.success ? [] : result.error.issues).toEqual([]);
    const composeNames = new Set([
      ...Object.keys(environmentOf('gateway')),
      'HOST',
      'OPENAPI_DOCUMENT',
      'PORTAL_DIR',
    ]);
    expect(Object.keys(env).filter((key) => !composeNames.has(key))).toEqual([]);
    expect(env.PORT).toBe('3000');
    expect(envFor('identity', devSettings()).PUBLIC_URL).toBe('http://127.0.0.1:3000');
    expect(envFor('relationships', devSettings()).PUBLIC_URL).toBe('http://127.0.0.1:3000');
  });

  it('uses the default ports and MailDev for SMTP', () => {
    const settings = devSettings();
    expect(envFor('identity', settings).PORT).toBe('3001');
    expect(envFor('relationships', settings).PORT).toBe('3002');
    expect(envFor('notifications', settings)).toMatchObject({
      PORT: '3003',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: '1025',
    });
  });
});
