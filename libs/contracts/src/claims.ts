import { z } from 'zod';
import { Locale, Role, TenantKind, Uuid } from './domain';

/**
 * Claims of an access token signed by identity (ES256, `kid` in the header) and verified by every
 * service through identity's JWKS. `pwc` = password change required: such a token can only change
 * its password (seed 004 "prompted to change their password").
 */
export const AccessTokenClaimsSchema = z.object({
  sub: Uuid,
  tid: Uuid,
  tkind: TenantKind,
  roles: z.array(Role),
  email: z.string(),
  name: z.string(),
  locale: Locale,
  pwc: z.boolean().optional(),
  /** Session id: the refresh token family the token was issued in (absent in older tokens). */
  sid: Uuid.optional(),
});
export type AccessTokenClaims = z.infer<typeof AccessTokenClaimsSchema>;

export const ACCESS_TOKEN_ISSUER = 'partner-channel-identity';
export const ACCESS_TOKEN_AUDIENCE = 'partner-channel';
