import { CommonEnvSchema, DatabaseEnvSchema, envFlag, envPort, parseConfig } from '@app/platform';
import { z } from 'zod';
import { OutboxEnvSchema } from '@app/outbox';

/** An unset variable and an empty one (`SMTP_USER=` in a compose file) mean the same: not set. */
const optionalText = z.preprocess(
  (value) => (value === '' ? undefined : value),
  z.string().min(1).optional(),
);

/** `no-reply@partners.example` or `"Partner Channel" <no-reply@partners.example>`, on one line. */
const MailFrom = z
  .string()
  .regex(
    /^(?:[^\r\n<>@]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/,
    'must be an address, e.g. `"Partner Channel" <no-reply@partners.example>`',
  );

/** A DNS domain name: the right-hand side of every Message-ID. */
const DomainName = z
  .string()
  .regex(
    /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i,
    'must be a domain name, e.g. `partners.example`',
  );

/**
 * Environment of the notifications worker: the common variables (Redis, BullMQ prefix, message
 * namespace, RPC timeout, logs), its database (`pcp_notifications`: the delivery records) and its
 * pool size, the HTTP port (health, the operator's delivery API and queue dashboard), identity's
 * JWKS (operator tokens), the SMTP server and its connection pool, the sender, the Message-ID
 * domain, the worker's concurrency and the key that opens sealed invitation links. Defaults exist
 * only where they are safe everywhere; the throughput defaults suit a small (2-core) host.
 */
export const NotificationsEnvSchema = CommonEnvSchema.extend(DatabaseEnvSchema.shape)
  .extend(OutboxEnvSchema.shape)
  .extend({
    /** Port of `GET /health`, the operator's `/v1/deliveries` API and `/admin/queues`. */
    PORT: envPort(3003),
    /**
     * How browsers reach this service (default `http://localhost:${PORT}`): the base of the queue
     * dashboard's ticket links (`POST /v1/queue-dashboard/tickets`).
     */
    PUBLIC_URL: z.url().optional(),
    /** identity's `/.well-known/jwks.json`: operator access tokens are verified locally. */
    IDENTITY_JWKS_URL: z.url(),
    /** SMTP server host, e.g. `127.0.0.1` (MailDev in development). */
    SMTP_HOST: z.string().min(1),
    /** SMTP server port, e.g. `1025` (MailDev) or `587`. */
    SMTP_PORT: envPort(),
    /** `true` for implicit TLS (port 465); otherwise STARTTLS is used when the server offers it. */
    SMTP_SECURE: envFlag(),
    /**
     * `true`: refuse to send unless the connection is upgraded with STARTTLS (a relay on 587);
     * with `NODE_ENV=production`, credentials need this or `SMTP_SECURE`.
     */
    SMTP_REQUIRE_TLS: envFlag(),
    /** SMTP credentials: both or neither. */
    SMTP_USER: optionalText,
    SMTP_PASSWORD: optionalText,
    /** The sender of every email. */
    MAIL_FROM: MailFrom,
    /** Right-hand side of the Message-ID `<idempotencyKey@MESSAGE_ID_DOMAIN>`. */
    MESSAGE_ID_DOMAIN: DomainName,
    /** SMTP connections the pool opens at most. */
    SMTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(100).default(5),
    /** Messages sent over one SMTP connection before the pool replaces it. */
    SMTP_MAX_MESSAGES: z.coerce.number().int().min(1).max(100000).default(1000),
    /** Jobs processed at once by one worker instance (sends wait on SMTP, not on the CPU). */
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(100),
    /** Opens the invitation links sealed by the producers (same value in every service). */
    LINK_SEALING_KEY: z.string().min(32, 'must be at least 32 characters'),
    /**
     * How long a settled delivery record is kept after its last change, in hours (decimals
     * allowed; default 30 days). It is the email's idempotency guard: at least
     * `FAILED_JOB_RETENTION_HOURS`.
     */
    DELIVERY_RECORD_RETENTION_HOURS: z.coerce.number().min(0.001).max(87_600).default(720),
  })
  .refine((env) => env.DELIVERY_RECORD_RETENTION_HOURS >= env.FAILED_JOB_RETENTION_HOURS, {
    message:
      'must be at least FAILED_JOB_RETENTION_HOURS: a failed job replayed after its delivery record is gone would send its email again',
    path: ['DELIVERY_RECORD_RETENTION_HOURS'],
  })
  .refine((env) => (env.SMTP_USER === undefined) === (env.SMTP_PASSWORD === undefined), {
    message: 'SMTP_USER and SMTP_PASSWORD must be set together',
    path: ['SMTP_PASSWORD'],
  })
  .refine(
    (env) =>
      env.NODE_ENV !== 'production' ||
      env.SMTP_USER === undefined ||
      env.SMTP_SECURE ||
      env.SMTP_REQUIRE_TLS,
    {
      message:
        'SMTP credentials must not travel in clear in production: set SMTP_SECURE=true (implicit TLS, port 465) or SMTP_REQUIRE_TLS=true (STARTTLS)',
      path: ['SMTP_REQUIRE_TLS'],
    },
  );

export type NotificationsConfig = z.infer<typeof NotificationsEnvSchema>;

/** Injection token of the validated `NotificationsConfig`. */
export const APP_CONFIG = Symbol('APP_CONFIG');

/**
 * Validate the environment once at boot.
 * @throws ConfigError naming every missing or malformed variable.
 */
export function loadNotificationsConfig(env: NodeJS.ProcessEnv): NotificationsConfig {
  return parseConfig(NotificationsEnvSchema, env);
}
