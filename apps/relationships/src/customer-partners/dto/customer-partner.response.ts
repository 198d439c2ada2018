import type { TenantSnapshot } from '@app/contracts';
import type { ResellerRelationship } from '../../reseller-relationships/reseller-relationship.entity';
import type { CustomerPartnerResponse } from './customer-partner.dto';

/** A partner of a customer, as the customer sees it. */
export function toCustomerPartnerResponse(
  relationship: ResellerRelationship,
  tenant: TenantSnapshot | undefined,
): CustomerPartnerResponse {
  return {
    id: relationship.partnerTenantId,
    name: tenant?.name ?? '',
    mpnId: tenant?.partner?.mpnId ?? null,
    relationshipActive: relationship.status === 'active',
    delegatedAdminPrivileges: {
      active: relationship.delegatedAdminStatus === 'active',
      grantedAt: relationship.delegatedAdminGrantedAt?.toISOString() ?? null,
      revokedAt: relationship.delegatedAdminRevokedAt?.toISOString() ?? null,
    },
    attributes: { objectType: 'CustomerPartner' },
  };
}
