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
 * Where two tenants that want to transact differ, if they do: `cloud` first (each cloud is its own
 * platform, seed 001 "Changes to the customer invitation experience"), then `region` (neither the
 * same country nor the same CSP market region, `regions/market-regions.ts`), else null. The one
 * comparison behind every door's rule below.
 */
export function locationMismatch(a: TenantLocation, b: TenantLocation): 'cloud' | 'region' | null {
  if (a.cloud !== b.cloud) return 'cloud';
  if (!sameMarket(a.country, b.country)) return 'region';
  return null;
}

/**
 * A customer accepts only partners of its own cloud (seed 001 "Changes to the customer invitation
 * experience": each cloud has its own portal) and of its own country or CSP market region (seed 001
 * "from within your country or your same region"). Checked for the inviting partner and a joint
 * request's indirect provider at acceptance, for the creating partner and the associated reseller
 * of a new customer, and again by `ResellerRelationshipsService.establish` for every relationship
 * made.
 * @throws 403 `relationship_request.cloud_mismatch`, 403 `relationship_request.region_mismatch`.
 */
export function assertSameCloudAndMarket(partner: TenantLocation, customer: TenantLocation): void {
  if (locationMismatch(partner, customer) === 'cloud') {
    throw new DomainError(
      'relationship_request.cloud_mismatch',
      403,
      `A customer in the ${customer.cloud} cloud can only accept partners of the same cloud; this partner is in the ${partner.cloud} cloud.`,
    );
  }
  assertSameMarket(partner.country, customer.country);
}

/**
 * An indirect provider and an indirect reseller partner only within one cloud and one country or
 * CSP market region, the rules their shared customers obey (a partnership across them would let
 * the provider create customers for a reseller that may not serve them).
 * @throws 403 `partnership.cloud_mismatch`, 403 `partnership.region_mismatch`.
 */
export function assertPartnershipLocation(
  provider: TenantLocation,
  reseller: TenantLocation,
): void {
  switch (locationMismatch(provider, reseller)) {
    case null:
      return;
    case 'cloud':
      throw new DomainError(
        'partnership.cloud_mismatch',
        403,
        `An indirect provider in the ${provider.cloud} cloud can only partner with indirect resellers of the same cloud; this reseller is in the ${reseller.cloud} cloud.`,
      );
    case 'region':
      throw new DomainError(
        'partnership.region_mismatch',
        403,
        `An indirect provider in ${provider.country} can only partner with indirect resellers of its own country or market region; this reseller is in ${reseller.country}.`,
        { providerCountry: provider.country, resellerCountry: reseller.country },
      );
  }
}

/**
 * A new customer (seed 002 "Add new customers and associate them with indirect resellers") at
 * `customer` (its country, and the creating partner's cloud): every partner it gets a relationship
 * with (the creating partner, and the associated indirect reseller) must be of the customer's cloud
 * and market, and obey the delegated admin rule (both relationships carry delegated admin
 * privileges).
 * @throws 403 `relationship_request.cloud_mismatch` / `relationship_request.region_mismatch`, 422
 *   `relationship_request.delegated_admin_required`.
 */
export function assertNewCustomerRules(
  customer: TenantLocation,
  relationships: { partner: TenantLocation; delegatedAdmin: boolean }[],
): void {
  for (const { partner, delegatedAdmin } of relationships) {
    assertSameCloudAndMarket(partner, customer);
    assertDelegatedAdminRule(partner.cloud, delegatedAdmin);
  }
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
