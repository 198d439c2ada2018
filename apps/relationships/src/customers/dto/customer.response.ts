import type { TenantSnapshot } from '@app/contracts';
import { entityTag, uuidFrom } from '@app/platform';
import type { ResellerRelationship } from '../../reseller-relationships/reseller-relationship.entity';
import type { Customer } from '../customer.entity';
import type {
  CustomerResponse,
  FullCustomerResponse,
  PartnerRelationshipResponse,
} from './customer.dto';
import {
  selfLink,
  type BillingProfileResponse,
  type CompanyProfileResponse,
} from './customer-profiles.dto';

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
    relationshipType: 'is_indirect_reseller_of',
    state: 'Active',
    attributes: { objectType: 'PartnerRelationship' },
  };
}

/** The customer row fields the full Customer and its profiles are made of. */
export type CustomerProfileSource = Pick<
  Customer,
  'id' | 'domain' | 'companyName' | 'country' | 'billingProfile' | 'billingProfileVersion'
>;

/** The billing profile's id: derived from the customer's (one profile per customer). */
export function billingProfileIdOf(customerId: string): string {
  return uuidFrom(`${customerId}\u0000billing-profile`);
}

/** The billing profile's etag (`attributes.etag`, `If-Match` of its PUT): changes on every PUT. */
export function billingProfileEtag(customer: Pick<Customer, 'id' | 'billingProfileVersion'>) {
  return entityTag(customer.id, 'billing-profile', customer.billingProfileVersion);
}

/**
 * Partner Center's CustomerCompanyProfile. `withContact`: the caller holds delegated admin
 * privileges, so the company's address and email (from the billing profile) are shown, as Partner
 * Center shows them only to a partner with administrative access to the tenant.
 */
export function toCompanyProfileResponse(
  customer: CustomerProfileSource,
  withContact: boolean,
): CompanyProfileResponse {
  const billing = customer.billingProfile;
  const contact =
    withContact && billing
      ? {
          address: {
            country: billing.defaultAddress.country,
            region: billing.defaultAddress.region,
            state: billing.defaultAddress.state,
            city: billing.defaultAddress.city,
            addressLine1: billing.defaultAddress.addressLine1,
            addressLine2: billing.defaultAddress.addressLine2,
            addressLine3: billing.defaultAddress.addressLine3,
            postalCode: billing.defaultAddress.postalCode,
            phoneNumber: billing.defaultAddress.phoneNumber,
          },
          email: billing.email,
        }
      : {};
  return withoutUndefined({
    tenantId: customer.id,
    domain: customer.domain,
    companyName: customer.companyName,
    ...contact,
    links: selfLink(`/v1/customers/${customer.id}/profiles/company`),
    attributes: { objectType: 'CustomerCompanyProfile' as const },
  });
}

/**
 * Partner Center's CustomerBillingProfile; a customer without one (joined through a relationship
 * request) answers its company name and country only, with the etag of that empty version.
 */
export function toBillingProfileResponse(customer: CustomerProfileSource): BillingProfileResponse {
  const billing = customer.billingProfile;
  return withoutUndefined({
    id: billingProfileIdOf(customer.id),
    firstName: billing?.defaultAddress.firstName,
    lastName: billing?.defaultAddress.lastName,
    email: billing?.email,
    culture: billing?.culture,
    language: billing?.language,
    companyName: billing?.companyName ?? customer.companyName,
    defaultAddress: billing ? { ...billing.defaultAddress } : { country: customer.country },
    links: selfLink(`/v1/customers/${customer.id}/profiles/billing`),
    attributes: {
      etag: billingProfileEtag(customer),
      objectType: 'CustomerBillingProfile' as const,
    },
  });
}

/** Partner Center's Customer in full, as seen through the caller's relationship. */
export function toFullCustomerResponse(
  customer: CustomerProfileSource,
  relationship: Pick<
    ResellerRelationship,
    'status' | 'delegatedAdminStatus' | 'indirectResellerId'
  >,
): FullCustomerResponse {
  const delegated =
    relationship.status === 'active' && relationship.delegatedAdminStatus === 'active';
  return withoutUndefined({
    id: customer.id,
    commerceId: customer.id,
    companyProfile: toCompanyProfileResponse(customer, delegated),
    billingProfile: toBillingProfileResponse(customer),
    relationshipToPartner:
      relationship.status === 'active' ? ('reseller' as const) : ('none' as const),
    allowDelegatedAccess: delegated,
    associatedPartnerId: relationship.indirectResellerId ?? undefined,
    links: selfLink(`/v1/customers/${customer.id}`),
    attributes: { objectType: 'Customer' as const },
  });
}

/** `value` without its undefined properties, at any depth (Partner Center omits absent values). */
function withoutUndefined<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
