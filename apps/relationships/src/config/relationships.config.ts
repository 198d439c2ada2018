import {
  CommonEnvSchema,
  DatabaseEnvSchema,
  IdempotencyEnvSchema,
  RateLimitEnvSchema,
  envFlag,
  envPort,
  parseConfig,
} from '@app/platform';
import { OutboxEnvSchema } from '@app/outbox';
import { z } from 'zod';

/** An optional URL variable: unset or empty means "use the default". */
const optionalUrl = () => z.preprocess((v) => (v === '' ? undefined : v), z.url().optional());

/** A base URL without trailing slashes, so that `${base}/path` never doubles them. */
const trimSlashes = (url: string) => url.replace(/\/+$/, '');

/**
 * Environment of the relationships service, validated once at boot (a missing or malformed
 * variable stops the service with a message naming it).
 *
 * - `PORT` (default 3002), `DATABASE_URL` (`pcp_relationships`), `LINK_SEALING_KEY` (at least 32
 *   characters; seals invitation links in the outbox and the queue).
 * - `IDENTITY_JWKS_URL`: identity's `/.well-known/jwks.json` (access tokens are verified locally).
 * - `IDENTITY_PUBLIC_URL` (default `http://localhost:3001`): identity's HTTP API, used by the
 *   partnership invitation page to sign the reseller in (`POST /v1/auth/token`).
 * - `PUBLIC_URL`: how users reach this service, e.g. `http://localhost:3002`.
 * - `PORTAL_URL` (default `${PUBLIC_URL}/portal`): the portal (served by the gateway), which the
 *   invitation pages link to (the password change of a temporary password, the partners page).
 * - `PARTNER_PORTAL_URL` (default `PUBLIC_URL`): base of the page where an indirect reseller
 *   accepts a partnership (seed 004 step 2); link = `${PARTNER_PORTAL_URL}/invitations/partnership?token=…`.
 * - `CUSTOMER_ACCEPT_URL_PUBLIC`, `CUSTOMER_ACCEPT_URL_US_GOV`, `CUSTOMER_ACCEPT_URL_GERMANY`
 *   (default `${PUBLIC_URL}/invitations/reseller-relationship`): the page where a customer accepts
 *   a reseller relationship, per cloud (seed 001: public → the admin center, us-gov and germany →
 *   the national admin portal); link = `${base}?token=…`.
 * - `INVITATION_TTL_HOURS` (default 168): how long an invitation link stays valid.
 * - `INVITATION_EMAILS_PER_PARTNER_PER_HOUR` (default 100),
 *   `INVITATION_EMAILS_PER_RECIPIENT_PER_DAY` (default 5): caps on the invitation emails this
 *   service sends (requests and resends; a draft only sends nothing), per inviting partner in any
 *   60 minutes and per recipient address (from every partner) in any 24 hours. Over either: 429
 *   `invitation.email_limit` with `Retry-After`.
 * - `OUTBOX_POLL_INTERVAL_MS` (default 1000): how often the outbox relay looks for new rows.
 * - `IDEMPOTENT_REQUEST_RETENTION_HOURS` (default 24): how long the sealed answer of a create is
 *   kept for a retry with the same `MS-RequestId` (`IdempotencyEnvSchema`).
 * - `TRUST_PROXY` (default `false`): whose `X-Forwarded-For` gives the visitor's address (a
 *   reverse proxy in front of this service); `PUBLIC_ADDRESS_LIMIT`, `PUBLIC_TARGET_LIMIT`,
 *   `PUBLIC_LIMIT_WINDOW_SECONDS`: the invitation pages' rate limits (see `RateLimitEnvSchema`).
 * - Webhooks (issue 14 "Signed events", README "Webhooks"): `WEBHOOK_RETRY_BASE_MS` (default
 *   5000) and `WEBHOOK_RETRY_MAX_DELAY_MS` (default 3600000): the delay before retry n is
 *   `min(base * 2^(n-1), max)`; `WEBHOOK_MAX_ATTEMPTS` (default 36: about 26.5 hours with the
 *   default delays) attempts before a delivery is given up; `WEBHOOK_TIMEOUT_MS` (default 10000)
 *   per attempt; `WEBHOOK_DISABLE_AFTER_HOURS` (default 72): an endpoint that has failed without a
 *   success for that long is disabled and its organisation's Global admins emailed;
 *   `WEBHOOK_SECRET_OVERLAP_HOURS` (default 24): how long a rotated-out secret still signs;
 *   `WEBHOOK_DELIVERY_RETENTION_DAYS` (default 30): settled deliveries and their attempts older
 *   than that are deleted; `WEBHOOK_CONCURRENCY` (default 10) deliveries at once per instance;
 *   `WEBHOOK_ALLOW_PRIVATE_NETWORKS` (default false; refused with `NODE_ENV=production`): allow
 *   endpoints on loopback, private and link-local addresses (development and tests only).
 */
export const RelationshipsEnvSchema = CommonEnvSchema.extend(DatabaseEnvSchema.shape)
  .extend(OutboxEnvSchema.shape)
  .extend(IdempotencyEnvSchema.shape)
  .extend(RateLimitEnvSchema.shape)
  .extend({
    PORT: envPort(3002),
    LINK_SEALING_KEY: z.string().min(32, 'must be at least 32 characters'),
    IDENTITY_JWKS_URL: z.url(),
    IDENTITY_PUBLIC_URL: z.url().default('http://localhost:3001'),
    PUBLIC_URL: z.url(),
    PARTNER_PORTAL_URL: optionalUrl(),
    PORTAL_URL: optionalUrl(),
    CUSTOMER_ACCEPT_URL_PUBLIC: optionalUrl(),
    CUSTOMER_ACCEPT_URL_US_GOV: optionalUrl(),
    CUSTOMER_ACCEPT_URL_GERMANY: optionalUrl(),
    INVITATION_TTL_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 90)
      .default(168),
    INVITATION_EMAILS_PER_PARTNER_PER_HOUR: z.coerce
      .number()
      .int()
      .min(1)
      .max(100_000)
      .default(100),
    INVITATION_EMAILS_PER_RECIPIENT_PER_DAY: z.coerce.number().int().min(1).max(1000).default(5),
    /**
     * How long a tenant snapshot read from identity is reused, in milliseconds (0: never). Bounds
     * how stale a partner's name or enrollment status may be on this side; saves identity a
     * lookup per request from a busy partner.
     */
    TENANT_SNAPSHOT_TTL_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
    WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(5000),
    WEBHOOK_RETRY_MAX_DELAY_MS: z.coerce.number().int().min(10).max(86_400_000).default(3_600_000),
    WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(36),
    WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
    WEBHOOK_DISABLE_AFTER_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 90)
      .default(72),
    WEBHOOK_SECRET_OVERLAP_HOURS: z.coerce
      .number()
      .int()
      .min(0)
      .max(24 * 30)
      .default(24),
    WEBHOOK_DELIVERY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(10),
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: envFlag(),
  })
  .refine((env) => !(env.NODE_ENV === 'production' && env.WEBHOOK_ALLOW_PRIVATE_NETWORKS), {
    path: ['WEBHOOK_ALLOW_PRIVATE_NETWORKS'],
    message:
      'refused with NODE_ENV=production: webhook endpoints on private networks are for development and tests only',
  })
  .transform((env) => {
    const publicUrl = trimSlashes(env.PUBLIC_URL);
    const customerDefault = `${publicUrl}/invitations/reseller-relationship`;
    return {
      ...env,
      PUBLIC_URL: publicUrl,
      IDENTITY_PUBLIC_URL: trimSlashes(env.IDENTITY_PUBLIC_URL),
      PARTNER_PORTAL_URL: trimSlashes(env.PARTNER_PORTAL_URL ?? publicUrl),
      PORTAL_URL: trimSlashes(env.PORTAL_URL ?? `${publicUrl}/portal`),
      CUSTOMER_ACCEPT_URL_PUBLIC: env.CUSTOMER_ACCEPT_URL_PUBLIC ?? customerDefault,
      CUSTOMER_ACCEPT_URL_US_GOV: env.CUSTOMER_ACCEPT_URL_US_GOV ?? customerDefault,
      CUSTOMER_ACCEPT_URL_GERMANY: env.CUSTOMER_ACCEPT_URL_GERMANY ?? customerDefault,
    };
  });

/** The validated configuration of the relationships service. */
export type RelationshipsConfig = z.infer<typeof RelationshipsEnvSchema>;

/** Injection token of the `RelationshipsConfig` (provided globally by `AppModule.forRoot`). */
export const APP_CONFIG = Symbol('RELATIONSHIPS_CONFIG');

/** @throws ConfigError naming every missing or malformed variable. */
export function loadRelationshipsConfig(env: NodeJS.ProcessEnv): RelationshipsConfig {
  return parseConfig(RelationshipsEnvSchema, env);
}
