import { addressIn, uniqueDomainPrefix, uniqueEmail, uniqueName } from '../data';
import { expectStatus } from '../http';
import { api, bearer } from '../system';
import type { BillingProfile, CreatedCustomer } from './types';

/** New customers a partner creates (seed 002, `POST /v1/customers`). */

/** The offer every fixture orders. */
export const OFFER_ID = 'microsoft-365-business-basic';

/**
 * The body of `POST /v1/customers` for a new, unique customer, in Partner Center's shape (as
 * scripts/demo.js sends it): the default domain's prefix, a billing profile whose contact (Ada
 * Adatum, a unique address) becomes the Global admin, in the US, and (our extension) ten licenses
 * of `OFFER_ID`, unless told otherwise.
 */
export function newCustomerBody(
  options: {
    country?: string;
    indirectResellerId?: string;
    subscriptions?: Record<string, unknown>[];
    domainPrefix?: string;
    companyName?: string;
    email?: string;
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
