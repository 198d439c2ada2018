import { z } from 'zod';

/** `GET /v1/auth/portal/csrf`: the token to send as `X-CSRF-Token` on the session's writes. */
export const CsrfTokenResponseSchema = z.object({ csrfToken: z.string() });

/**
 * The answer of a portal sign-in, refresh or password change: the access token only (the refresh
 * token is in the HttpOnly cookie, never in a body the page can read).
 */
export const PortalTokenResponseSchema = z.object({
  accessToken: z.string(),
  tokenType: z.literal('Bearer'),
  /** Seconds. */
  expiresIn: z.number().int(),
  passwordChangeRequired: z.boolean(),
});
export type PortalTokenResponse = z.infer<typeof PortalTokenResponseSchema>;
