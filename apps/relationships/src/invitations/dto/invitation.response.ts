import { RenderedEmail } from '@app/contracts';
import { effectiveStatus } from '../invitation-state';
import { Invitation, InvitationKind, InvitationStatus } from '../invitation.entity';

/** An invitation (partnership request or reseller relationship request) as the API shows it. */
export interface InvitationResponse {
  id: string;
  kind: InvitationKind;
  email: string;
  locale: string;
  status: InvitationStatus;
  expiresAt: string;
  createdAt: string;
  delegatedAdmin: boolean;
  jointProviderTenantId: string | null;
  customMessage: string | null;
  inviter: { userId: string; name: string; email: string };
  acceptedAt: string | null;
  acceptedByTenantId: string | null;
  attributes: { objectType: 'Invitation' };
}

/** The draft the inviter reviews (seed 002 step 3): rendered subject, text and HTML, and the link. */
export interface InvitationDraftResponse {
  subject: string;
  text: string;
  html: string;
  link: string;
}

/**
 * Answer of creating or resending an invitation: `queued` is false when the inviter asked for the
 * draft only and sends it themselves (seed 002 "Copy to clipboard").
 */
export interface InvitationSentResponse {
  id: string;
  email: string;
  status: InvitationStatus;
  expiresAt: string;
  draft: InvitationDraftResponse;
  queued: boolean;
}

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
