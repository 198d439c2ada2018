import { CustomMessageText, Email, Locale } from '@app/contracts';
import { z } from 'zod';

/**
 * `POST /v1/partnership-requests` body (seed 002 "Request a partnership"): the indirect reseller's
 * email, the email's locale (default: the inviter's), an optional custom message (plain text, at
 * most 1,000 characters, never made a link; the invitation's link is always kept), and `draftOnly`
 * (the inviter sends the draft themselves; nothing is queued).
 */
export const CreatePartnershipRequestSchema = z
  .object({
    email: Email,
    locale: Locale.optional(),
    customMessage: CustomMessageText.optional(),
    draftOnly: z.boolean().default(false),
  })
  .strict();
export type CreatePartnershipRequestDto = z.infer<typeof CreatePartnershipRequestSchema>;

/**
 * `POST /v1/partnership-requests/accept` body (seed 004 step 3): the token from the link and the
 * explicit authorization of the indirect provider. `authorize` is checked by the service so that
 * anything but literal `true` answers 400 `partnership.authorization_required`.
 */
export const AcceptPartnershipRequestSchema = z.strictObject({
  token: z.string().trim().min(16).max(256),
  authorize: z.unknown().optional(),
});
export type AcceptPartnershipRequestDto = z.infer<typeof AcceptPartnershipRequestSchema>;
