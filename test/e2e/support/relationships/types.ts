import type { Link } from '../types';
/**
 * The response shapes of relationships that more than one spec reads (Partner Center's shapes where
 * the product follows them).
 */

/** A customer on a partner's Customers page (`/v1/customers`), in Partner Center's shape. */
export interface Customer {
  id: string;
  companyProfile: { tenantId: string; domain: string; companyName: string; country: string };
  relationshipToPartner: 'reseller' | 'none';
  allowDelegatedAccess: boolean;
  associatedPartnerId: string | null;
  attributes: { objectType: string };
}

/** A subscription of a customer (`/v1/customers/{id}/subscriptions`). */
export interface Subscription {
  id: string;
  offerId: string;
  offerName: string;
  quantity: number;
  unitType: string;
  friendlyName: string;
  status: string;
  /** The reseller of record's Partner ID (MPN ID). */
  partnerId?: string;
  associatedResellerMpnId: string | null;
  designatedSupportContact: { id: string; name: string; mpnId: string | null } | null;
  links: { self: { uri: string; method: string } };
  attributes: { objectType: string; etag: string };
}

/** Partner Center's SupportContact of a subscription. */
export interface SupportContact {
  supportTenantId: string;
  supportMpnId: string | null;
  name: string;
  attributes: { objectType: string };
}

/** Partner Center's Address (absent parts omitted). */
export interface Address {
  country: string;
  region?: string;
  state?: string;
  city?: string;
  addressLine1?: string;
  addressLine2?: string;
  postalCode?: string;
  firstName?: string;
  lastName?: string;
  phoneNumber?: string;
}

/** Partner Center's CustomerCompanyProfile. */
export interface CompanyProfile {
  tenantId: string;
  domain: string;
  companyName: string;
  address?: Address;
  email?: string;
  links: { self: Link };
  attributes: { objectType: 'CustomerCompanyProfile' };
}

/** Partner Center's CustomerBillingProfile. */
export interface BillingProfile {
  id: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  culture?: string;
  language?: string;
  companyName: string;
  defaultAddress: Address;
  links: { self: Link };
  attributes: { etag: string; objectType: 'CustomerBillingProfile' };
}

/** Partner Center's Customer in full (`GET /v1/customers/{id}`). */
export interface FullCustomer {
  id: string;
  commerceId: string;
  companyProfile: CompanyProfile;
  billingProfile: BillingProfile;
  relationshipToPartner: 'reseller' | 'none';
  allowDelegatedAccess: boolean;
  associatedPartnerId?: string;
  links: { self: Link };
  attributes: { objectType: 'Customer' };
}

/**
 * The answer to `POST /v1/customers`: the customer in full, its Global admin's credentials, and
 * the initial orders (our extension, when the request ordered some).
 */
export interface CreatedCustomer extends FullCustomer {
  userCredentials: { userName: string; password: string };
  subscriptions: Subscription[];
}

/** A partner of a customer as the customer sees it (`GET /v1/partners`). */
export interface CustomerPartner {
  id: string;
  name: string;
  mpnId: string | null;
  relationshipActive: boolean;
  delegatedAdminPrivileges: { active: boolean; grantedAt: string | null; revokedAt: string | null };
}

/** The email an invitation sends, as the API drafts it. */
export interface Draft {
  subject: string;
  text: string;
  html: string;
  link: string;
}

/** The answer to `POST /v1/partnership-requests` (and its resend). */
export interface PartnershipRequestSent {
  id: string;
  email: string;
  status: string;
  expiresAt: string;
  draft: Draft;
  queued: boolean;
}

/** The answer to `POST /v1/customers/relationship-requests`. */
export interface RelationshipRequestSent {
  id: string;
  email: string;
  status: string;
  delegatedAdmin: boolean;
  indirectProviderId: string | null;
  expiresAt: string;
  draft: Draft;
  queued: boolean;
}

/** Which side of partnerships a list shows: a provider's resellers or a reseller's providers. */
export type RelationshipType = 'IsIndirectResellerOf' | 'IsIndirectCloudSolutionProviderOf';

/** The other party of a partnership (`/v1/relationships`, the answer to an acceptance). */
export interface PartnerRelationship {
  id: string;
  name: string;
  mpnId: string;
  relationshipType: string;
  partnershipId: string;
  attributes: { objectType: string };
}

/** A partnership request as the indirect reseller that received it sees it. */
export interface ReceivedPartnershipRequest {
  id: string;
  status: 'pending' | 'accepted';
  email: string;
  provider: { tenantId: string; name: string; mpnId: string; country: string };
  inviter: { name: string };
  customMessage: string | null;
  createdAt: string;
  expiresAt: string;
  acceptedAt: string | null;
  attributes: { objectType: string };
}
