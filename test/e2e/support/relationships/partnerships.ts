import { uniqueEmail } from '../data';
import { expectStatus } from '../http';
import { waitForAdminAccess } from '../identity/users';
import { tokenIn, waitForEmailCarrying, type ReceivedEmail } from '../maildev';
import { api, bearer } from '../system';
import type { Collection } from '../types';
import type {
  PartnerRelationship,
  PartnershipRequestSent,
  ReceivedPartnershipRequest,
  RelationshipType,
} from './types';
import type { Response } from 'supertest';

/**
 * The two-tier channel between partners, through the API and the delivered emails (or the draft's
 * link): an indirect provider's partnership request and an indirect reseller's authorization.
 */

/** A partnership request and the email it delivered. */
export interface SentPartnershipRequest {
  request: PartnershipRequestSent;
  email: ReceivedEmail;
}

/** `POST /v1/partnership-requests` (201, queued) and the delivered email (seed 002 step 2). */
export async function sendPartnershipRequest(
  provider: { token: string },
  to: string,
): Promise<SentPartnershipRequest> {
  const request = expectStatus<PartnershipRequestSent>(
    await api('relationships')
      .post('/v1/partnership-requests')
      .set(bearer(provider.token))
      .send({ email: to }),
    201,
  );
  expect(request.queued).toBe(true);
  return { request, email: await waitForEmailCarrying(to, request.draft.link) };
}

/** `POST /v1/partnership-requests/accept { token, authorize: true }`; 200 (seed 004 step 3). */
export async function acceptPartnership(
  reseller: { token: string },
  token: string,
): Promise<PartnerRelationship> {
  return expectStatus<PartnerRelationship>(
    await api('relationships')
      .post('/v1/partnership-requests/accept')
      .set(bearer(reseller.token))
      .send({ token, authorize: true }),
    200,
  );
}

/** Request by email, authorize with its token (seed 002 steps 2–4, seed 004 steps 1–3). */
export async function establishPartnership(
  provider: { token: string },
  reseller: { token: string; email: string },
): Promise<SentPartnershipRequest & { partnership: PartnerRelationship }> {
  const sent = await sendPartnershipRequest(provider, reseller.email);
  return { ...sent, partnership: await acceptPartnership(reseller, tokenIn(sent.email)) };
}

/** `GET /v1/relationships` of one type; 200 (seed 002 step 4 / seed 004 step 4: the lists). */
export async function partnerRelationships(
  token: string,
  type: RelationshipType,
): Promise<Collection<PartnerRelationship>> {
  return expectStatus<Collection<PartnerRelationship>>(
    await api('relationships')
      .get('/v1/relationships')
      .query({ relationship_type: type })
      .set(bearer(token)),
    200,
  );
}

/** The raw token of an invitation's draft link (the inviter's copy of the emailed link). */
export function tokenOfLink(link: string): string {
  const token = new URL(link).searchParams.get('token');
  if (!token) throw new Error(`The link ${link} carries no token.`);
  return token;
}

/** `POST /v1/partnership-requests { email, draftOnly: true }` as `provider`; 201. */
export async function draftPartnershipRequest(
  provider: { token: string },
  email = uniqueEmail('reseller', 'fabrikam'),
): Promise<PartnershipRequestSent> {
  return expectStatus<PartnershipRequestSent>(
    await api('relationships')
      .post('/v1/partnership-requests')
      .set(bearer(provider.token))
      .send({ email, draftOnly: true }),
    201,
  );
}

/**
 * A partnership between `provider` and `reseller` through the API (the request's draft link, then
 * the reseller's authorization), and the administrator access it grants, awaited.
 */
export async function partner(
  provider: { token: string },
  reseller: { token: string; email: string; tenantId: string },
): Promise<PartnerRelationship> {
  const sent = await draftPartnershipRequest(provider, reseller.email);
  const accepted = expectStatus<PartnerRelationship>(
    await api('relationships')
      .post('/v1/partnership-requests/accept')
      .set(bearer(reseller.token))
      .send({ token: tokenOfLink(sent.draft.link), authorize: true }),
    200,
  );
  await waitForAdminAccess(provider, reseller.tenantId);
  return accepted;
}

/** `GET /v1/partnership-requests/received` as `token` with `query` (the raw answer). */
export async function getReceivedPartnershipRequests(
  token: string,
  query: Record<string, string> = {},
): Promise<Response> {
  const response = await api('relationships')
    .get('/v1/partnership-requests/received')
    .query(query)
    .set(bearer(token));
  return response;
}

/** `GET /v1/partnership-requests/received`; 200 (seed 004: the requests addressed to the caller). */
export async function receivedPartnershipRequests(
  token: string,
  query: Record<string, string> = {},
): Promise<Collection<ReceivedPartnershipRequest>> {
  return expectStatus<Collection<ReceivedPartnershipRequest>>(
    await getReceivedPartnershipRequests(token, query),
    200,
  );
}

/** `POST /v1/partnership-requests/received/{id}/accept` with `body` (the raw answer). */
export async function acceptReceivedPartnership(
  token: string,
  id: string,
  body: unknown = { authorize: true },
): Promise<Response> {
  const response = await api('relationships')
    .post(`/v1/partnership-requests/received/${id}/accept`)
    .set(bearer(token))
    .send(body as object);
  return response;
}
