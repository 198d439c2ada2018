import type { TenantSnapshot } from '@app/contracts';
import type { ResellerRelationship } from '../../reseller-relationships/reseller-relationship.entity';
import type { Customer } from '../customer.entity';
import type { CustomerResponse, PartnerRelationshipResponse } from './customer.dto';

/** Partner Center's Customer shape of a customer, as seen through one partner's relationship. */
export function toCustomerResponse(
  customer: Pick<Customer, 'id' | 'domain' | 'companyName' | 'country'>,
  relationship: Pick<
    ResellerRelationship,
    'status' | 'delegatedAdminStatus' | 'indirectResellerId'
  >,
): CustomerResponse {
  return {
    id: customer.id,
    companyProfile: {
      tenantId: customer.id,
      domain: customer.domain,
      companyName: customer.companyName,
      country: customer.country,
    },
    relationshipToPartner: relationship.status === 'active' ? 'reseller' : 'none',
    allowDelegatedAccess: relationship.delegatedAdminStatus === 'active',
    associatedPartnerId: relationship.indirectResellerId,
    attributes: { objectType: 'Customer' },
  };
}

/** Partner Center's PartnerRelationship of an indirect reseller of a customer. */
export function toPartnerRelationshipResponse(
  relationship: ResellerRelationship,
  tenant: TenantSnapshot | undefined,
): PartnerRelationshipResponse {
  return {
    id: relationship.partnerTenantId,
    name: tenant?.name ?? '',
    mpnId: tenant?.partner?.mpnId ?? null,
    location: tenant?.country ?? null,
    relationshipType: 'IsIndirectResellerOf',
    state: 'Active',
    attributes: { objectType: 'PartnerRelationship' },
  };
}
