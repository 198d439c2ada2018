import { CustomMessageText, Email, Locale, Uuid } from '@app/contracts';
import { collectionSchema } from '@app/platform';
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
    /** The version of the Customer Agreement's text shown (`GET /v1/agreements`); default current. */
    customerAgreementVersion: z.string().trim().min(1).max(50).optional(),
  })
  .strict();
export type AcceptRelationshipRequestDto = z.infer<typeof AcceptRelationshipRequestSchema>;

/** The email draft the inviter reviews (seed 001 step 3). */
export const RelationshipRequestDraftSchema = z.object({
  subject: z.string(),
  text: z.string(),
  html: z.string(),
  link: z.url(),
});
export type RelationshipRequestDraft = z.infer<typeof RelationshipRequestDraftSchema>;

const RequestStatus = z.enum(['pending', 'accepted', 'revoked', 'expired']);

/** A reseller relationship request (invitation) as the inviting partner sees it. */
export const RelationshipRequestSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  locale: z.string(),
  status: RequestStatus,
  delegatedAdmin: z.boolean(),
  /** The indirect provider of a joint request, else null. */
  indirectProviderId: z.uuid().nullable(),
  customMessage: z.string().nullable(),
  inviter: z.object({ userId: z.uuid(), name: z.string(), email: z.string() }),
  expiresAt: z.iso.datetime(),
  createdAt: z.iso.datetime(),
  acceptedAt: z.iso.datetime().nullable(),
  /** The customer's tenant id once accepted. */
  acceptedByTenantId: z.uuid().nullable(),
  attributes: z.object({ objectType: z.literal('RelationshipRequest') }),
});
export type RelationshipRequestResponse = z.infer<typeof RelationshipRequestSchema>;
export const RelationshipRequestCollectionSchema = collectionSchema(RelationshipRequestSchema);

/** Answer of creating or resending a request: the draft, and whether the email was queued. */
export const RelationshipRequestSentSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  status: RequestStatus,
  delegatedAdmin: z.boolean(),
  indirectProviderId: z.uuid().nullable(),
  expiresAt: z.iso.datetime(),
  draft: RelationshipRequestDraftSchema,
  queued: z.boolean(),
});
export type RelationshipRequestSentResponse = z.infer<typeof RelationshipRequestSentSchema>;

/** One relationship established by an acceptance. */
export const EstablishedRelationshipSchema = z.object({
  partnerId: z.uuid(),
  partnerName: z.string(),
  relationshipToCustomer: z.literal('reseller'),
  delegatedAdmin: z.boolean(),
  /** For the indirect provider of a joint request: the inviting indirect reseller. */
  indirectResellerId: z.uuid().nullable(),
});
export type EstablishedRelationshipResponse = z.infer<typeof EstablishedRelationshipSchema>;

/** Answer of an acceptance. */
export const AcceptedRelationshipRequestSchema = z.object({
  customerId: z.uuid(),
  customerAgreementAcceptedAt: z.iso.datetime().nullable(),
  relationships: z.array(EstablishedRelationshipSchema),
});
export type AcceptedRelationshipRequestResponse = z.infer<typeof AcceptedRelationshipRequestSchema>;

/**
 * `GET /v1/customers/relationshiprequests?delegatedAdmin=` and its rotation: which variant of the
 * partner's reusable link (Partner Center's `DAP=true|false`); default false, true for partners in
 * the us-gov and germany clouds (who must request delegated admin privileges).
 */
export const PartnerLinkQuerySchema = z.strictObject({
  delegatedAdmin: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});
export type PartnerLinkQuery = z.infer<typeof PartnerLinkQuerySchema>;

/** Partner Center's RelationshipRequest: the partner's reusable reseller relationship link. */
export const PartnerRelationshipRequestSchema = z.object({
  url: z.url(),
  attributes: z.object({ objectType: z.literal('RelationshipRequest') }),
});
