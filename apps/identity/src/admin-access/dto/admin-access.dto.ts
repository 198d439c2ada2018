import { PageQuerySchema, Timestamp, collectionSchema, objectAttributes } from '@app/platform';
import { Uuid } from '@app/contracts';
import { z } from 'zod';

export const AdminAccessListQuerySchema = PageQuerySchema;

/** `/v1/organizations/{tenantId}/users` path parameter. */
export const OrganizationIdSchema = Uuid;

/** An indirect provider holding administrator access to the caller's organisation. */
export const AdminAccessViewSchema = z.object({
  providerTenantId: z.uuid(),
  providerName: z.string(),
  providerMpnId: z.string().nullable(),
  partnershipId: z.uuid(),
  status: z.literal('active'),
  grantedAt: Timestamp,
  attributes: objectAttributes('AdminAccess'),
});
export type AdminAccessView = z.infer<typeof AdminAccessViewSchema>;

/** A page of administrator accesses. */
export const AdminAccessCollectionSchema = collectionSchema(AdminAccessViewSchema);

export type PageQuery = z.infer<typeof PageQuerySchema>;
