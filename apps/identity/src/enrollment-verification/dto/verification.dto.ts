import { Email, EnrollmentStatus } from '@app/contracts';
import { z } from 'zod';

/** `POST /v1/enrollments/verify` and the `GET` link target. */
export const VerifyTokenSchema = z.strictObject({ token: z.string().trim().min(1).max(200) });

/** `POST /v1/enrollments/verification/resend` `{ email }` (public). */
export const ResendVerificationSchema = z.object({ email: Email }).strict();

/** The form of an expired link's page: `POST /v1/enrollments/verify/resend` `token=...`. */
export const ResendFromLinkSchema = z.strictObject({ token: z.string().trim().min(1).max(200) });

/** `POST /v1/enrollments/verify`: the verified enrollment. */
export const VerificationResultSchema = z.object({
  enrollmentId: z.uuid(),
  status: EnrollmentStatus,
  purpose: z.enum(['enrollment', 'primary_contact']),
  primaryContactEmail: z.string(),
});

/** 202 of a request whose outcome is never told (an email may or may not be sent). */
export const AcceptedSchema = z.object({ accepted: z.literal(true) });
