import { Email } from '@app/contracts';
import { z } from 'zod';

/** `POST /v1/auth/password-reset-requests` `{ email }` (public). */
export const PasswordResetRequestSchema = z.object({ email: Email }).strict();
export type PasswordResetRequestInput = z.infer<typeof PasswordResetRequestSchema>;

/** The token of a reset link (the query of the page). */
export const ResetLinkSchema = z.object({ token: z.string().trim().min(16).max(200) });

/** The page's form (`application/x-www-form-urlencoded`): the token and the new password twice. */
export const PasswordResetFormSchema = z.object({
  token: z.string().trim().min(16).max(200),
  password: z.string().min(1).max(200),
  passwordConfirmation: z.string().min(1).max(200),
});
export type PasswordResetForm = z.infer<typeof PasswordResetFormSchema>;
