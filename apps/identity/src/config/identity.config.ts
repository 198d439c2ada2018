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

/** A positive whole number given as a string, within `[min, max]`, with a default. */
const envInt = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/**
 * A 32-byte key given as 64 hex digits or as base64 / base64url (e.g. `openssl rand -base64 32`).
 */
export const Key256Schema = z
  .string()
  .trim()
  .transform((value, ctx): Uint8Array => {
    const bytes = /^[0-9a-fA-F]{64}$/.test(value)
      ? Buffer.from(value, 'hex')
      : /^[A-Za-z0-9+/_-]{43}=?$/.test(value)
        ? Buffer.from(value, 'base64')
        : undefined;
    if (!bytes || bytes.length !== 32) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be 32 bytes as 64 hex digits or base64 (openssl rand -base64 32)',
      });
      return z.NEVER;
    }
    return new Uint8Array(bytes);
  });

/**
 * Environment of the identity service, validated once at boot (a missing or malformed variable
 * stops the service with a message naming it).
 */
export const IdentityEnvSchema = CommonEnvSchema.extend(DatabaseEnvSchema.shape)
  .extend(OutboxEnvSchema.shape)
  .extend(IdempotencyEnvSchema.shape)
  .extend(RateLimitEnvSchema.shape)
  .extend({
    /** HTTP port. */
    PORT: envPort(3001),
    /**
     * Base URL of identity as users reach it, e.g. `http://localhost:3001`; the enrollment
     * verification link is `${PUBLIC_URL}/v1/enrollments/verify?token=...`.
     */
    PUBLIC_URL: z
      .url()
      .transform((u) => u.replace(/\/+$/, ''))
      .pipe(z.string().regex(/^https?:\/\//, 'must be an http(s) URL')),
    /** `true` approves a partner enrollment as soon as its primary contact verifies (development). */
    ENROLLMENT_AUTO_APPROVE: envFlag(),
    /** The platform operator (reviews enrollments), upserted at start-up in the `platform` tenant. */
    OPERATOR_EMAIL: z.string().trim().toLowerCase().pipe(z.email()),
    /** The operator's password (at least 12 characters). */
    OPERATOR_PASSWORD: z.string().min(12, 'must be at least 12 characters').max(200),
    /** Lifetime of an access token, in seconds (short: a refresh token gets the next one). */
    ACCESS_TOKEN_TTL_SECONDS: envInt(60, 86_400, 300),
    /** Lifetime of a refresh token, in days; every use answers a new one with a new lifetime. */
    REFRESH_TOKEN_TTL_DAYS: envInt(1, 365, 30),
    /** Requests per client address and route to sign-in, refresh and sign-out, per window. */
    AUTH_ADDRESS_LIMIT: envInt(1, 1_000_000, 30),
    /** The window of `AUTH_ADDRESS_LIMIT`, in seconds (an address over it waits as long). */
    AUTH_ADDRESS_WINDOW_SECONDS: envInt(1, 86_400, 60),
    /**
     * Password hashes that public routes (enrollment, customer sign-up, password reset) compute at
     * once per instance; sign-in does not wait for them (see `PasswordHasher.hashForPublicRoute`).
     */
    PUBLIC_HASHING_CONCURRENCY: envInt(1, 64, 1),
    /** Public hashes that wait for a slot at most; one more is answered 503 `service.busy`. */
    PUBLIC_HASHING_QUEUE: envInt(0, 10_000, 16),
    /**
     * Password attempts on one email address verified within the window: the one that fails at
     * this count locks it, and any attempt beyond it is refused unverified (issue 9 point 10).
     */
    SIGN_IN_MAX_FAILURES: envInt(1, 1_000, 5),
    /** The window in which password attempts are counted, in seconds. */
    SIGN_IN_FAILURE_WINDOW_SECONDS: envInt(1, 86_400, 900),
    /** How long a locked account refuses sign-in (429 `auth.locked`), in seconds. */
    SIGN_IN_LOCKOUT_SECONDS: envInt(1, 86_400, 900),
    /** Age of the signing key after which an instance rotates it, in days. */
    SIGNING_KEY_ROTATION_DAYS: envInt(1, 365, 30),
    /**
     * Deployment key that encrypts the signing keys' private halves at rest (JWE dir/A256GCM): 32
     * bytes, hex or base64. The same in every identity instance; losing it loses the keys.
     */
    SIGNING_KEY_ENCRYPTION_KEY: Key256Schema,
    /** Suffix of customer default domains: `<prefix>.<suffix>`. */
    CUSTOMER_DOMAIN_SUFFIX: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'must be a domain name such as onmicrosoft.example')
      .default('onmicrosoft.example'),
    /** Lifetime of a verification link (enrollment, a user's sign-in address), in hours. */
    VERIFICATION_TTL_HOURS: z.coerce.number().int().min(1).max(720).default(72),
    /** Lifetime of a password reset link, in minutes (issue 9 point 8). */
    PASSWORD_RESET_TTL_MINUTES: envInt(5, 1_440, 60),
    /**
     * Age, in hours, after which an enrollment or a customer sign-up whose users never verified
     * their address is deleted, releasing its Partner ID, domain and sign-in names (issue 9 point
     * 7; default 7 days).
     */
    UNVERIFIED_ACCOUNT_TTL_HOURS: envInt(1, 8_760, 168),
    /**
     * How long a processed-request record (the answer kept for a caller that retries a message
     * with the same request id) is kept, in hours (decimals allowed; default 7 days).
     */
    PROCESSED_REQUEST_RETENTION_HOURS: z.coerce.number().min(0.001).max(87_600).default(168),
    /**
     * How long a customer user deleted through delegated admin privileges can be restored before
     * it is purged, in days (decimals allowed; Partner Center: 30).
     */
    CUSTOMER_USER_RETENTION_DAYS: z.coerce.number().min(0.0001).max(3_650).default(30),
    /** How often each instance sweeps the unverified enrollments and sign-ups, in seconds. */
    UNVERIFIED_SWEEP_SECONDS: envInt(1, 86_400, 3_600),
    /** Secret that seals links before they rest in the outbox and the queue (32+ characters). */
    LINK_SEALING_KEY: z.string().min(32, 'must be at least 32 characters'),
  });

export type IdentityConfig = z.infer<typeof IdentityEnvSchema>;

/** @throws ConfigError naming each missing or malformed variable. */
export function loadIdentityConfig(env: NodeJS.ProcessEnv): IdentityConfig {
  return parseConfig(IdentityEnvSchema, env);
}

/** Injection token of the validated `IdentityConfig`. */
export const APP_CONFIG = Symbol('APP_CONFIG');
