import { RenderedEmail } from '@app/contracts';
import { effectiveStatus } from '../invitation-state';
import { Timestamp, collectionSchema, objectAttributes } from '@app/platform';
import { z } from 'zod';
import { INVITATION_KINDS, INVITATION_STATUSES, Invitation } from '../invitation.entity';

/** An invitation (partnership request or reseller relationship request) as the API shows it. */
export const InvitationResponseSchema = z.object({
  id: z.uuid(),
  kind: z.enum(INVITATION_KINDS),
  email: z.string(),
  locale: z.string(),
  status: z.enum(INVITATION_STATUSES),
  expiresAt: Timestamp,
  createdAt: Timestamp,
  delegatedAdmin: z.boolean(),
  jointProviderTenantId: z.uuid().nullable(),
  customMessage: z.string().nullable(),
  inviter: z.object({ userId: z.uuid(), name: z.string(), email: z.string() }),
  acceptedAt: Timestamp.nullable(),
  acceptedByTenantId: z.uuid().nullable(),
  attributes: objectAttributes('Invitation'),
});
export type InvitationResponse = z.infer<typeof InvitationResponseSchema>;

/** A page of invitations. */
export const InvitationCollectionSchema = collectionSchema(InvitationResponseSchema);

/** The draft the inviter reviews (seed 002 step 3): rendered subject, text and HTML, and the link. */
export const InvitationDraftResponseSchema = z.object({
  subject: z.string(),
  text: z.string(),
  html: z.string(),
  link: z.string(),
});
export type InvitationDraftResponse = z.infer<typeof InvitationDraftResponseSchema>;

/**
 * Answer of creating or resending an invitation: `queued` is false when the inviter asked for the
 * draft only and sends it themselves (seed 002 "Copy to clipboard").
 */
export const InvitationSentResponseSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  status: z.enum(INVITATION_STATUSES),
  expiresAt: Timestamp,
  draft: InvitationDraftResponseSchema,
  queued: z.boolean(),
});
export type InvitationSentResponse = z.infer<typeof InvitationSentResponseSchema>;

export function toInvitationResponse(invitation: Invitation, now = new Date()): InvitationResponse {
  return {
    id: invitation.id,
    kind: invitation.kind,
    email: invitation.email,
    locale: invitation.locale,
    status: effectiveStatus(invitation, now),
    expiresAt: invitation.expiresAt.toISOString(),
    createdAt: invitation.createdAt.toISOString(),
    delegatedAdmin: invitation.delegatedAdmin,
    jointProviderTenantId: invitation.jointProviderTenantId,
    customMessage: invitation.customMessage,
    inviter: {
      userId: invitation.inviterUserId,
      name: invitation.inviterName,
      email: invitation.inviterEmail,
    },
    acceptedAt: invitation.acceptedAt?.toISOString() ?? null,
    acceptedByTenantId: invitation.acceptedByTenantId,
    attributes: { objectType: 'Invitation' },
  };
}

export function toInvitationSentResponse(
  invitation: Invitation,
  draft: RenderedEmail,
  link: string,
  queued: boolean,
  now = new Date(),
): InvitationSentResponse {
  return {
    id: invitation.id,
    email: invitation.email,
    status: effectiveStatus(invitation, now),
    expiresAt: invitation.expiresAt.toISOString(),
    draft: { subject: draft.subject, text: draft.text, html: draft.html, link },
    queued,
  };
}
