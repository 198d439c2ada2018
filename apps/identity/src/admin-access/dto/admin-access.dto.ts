import { PageQuerySchema } from '@app/platform';
import { Uuid } from '@app/contracts';
import { z } from 'zod';

export const AdminAccessListQuerySchema = PageQuerySchema;

/** `/v1/organizations/{tenantId}/users` path parameter. */
export const OrganizationIdSchema = Uuid;

/** An indirect provider holding administrator access to the caller's organisation. */
export interface AdminAccessView {
  providerTenantId: string;
  providerName: string;
  providerMpnId: string | null;
  partnershipId: string;
  status: 'active';
  grantedAt: string;
  attributes: { objectType: 'AdminAccess' };
}

export type PageQuery = z.infer<typeof PageQuerySchema>;
