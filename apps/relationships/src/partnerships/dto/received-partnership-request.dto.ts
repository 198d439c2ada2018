import { TenantSnapshot } from '@app/contracts';
import { PageQuerySchema, Timestamp, collectionSchema, objectAttributes } from '@app/platform';
import { z } from 'zod';
import { effectiveStatus } from '../../invitations/invitation-state';
import { Invitation } from '../../invitations/invitation.entity';

/**
 * `GET /v1/partnership-requests/received?size=&seek=&status=`: the page (`size` 1–500, default
 * 100; `seek` the previous page's continuation token) and optionally one status, `pending` or
 * `accepted` (the only ones listed). Unknown parameters answer 400 `request.invalid`.
 */
export const ReceivedPartnershipRequestQuerySchema = PageQuerySchema.extend({
  status: z.enum(['pending', 'accepted']).optional(),
});
export type ReceivedPartnershipRequestQuery = z.infer<typeof ReceivedPartnershipRequestQuerySchema>;

/** `{id}` of `POST /v1/partnership-requests/received/{id}/accept`. */
export const ReceivedPartnershipRequestParamSchema = z.object({ id: z.uuid() });

/**
 * `POST /v1/partnership-requests/received/{id}/accept` body (seed 004 step 3: "check the box and
 * then select Authorize indirect provider"): `{ authorize: true }`. `authorize` is checked by the
 * service so that anything but literal `true` (a missing body included) answers 400
 * `partnership.authorization_required`.
 */
export const AcceptReceivedPartnershipRequestSchema = z
  .strictObject({ authorize: z.unknown().optional() })
  .optional()
  .transform((body) => ({ authorize: body?.authorize }));
export type AcceptReceivedPartnershipRequestDto = z.infer<
  typeof AcceptReceivedPartnershipRequestSchema
>;

/**
 * A partnership request as the indirect reseller that received it sees it (seed 004 "Connect with
 * an indirect provider"): who asks (the indirect provider as identity describes it now: name,
 * Partner ID, country; and the person who sent it), the address it was sent to, its own words,
 * when it was sent, until when it can be authorized (`expiresAt`) or when it was (`acceptedAt`).
 * Never the token or the link.
 */
export const ReceivedPartnershipRequestSchema = z.object({
  id: z.uuid(),
  status: z.enum(['pending', 'accepted']),
  /** The address of the caller's organisation the request was sent to. */
  email: z.string(),
  provider: z.object({
    tenantId: z.uuid(),
    name: z.string(),
    /** Partner ID (MPN ID). */
    mpnId: z.string(),
    /** ISO 3166-1 alpha-2. */
    country: z.string(),
  }),
  inviter: z.object({ name: z.string() }),
  customMessage: z.string().nullable(),
  createdAt: Timestamp,
  expiresAt: Timestamp,
  acceptedAt: Timestamp.nullable(),
  attributes: objectAttributes('ReceivedPartnershipRequest'),
});
export type ReceivedPartnershipRequestResponse = z.infer<typeof ReceivedPartnershipRequestSchema>;

/** A page of received partnership requests. */
export const ReceivedPartnershipRequestCollectionSchema = collectionSchema(
  ReceivedPartnershipRequestSchema,
);

/**
 * Map a received invitation (pending or accepted: `listReceived` lists no other) and its
 * provider's snapshot (absent when identity no longer knows the tenant: name and Partner ID then
 * empty) to what the reseller sees.
 */
export function toReceivedPartnershipRequest(
  invitation: Invitation,
  provider: TenantSnapshot | undefined,
  now: Date,
): ReceivedPartnershipRequestResponse {
  return {
    id: invitation.id,
    status: effectiveStatus(invitation, now) === 'accepted' ? 'accepted' : 'pending',
    email: invitation.email,
    provider: {
      tenantId: invitation.partnerTenantId,
      name: provider?.name ?? '',
      mpnId: provider?.partner?.mpnId ?? '',
      country: provider?.country ?? '',
    },
    inviter: { name: invitation.inviterName },
    customMessage: invitation.customMessage,
    createdAt: invitation.createdAt.toISOString(),
    expiresAt: invitation.expiresAt.toISOString(),
    acceptedAt: invitation.acceptedAt?.toISOString() ?? null,
    attributes: { objectType: 'ReceivedPartnershipRequest' },
  };
}
