import { addressIn, uniqueDomainPrefix, uniqueEmail, uniqueName } from '../data';
import { expectStatus } from '../http';
import { api, bearer } from '../system';
import type { BillingProfile, CreatedCustomer } from './types';

/** New customers a partner creates (seed 002, `POST /v1/customers`). */

/** The offer every fixture orders. */
export const OFFER_ID = 'microsoft-365-business-basic';

/** The Customer Agreement template served by `GET /v1/agreements` (issue 11). */
export const CUSTOMER_AGREEMENT_TEMPLATE_ID = '6b1b0e1e-2a3c-4d8e-9f10-5c2d7a4b8e01';

/**
 * The body of `POST /v1/customers/{id}/agreements`: the partner confirms that the customer's
 * contact accepted the Customer Agreement (Partner Center's Agreement).
 */
export function customerAgreementBody(email = uniqueEmail('ada', 'adatum')) {
  return {
    primaryContact: { firstName: 'Ada', lastName: 'Adatum', email },
    dateAgreed: '2026-01-15T09:30:00.000Z',
    templateId: CUSTOMER_AGREEMENT_TEMPLATE_ID,
    type: 'MicrosoftCustomerAgreement',
  };
}

/**
 * The body of `POST /v1/customers` for a new, unique customer, in Partner Center's shape (as
 * scripts/demo.js sends it): the default domain's prefix, a billing profile whose contact (Ada
 * Adatum, a unique address) becomes the Global admin, in the US, and (our extension) ten licenses
 * of `OFFER_ID` with the partner's confirmation of the
 * Customer Agreement (required with subscriptions, Partner Center 13605), unless told otherwise.
 */
export function newCustomerBody(
  options: {
    country?: string;
    indirectResellerId?: string;
    subscriptions?: Record<string, unknown>[];
    domainPrefix?: string;
    companyName?: string;
    email?: string;
    /** false: without the Customer Agreement confirmation. */
    customerAgreement?: boolean;
  } = {},
) {
  return {
    companyProfile: { domain: options.domainPrefix ?? uniqueDomainPrefix('adatum') },
    billingProfile: {
      email: options.email ?? uniqueEmail('ada', 'adatum'),
      culture: 'en-US',
      language: 'en',
      companyName: options.companyName ?? uniqueName('Adatum Corporation'),
      defaultAddress: {
        ...addressIn(options.country ?? 'US'),
        firstName: 'Ada',
        lastName: 'Adatum',
        phoneNumber: '4255550101',
      },
    },
    ...(options.indirectResellerId ? { associatedPartnerId: options.indirectResellerId } : {}),
    subscriptions: options.subscriptions ?? [{ offerId: OFFER_ID, quantity: 10 }],
    ...(options.customerAgreement === false ? {} : { customerAgreement: customerAgreementBody() }),
  };
}

/** `POST /v1/customers` as `partner`; 201. */
export async function createCustomer(
  partner: { token: string },
  body: ReturnType<typeof newCustomerBody> = newCustomerBody(),
): Promise<CreatedCustomer> {
  return expectStatus<CreatedCustomer>(
    await api('relationships').post('/v1/customers').set(bearer(partner.token)).send(body),
    201,
  );
}

/** `GET /v1/customers/{id}/profiles/billing` as `partner`; 200. */
export async function billingProfileOf(
  partner: { token: string },
  customerId: string,
): Promise<BillingProfile> {
  return expectStatus<BillingProfile>(
    await api('relationships')
      .get(`/v1/customers/${customerId}/profiles/billing`)
      .set(bearer(partner.token)),
    200,
  );
}

/** The current `attributes.etag` of a subscription, read by `token` (for `If-Match`). */
export async function subscriptionEtag(
  token: string,
  customerId: string,
  subscriptionId: string,
): Promise<string> {
  const subscription = expectStatus<{ attributes: { etag: string } }>(
    await api('relationships')
      .get(`/v1/customers/${customerId}/subscriptions/${subscriptionId}`)
      .set(bearer(token)),
    200,
  );
  return subscription.attributes.etag;
}

/**
 * `filter=` of `GET /v1/customers` as Partner Center sends it: URL-encoded JSON
 * `{ Field, Value, Operator }` (issue 11), e.g. `customerFilter('IndirectReseller', tenantId)`.
 */
export function customerFilter(field: string, value: string, operator = 'starts_with'): string {
  return `filter=${encodeURIComponent(JSON.stringify({ Field: field, Value: value, Operator: operator }))}`;
}
