import { uniqueEmail } from '../data';
import { expectStatus } from '../http';
import { api, bearer } from '../system';
import type { RelationshipRequestSent } from './types';

/** Reseller relationship requests to customers (seed 001) through the API, as drafts. */

/** `POST /v1/customers/relationship-requests` (draft only) as `partner`; 201. */
export async function draftRelationshipRequest(
  partnerCaller: { token: string },
  body: { email?: string; delegatedAdmin?: boolean; indirectProviderId?: string } = {},
): Promise<RelationshipRequestSent> {
  return expectStatus<RelationshipRequestSent>(
    await api('relationships')
      .post('/v1/customers/relationship-requests')
      .set(bearer(partnerCaller.token))
      .send({
        email: body.email ?? uniqueEmail('admin', 'northwind'),
        delegatedAdmin: body.delegatedAdmin ?? false,
        ...(body.indirectProviderId ? { indirectProviderId: body.indirectProviderId } : {}),
        draftOnly: true,
      }),
    201,
  );
}

/** The customer's Global admin accepts a relationship request's token (Customer Agreement too). */
export async function acceptRelationship(
  customer: { token: string },
  token: string,
): Promise<void> {
  expectStatus(
    await api('relationships')
      .post('/v1/customers/relationship-requests/accept')
      .set(bearer(customer.token))
      .send({ token, acceptCustomerAgreement: true }),
    200,
  );
}
