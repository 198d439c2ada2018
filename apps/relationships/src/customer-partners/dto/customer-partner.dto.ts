import { Uuid } from '@app/contracts';
import { Timestamp, collectionSchema, objectAttributes } from '@app/platform';
import { z } from 'zod';

/** `{partnerId}` path parameter (the partner's tenant id). */
export const PartnerIdParamSchema = z.object({ partnerId: Uuid });

/** A partner of the caller's organisation, as the customer sees it (`GET /v1/partners`). */
export const CustomerPartnerResponseSchema = z.object({
  /** The partner's tenant id. */
  id: z.uuid(),
  name: z.string(),
  mpnId: z.string().nullable(),
  /** The partner is currently a reseller of record for this customer. */
  relationshipActive: z.boolean(),
  delegatedAdminPrivileges: z.object({
    active: z.boolean(),
    grantedAt: Timestamp.nullable(),
    revokedAt: Timestamp.nullable(),
  }),
  attributes: objectAttributes('CustomerPartner'),
});
export type CustomerPartnerResponse = z.infer<typeof CustomerPartnerResponseSchema>;

/** A page of the customer's partners. */
export const CustomerPartnerCollectionSchema = collectionSchema(CustomerPartnerResponseSchema);
