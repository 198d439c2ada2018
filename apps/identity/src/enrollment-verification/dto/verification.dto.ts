import { Email } from '@app/contracts';
import { z } from 'zod';

/** `POST /v1/enrollments/verify` and the `GET` link target. */
export const VerifyTokenSchema = z.object({ token: z.string().trim().min(1).max(200) });

/** `POST /v1/enrollments/verification/resend` `{ email }` (public). */
export const ResendVerificationSchema = z.object({ email: Email }).strict();

/** The form of an expired link's page: `POST /v1/enrollments/verify/resend` `token=...`. */
export const ResendFromLinkSchema = z.object({ token: z.string().trim().min(1).max(200) });
