import { addressIn, uniqueDomainPrefix, uniqueEmail, uniqueName } from '../data';
import { expectStatus } from '../http';
import { api, bearer } from '../system';
import type { CreatedCustomer } from './types';

/** New customers a partner creates (seed 002, `POST /v1/customers`). */

/** The offer every fixture orders. */
export const OFFER_ID = 'microsoft-365-business-basic';

/**
 * The body of `POST /v1/customers` for a new, unique customer (as scripts/demo.js sends it): in the
 * US, ten licenses of `OFFER_ID`, unless told otherwise.
 */
export function newCustomerBody(
  options: {
    country?: string;
    indirectResellerId?: string;
    subscriptions?: Record<string, unknown>[];
    domainPrefix?: string;
  } = {},
) {
  return {
    companyProfile: {
      companyName: uniqueName('Adatum Corporation'),
      domainPrefix: options.domainPrefix ?? uniqueDomainPrefix('adatum'),
    },
    address: addressIn(options.country ?? 'US'),
    admin: { firstName: 'Ada', lastName: 'Adatum', email: uniqueEmail('ada', 'adatum') },
    ...(options.indirectResellerId ? { indirectResellerId: options.indirectResellerId } : {}),
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
