import { CustomMessageText, Email, Locale, Uuid } from '@app/contracts';
import { z } from 'zod';

/**
 * `POST /v1/customers/relationship-requests` (seeds 000/001 "Request a reseller relationship"): the
 * customer's email, whether delegated admin privileges are requested, an optional indirect provider
 * for a joint request (indirect resellers only), the email locale, the inviter's own message (plain
 * text, at most 1,000 characters, never made a link), and `draftOnly` (the inviter sends the email
 * themselves).
 */
export const CreateRelationshipRequestSchema = z
  .object({
    email: Email,
    delegatedAdmin: z.boolean(),
    indirectProviderId: Uuid.optional(),
    locale: Locale.optional(),
    customMessage: CustomMessageText.pipe(z.string().min(1)).optional(),
    draftOnly: z.boolean().default(false),
  })
  .strict();
export type CreateRelationshipRequestDto = z.infer<typeof CreateRelationshipRequestSchema>;

/**
 * `POST /v1/customers/relationship-requests/accept`: the token from the link, and the explicit
 * acceptance of the Customer Agreement when the customer has not accepted it yet (seed 001).
 */
export const AcceptRelationshipRequestSchema = z
  .object({
    token: z.string().trim().min(20).max(200),
    acceptCustomerAgreement: z.boolean().optional(),
  })
  .strict();
export type AcceptRelationshipRequestDto = z.infer<typeof AcceptRelationshipRequestSchema>;

/** The email draft the inviter reviews (seed 001 step 3). */
export interface RelationshipRequestDraft {
  subject: string;
  text: string;
  html: string;
  link: string;
}

/** A reseller relationship request (invitation) as the inviting partner sees it. */
export interface RelationshipRequestResponse {
  id: string;
  email: string;
  locale: string;
  status: 'pending' | 'accepted' | 'revoked' | 'expired';
  delegatedAdmin: boolean;
  /** The indirect provider of a joint request, else null. */
  indirectProviderId: string | null;
  customMessage: string | null;
  inviter: { userId: string; name: string; email: string };
  expiresAt: string;
  createdAt: string;
  acceptedAt: string | null;
  /** The customer's tenant id once accepted. */
  acceptedByTenantId: string | null;
  attributes: { objectType: 'RelationshipRequest' };
}

/** Answer of creating or resending a request: the draft, and whether the email was queued. */
export interface RelationshipRequestSentResponse {
  id: string;
  email: string;
  status: RelationshipRequestResponse['status'];
  delegatedAdmin: boolean;
  indirectProviderId: string | null;
  expiresAt: string;
  draft: RelationshipRequestDraft;
  queued: boolean;
}

/** One relationship established by an acceptance. */
export interface EstablishedRelationshipResponse {
  partnerId: string;
  partnerName: string;
  relationshipToCustomer: 'reseller';
  delegatedAdmin: boolean;
  /** For the indirect provider of a joint request: the inviting indirect reseller. */
  indirectResellerId: string | null;
}

/** Answer of an acceptance. */
export interface AcceptedRelationshipRequestResponse {
  customerId: string;
  customerAgreementAcceptedAt: string | null;
  relationships: EstablishedRelationshipResponse[];
}
