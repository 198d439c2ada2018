import type { Response } from 'supertest';
import { uniqueName } from '../data';
import { expectStatus } from '../http';
import {
  enrollPartner,
  signUpCustomer,
  type EnrolledPartner,
  type SignedUpCustomer,
} from '../identity/flows';
import { api, bearer } from '../system';
import { tokenOfLink } from './partnerships';
import { acceptRelationship, draftRelationshipRequest } from './relationship-requests';

/**
 * Granular delegated admin relationships (issue 10 part 1) through the API: the Graph-shaped
 * routes under {@link GDAP_PATH}, answers and errors in Graph's format.
 */

export const GDAP_PATH = '/v1/tenantRelationships/delegatedAdminRelationships';

/** Entra role template ids (the six the platform supports). */
export const ROLE = {
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  userAdministrator: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  helpdeskAdministrator: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  directoryReaders: '88d8e3e3-8f55-4a1e-953a-9b9898b8876b',
  licenseAdministrator: '4d6ac14f-3453-41d0-bef9-a3e0c569773a',
  billingAdministrator: 'b0f54661-2d74-4c50-afa3-1ec803f12efe',
} as const;

export interface GdapRelationship {
  '@odata.etag': string;
  id: string;
  displayName: string;
  duration: string;
  customer: { tenantId: string; displayName: string } | null;
  accessDetails: { unifiedRoles: { roleDefinitionId: string }[] };
  status: string;
  autoExtendDuration: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  activatedDateTime: string | null;
  endDateTime: string | null;
}

export interface GdapRequest {
  id: string;
  action: string;
  status: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
}

/** A partner and a customer (signed up on its own) with an active reseller relationship. */
export interface GdapChannel {
  partner: EnrolledPartner;
  customer: SignedUpCustomer;
}

/** The customer accepts `partner`'s reseller relationship request (seed 001). */
export async function relateCustomer(
  partner: EnrolledPartner,
  customer: SignedUpCustomer,
): Promise<void> {
  const sent = await draftRelationshipRequest(partner, { email: customer.email });
  await acceptRelationship(customer, tokenOfLink(sent.draft.link));
}

/** A new direct partner with a new signed-up customer it has a reseller relationship with. */
export async function gdapChannel(customer?: SignedUpCustomer): Promise<GdapChannel> {
  const [partner, own] = await Promise.all([
    enrollPartner({ partnerType: 'direct', name: uniqueName('Fabrikam') }),
    customer
      ? Promise.resolve(customer)
      : signUpCustomer({ companyName: uniqueName('Northwind Traders') }),
  ]);
  await relateCustomer(partner, own);
  return { partner, customer: own };
}

let names = 0;
/** A display name unique within this run (≤ 50 characters). */
export function gdapName(prefix = 'GDAP'): string {
  names += 1;
  return `${prefix} ${process.pid}-${Date.now() % 1e6}-${names}`.slice(0, 50);
}

/** A valid create body for `customerTenantId`. */
export function gdapBody(
  customerTenantId: string | undefined,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    displayName: gdapName(),
    duration: 'P30D',
    ...(customerTenantId ? { customer: { tenantId: customerTenantId } } : {}),
    accessDetails: { unifiedRoles: [{ roleDefinitionId: ROLE.userAdministrator }] },
    ...overrides,
  };
}

/** `POST` as `token`; 201. */
export async function createGdap(
  token: string,
  body: Record<string, unknown>,
): Promise<GdapRelationship> {
  return expectStatus<GdapRelationship>(
    await api('relationships').post(GDAP_PATH).set(bearer(token)).send(body),
    201,
  );
}

/** `POST …/{id}/requests { action }` as `token` (raw response). */
export function gdapRequest(token: string, id: string, action: string) {
  return api('relationships')
    .post(`${GDAP_PATH}/${id}/requests`)
    .set(bearer(token))
    .send({ action });
}

/** `GET …/{id}` as `token`; 200. */
export async function getGdap(token: string, id: string): Promise<GdapRelationship> {
  return expectStatus<GdapRelationship>(
    await api('relationships').get(`${GDAP_PATH}/${id}`).set(bearer(token)),
    200,
  );
}

/** Created, locked and approved: an active relationship. */
export async function activeGdap(
  channel: GdapChannel,
  overrides: Record<string, unknown> = {},
): Promise<GdapRelationship> {
  const created = await createGdap(
    channel.partner.token,
    gdapBody(channel.customer.tenantId, overrides),
  );
  expectStatus(await gdapRequest(channel.partner.token, created.id, 'lockForApproval'), 201);
  expectStatus(await gdapRequest(channel.customer.token, created.id, 'approve'), 201);
  return getGdap(channel.partner.token, created.id);
}

/**
 * Expects Graph's error format with `status` and the error name `code`:
 * `{ error: { code, message, innerError: { "request-id", date } } }`.
 */
export function expectGraphError(response: Response, status: number, code: string): void {
  expect({ status: response.status, body: response.body as unknown }).toMatchObject({
    status,
    body: { error: { code } },
  });
  const body = response.body as { error: Record<string, unknown> };
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).sort()).toEqual(['code', 'innerError', 'message']);
  expect(body.error.message).toEqual(expect.any(String));
  expect(body.error.innerError).toEqual({
    'request-id': expect.any(String) as unknown,
    date: expect.any(String) as unknown,
  });
}
