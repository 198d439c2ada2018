import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { IdentityEnvSchema } from '../../apps/identity/src/config/identity.config';
import { NotificationsEnvSchema } from '../../apps/notifications/src/config/notifications.config';
import { RelationshipsEnvSchema } from '../../apps/relationships/src/config/relationships.config';
import { devSettings, envFor, type ServiceName } from '../../scripts/lib/system';

/**
 * Docker cannot run here, so this checks docker-compose.yml statically against the services' own
 * env schemas: every variable a service requires is set (for the service and its migrate step),
 * nothing set is unknown to the schema, the values pass the schema, and the addresses point at
 * the compose services. It also checks scripts/lib/system.js (`npm start`, the e2e harness) the
 * same way, so the local environment and the compose file cannot drift apart.
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
}
interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
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
 * Secrets compose requires from the operator (`${NAME:?message}`: no default, compose refuses to
 * start without them), with a sample value of the right shape to check against the schemas.
 */
const OPERATOR_SUPPLIED: Record<string, string> = {
  SIGNING_KEY_ENCRYPTION_KEY: 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=',
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
  it('runs PostgreSQL 16, Redis 7 and MailDev on its default ports', () => {
    expect(compose.services.postgres.image).toMatch(/^postgres:16/);
    expect(compose.services.redis.image).toMatch(/^redis:7/);
    expect(compose.services.maildev.image).toMatch(/^maildev\/maildev/);
    expect(compose.services.maildev.ports).toEqual(
      expect.arrayContaining(['1025:1025', '1080:1080']),
    );
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

  it('delivers mail to MailDev and verifies tokens against the identity service', () => {
    expect(environmentOf('notifications')).toMatchObject({
      SMTP_HOST: 'maildev',
      SMTP_PORT: '1025',
    });
    expect(compose.services.notifications.depends_on?.maildev).toBeDefined();
    const relationships = environmentOf('relationships');
    expect(relationships.IDENTITY_JWKS_URL).toBe('http://identity:3001/.well-known/jwks.json');
    expect(environmentOf('notifications').IDENTITY_JWKS_URL).toBe(
      'http://identity:3001/.well-known/jwks.json',
    );
    expect(compose.services.relationships.depends_on?.identity).toEqual({
      condition: 'service_healthy',
    });
  });

  it('requires the signing-key encryption key from the operator (no default)', () => {
    const raw = compose.services.identity.environment ?? {};
    expect(raw.SIGNING_KEY_ENCRYPTION_KEY).toMatch(/^\$\{SIGNING_KEY_ENCRYPTION_KEY:\?.+\}$/);
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
