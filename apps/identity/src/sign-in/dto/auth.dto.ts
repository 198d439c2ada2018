import { Email, TenantSnapshotSchema } from '@app/contracts';
import { UserViewSchema } from '../../users/dto/user.dto';
import { z } from 'zod';

/**
 * `POST /v1/auth/token`. `organization` (optional): the organisation to sign in to, by tenant id,
 * Partner ID (MPN ID) or customer default domain; needed only when the address signs in to several
 * organisations with the same password (409 `auth.organization_required`).
 */
export const SignInSchema = z.strictObject({
  email: Email,
  password: z.string().min(1).max(200),
  organization: z.string().trim().min(1).max(254).optional(),
});
export type SignInInput = z.infer<typeof SignInSchema>;

/** `POST /v1/auth/password`. */
export const ChangePasswordSchema = z.strictObject({
  currentPassword: z.string().min(1).max(200),
  newPassword: z.string().min(1).max(1000),
});
export type ChangePasswordInput = z.infer<typeof ChangePasswordSchema>;

/** `POST /v1/auth/refresh` and `POST /v1/auth/sign-out`: an opaque refresh token. */
export const RefreshTokenSchema = z.strictObject({
  refreshToken: z
    .string()
    .min(32)
    .max(200)
    .regex(/^[A-Za-z0-9_-]+$/, 'must be a refresh token as issued (base64url)'),
});
export type RefreshTokenInput = z.infer<typeof RefreshTokenSchema>;

/**
 * The answer of a sign-in, refresh or password change: a short-lived access token (`expiresIn`
 * seconds) and the refresh token that gets the next one (`refreshExpiresIn` seconds, single use).
 */
export const AccessTokenResponseSchema = z.object({
  accessToken: z.string(),
  tokenType: z.literal('Bearer'),
  /** Seconds. */
  expiresIn: z.number().int(),
  refreshToken: z.string(),
  /** Seconds. */
  refreshExpiresIn: z.number().int(),
  passwordChangeRequired: z.boolean(),
});
export type AccessTokenResponse = z.infer<typeof AccessTokenResponseSchema>;

/** `GET /v1/me`: the caller and its organisation. */
export const MeResponseSchema = z.object({ user: UserViewSchema, tenant: TenantSnapshotSchema });
