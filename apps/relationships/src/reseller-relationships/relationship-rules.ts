import { DomainError } from '@app/platform';
import type { Cloud } from '@app/contracts';
import { sameMarket } from '../regions/market-regions';

/**
 * Partners in Microsoft Cloud for US Government (`us-gov`) and Microsoft Cloud Germany (`germany`)
 * cannot request a reseller relationship without delegated admin privileges (seed 001 note: "The
 * option to not request permissions is not available to partners operating in Microsoft Cloud for
 * US Government or Microsoft Cloud Germany").
 */
export function requiresDelegatedAdmin(cloud: Cloud): boolean {
  return cloud === 'us-gov' || cloud === 'germany';
}

/** @throws 422 `relationship_request.delegated_admin_required` (see `requiresDelegatedAdmin`). */
export function assertDelegatedAdminRule(partnerCloud: Cloud, delegatedAdmin: boolean): void {
  if (!delegatedAdmin && requiresDelegatedAdmin(partnerCloud)) {
    throw new DomainError(
      'relationship_request.delegated_admin_required',
      422,
      `Partners in the ${partnerCloud} cloud must request delegated admin privileges with a reseller relationship.`,
      { cloud: partnerCloud },
    );
  }
}

/** Where a tenant is: the parts of a tenant snapshot the market rules look at. */
export interface TenantLocation {
  cloud: Cloud;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

/**
 * A customer accepts only partners of its own cloud (seed 001 "Changes to the customer invitation
 * experience": each cloud has its own portal) and of its own country or CSP market region (seed 001
 * "from within your country or your same region").
 * @throws 403 `relationship_request.cloud_mismatch`, 403 `relationship_request.region_mismatch`.
 */
export function assertSameCloudAndMarket(partner: TenantLocation, customer: TenantLocation): void {
  if (partner.cloud !== customer.cloud) {
    throw new DomainError(
      'relationship_request.cloud_mismatch',
      403,
      `A customer in the ${customer.cloud} cloud can only accept partners of the same cloud; this partner is in the ${partner.cloud} cloud.`,
    );
  }
  assertSameMarket(partner.country, customer.country);
}

/**
 * A partner transacts only with customers of its own country or CSP market region (seed 001).
 * @throws 403 `relationship_request.region_mismatch`.
 */
export function assertSameMarket(partnerCountry: string, customerCountry: string): void {
  if (!sameMarket(partnerCountry, customerCountry)) {
    throw new DomainError(
      'relationship_request.region_mismatch',
      403,
      `A partner in ${partnerCountry} can only work with customers of its own country or market region; the customer is in ${customerCountry}.`,
      { partnerCountry, customerCountry },
    );
  }
}
