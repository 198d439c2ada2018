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

/** The answer to `POST /v1/customers`: the customer, its admin's credentials, the orders. */
export interface CreatedCustomer {
  customer: Customer;
  adminUser: { userPrincipalName: string; temporaryPassword: string };
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
