import { Email } from '@app/contracts';
import { z } from 'zod';

/** `POST /v1/auth/token`. */
export const SignInSchema = z.object({
  email: Email,
  password: z.string().min(1).max(200),
});
export type SignInInput = z.infer<typeof SignInSchema>;

/** `POST /v1/auth/password`. */
export const ChangePasswordSchema = z.object({
  currentPassword: z.string().min(1).max(200),
  newPassword: z.string().min(1).max(1000),
});
export type ChangePasswordInput = z.infer<typeof ChangePasswordSchema>;

/** The answer of a sign-in or password change. `expiresIn` is in seconds. */
export interface AccessTokenResponse {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  passwordChangeRequired: boolean;
}
