import { Uuid } from '@app/contracts';
import { z } from 'zod';

/** `{partnerId}` path parameter (the partner's tenant id). */
export const PartnerIdParamSchema = z.object({ partnerId: Uuid });

/** A partner of the caller's organisation, as the customer sees it (`GET /v1/partners`). */
export interface CustomerPartnerResponse {
  /** The partner's tenant id. */
  id: string;
  name: string;
  mpnId: string | null;
  /** The partner is currently a reseller of record for this customer. */
  relationshipActive: boolean;
  delegatedAdminPrivileges: { active: boolean; grantedAt: string | null; revokedAt: string | null };
  attributes: { objectType: 'CustomerPartner' };
}
