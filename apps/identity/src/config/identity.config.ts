import {
  CommonEnvSchema,
  DatabaseEnvSchema,
  OutboxEnvSchema,
  envFlag,
  envPort,
  parseConfig,
} from '@app/common';
import { z } from 'zod';

/**
 * Environment of the identity service, validated once at boot (a missing or malformed variable
 * stops the service with a message naming it).
 */
export const IdentityEnvSchema = CommonEnvSchema.extend(DatabaseEnvSchema.shape)
  .extend(OutboxEnvSchema.shape)
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
    /** Lifetime of an access token, in seconds. */
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
    /** Suffix of customer default domains: `<prefix>.<suffix>`. */
    CUSTOMER_DOMAIN_SUFFIX: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'must be a domain name such as onmicrosoft.example')
      .default('onmicrosoft.example'),
    /** Lifetime of an enrollment verification link, in hours. */
    VERIFICATION_TTL_HOURS: z.coerce.number().int().min(1).max(720).default(72),
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
