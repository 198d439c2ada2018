import { PageQuerySchema } from '@app/platform';
import { z } from 'zod';
import { INVITATION_STATUSES } from '../invitation.entity';

/** `?size=&seek=&status=` of the invitation listings. */
export const InvitationListQuerySchema = PageQuerySchema.extend({
  status: z.enum(INVITATION_STATUSES).optional(),
});
export type InvitationListQuery = z.infer<typeof InvitationListQuerySchema>;

/** `{ draftOnly? }`: body of a resend (draft only = the inviter sends the email themselves). */
export const ResendInvitationSchema = z
  .object({ draftOnly: z.boolean().default(false) })
  .strict()
  .default({ draftOnly: false });
export type ResendInvitationDto = z.infer<typeof ResendInvitationSchema>;

/** `{id}` path parameter of an invitation. */
export const InvitationIdParamSchema = z.object({ id: z.uuid() });
