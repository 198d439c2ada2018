import type { Response } from 'supertest';
import { uniqueName } from '../data';
import { dbRows } from '../database';
import { expectStatus } from '../http';
import {
  enrollPartner,
  signUpCustomer,
  type EnrolledPartner,
  type SignedUpCustomer,
} from '../identity/flows';
import {
  NO_RESOURCE,
  NO_TOKEN,
  provider,
  type CrossTenantCall,
  type RouteCall,
  type RouteFixture,
} from '../route-fixture';
import { api, bearer } from '../system';
import type { BaseWorld, World } from '../world';
import { createCustomer, newCustomerBody } from './customers';
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
    duration: 'P180D',
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

// --- route fixtures (test/e2e/support/relationships/route-fixtures.ts spreads them in)

/** The customer (tenant id) the world's provider created, with an active reseller relationship. */
export function worldCustomer(w: BaseWorld): string {
  return w.providerCustomer.companyProfile.tenantId;
}

/** A new relationship of the world's provider (created; locked for approval when `lock`). */
async function providerGdap(
  w: BaseWorld,
  lock = false,
): Promise<{ relationship: GdapRelationship; requestId: string | null }> {
  const relationship = await createGdap(w.provider.token, gdapBody(worldCustomer(w)));
  if (!lock) return { relationship, requestId: null };
  const request = expectStatus<GdapRequest>(
    await gdapRequest(w.provider.token, relationship.id, 'lockForApproval'),
    201,
  );
  return { relationship, requestId: request.id };
}

const sharedGdap = new WeakMap<BaseWorld, ReturnType<typeof providerGdap>>();
/** One locked relationship of the world's provider for the read-only calls. */
function sharedProviderGdap(w: BaseWorld): ReturnType<typeof providerGdap> {
  let built = sharedGdap.get(w);
  if (!built) {
    built = providerGdap(w, true);
    sharedGdap.set(w, built);
  }
  return built;
}

const otherGdaps = new WeakMap<
  World,
  Promise<{ relationship: GdapRelationship; requestId: string }>
>();
/**
 * Another organisation's relationship (its provider's, with its own customer, locked for approval):
 * every route answers 404 `gdap.relationship_not_found`, as for an id that exists nowhere, and the
 * row is unchanged.
 */
async function otherGdap(
  w: World,
  call: (ids: { id: string; requestId: string }) => RouteCall,
): Promise<CrossTenantCall> {
  let built = otherGdaps.get(w);
  if (!built) {
    built = (async () => {
      const relationship = await createGdap(
        w.other.provider.token,
        gdapBody(w.other.customer.companyProfile.tenantId),
      );
      const request = expectStatus<GdapRequest>(
        await gdapRequest(w.other.provider.token, relationship.id, 'lockForApproval'),
        201,
      );
      return { relationship, requestId: request.id };
    })();
    otherGdaps.set(w, built);
  }
  const { relationship, requestId } = await built;
  return {
    ...call({ id: relationship.id, requestId }),
    code: 'gdap.relationship_not_found',
    secrets: [relationship.id, requestId, relationship.displayName],
    watch: () =>
      dbRows(
        'relationships',
        'select status, version, display_name, duration, auto_extend_duration from delegated_admin_relationship where id = $1',
        [relationship.id],
      ),
  };
}

export const SAMPLE_ID = '00000000-0000-4000-8000-000000000000';

/** The route fixtures of the GDAP routes (issue 10 part 1). */
export const GDAP_ROUTE_FIXTURES: Record<string, RouteFixture> = {
  [`POST ${GDAP_PATH}`]: {
    caller: provider,
    status: 201,
    valid: (w) => Promise.resolve({ body: gdapBody(worldCustomer(w)) }),
    // Another partner's customer: refused as a tenant that exists nowhere.
    otherTenant: (w) => {
      const body = gdapBody(w.other.customer.companyProfile.tenantId);
      return Promise.resolve({
        body,
        status: 422,
        code: 'gdap.customer_not_found',
        secrets: [w.other.customer.companyProfile.tenantId],
        watch: () =>
          dbRows(
            'relationships',
            'select id from delegated_admin_relationship where display_name = $1',
            [body.displayName],
          ),
      });
    },
  },
  [`GET ${GDAP_PATH}`]: {
    caller: provider,
    status: 200,
    valid: () => Promise.resolve({ query: { $top: '5', $filter: "status eq 'created'" } }),
    otherTenant: NO_RESOURCE,
  },
  [`GET ${GDAP_PATH}/:id`]: {
    caller: provider,
    status: 200,
    valid: async (w) => ({ params: { id: (await sharedProviderGdap(w)).relationship.id } }),
    sample: () => ({ params: { id: SAMPLE_ID } }),
    otherTenant: (w) => otherGdap(w, ({ id }) => ({ params: { id } })),
  },
  [`PATCH ${GDAP_PATH}/:id`]: {
    caller: provider,
    status: 200,
    valid: async (w) => {
      const { relationship } = await providerGdap(w);
      return {
        params: { id: relationship.id },
        headers: { 'If-Match': relationship['@odata.etag'] },
        body: { duration: 'P60D' },
      };
    },
    sample: () => ({
      params: { id: SAMPLE_ID },
      headers: { 'If-Match': '*' },
      body: { duration: 'P60D' },
    }),
    otherTenant: (w) =>
      otherGdap(w, ({ id }) => ({
        params: { id },
        headers: { 'If-Match': '*' },
        body: { duration: 'P60D' },
      })),
  },
  [`DELETE ${GDAP_PATH}/:id`]: {
    caller: provider,
    status: 204,
    valid: async (w) => {
      const { relationship } = await providerGdap(w);
      return {
        params: { id: relationship.id },
        headers: { 'If-Match': relationship['@odata.etag'] },
      };
    },
    sample: () => ({ params: { id: SAMPLE_ID }, headers: { 'If-Match': '*' } }),
    otherTenant: (w) =>
      otherGdap(w, ({ id }) => ({ params: { id }, headers: { 'If-Match': '*' } })),
  },
  [`POST ${GDAP_PATH}/:id/requests`]: {
    caller: provider,
    status: 201,
    valid: async (w) => {
      const { relationship } = await providerGdap(w);
      return { params: { id: relationship.id }, body: { action: 'lockForApproval' } };
    },
    sample: () => ({ params: { id: SAMPLE_ID }, body: { action: 'lockForApproval' } }),
    otherTenant: (w) =>
      otherGdap(w, ({ id }) => ({ params: { id }, body: { action: 'terminate' } })),
  },
  [`GET ${GDAP_PATH}/:id/requests`]: {
    caller: provider,
    status: 200,
    valid: async (w) => ({ params: { id: (await sharedProviderGdap(w)).relationship.id } }),
    sample: () => ({ params: { id: SAMPLE_ID } }),
    otherTenant: (w) => otherGdap(w, ({ id }) => ({ params: { id } })),
  },
  [`GET ${GDAP_PATH}/:id/requests/:requestId`]: {
    caller: provider,
    status: 200,
    valid: async (w) => {
      const { relationship, requestId } = await sharedProviderGdap(w);
      return { params: { id: relationship.id, requestId: requestId! } };
    },
    sample: () => ({ params: { id: SAMPLE_ID, requestId: SAMPLE_ID } }),
    otherTenant: (w) => otherGdap(w, ({ id, requestId }) => ({ params: { id, requestId } })),
  },
};

export const CUSTOMERS_PATH = '/v1/tenantRelationships/delegatedAdminCustomers';

const gdapCustomers = new WeakMap<BaseWorld, Promise<{ tenantId: string; name: string }>>();
/**
 * A customer the world's provider created for the delegated-admin-customer fixtures, with one
 * relationship of the provider naming it: a customer that only the world's provider has a
 * relationship with (the co-partner of the shared-customer parties may create its own with the
 * world's `providerCustomer`, which would make it one of its delegated admin customers too).
 */
function providerGdapCustomer(w: BaseWorld): Promise<{ tenantId: string; name: string }> {
  let built = gdapCustomers.get(w);
  if (!built) {
    built = (async () => {
      const customer = await createCustomer(w.provider, newCustomerBody());
      const relationship = await createGdap(
        w.provider.token,
        gdapBody(customer.companyProfile.tenantId),
      );
      return {
        tenantId: customer.companyProfile.tenantId,
        name: relationship.customer?.displayName ?? '',
      };
    })();
    gdapCustomers.set(w, built);
  }
  return built;
}

/** The route fixtures of the delegated admin customers (issue 10). */
export const GDAP_CUSTOMER_ROUTE_FIXTURES: Record<string, RouteFixture> = {
  [`GET ${CUSTOMERS_PATH}`]: {
    caller: provider,
    status: 200,
    valid: () => Promise.resolve({ query: { $top: '5' } }),
    otherTenant: NO_RESOURCE,
  },
  [`GET ${CUSTOMERS_PATH}/:id`]: {
    caller: provider,
    status: 200,
    valid: async (w) => ({ params: { id: (await providerGdapCustomer(w)).tenantId } }),
    sample: () => ({ params: { id: SAMPLE_ID } }),
    // Another partner's delegated admin customer (its relationship, locked for approval): 404 as a
    // tenant that exists nowhere, nothing of it in the answer.
    otherTenant: async (w) => {
      const other = await otherGdap(w, () => ({}));
      const tenantId = w.other.customer.companyProfile.tenantId;
      return {
        params: { id: tenantId },
        code: 'gdap.delegated_admin_customer_not_found',
        secrets: [tenantId, w.other.customer.companyProfile.companyName, ...other.secrets],
        watch: other.watch,
      };
    },
  },
};

/** The approval link's page and its form (public: the token is the credential). */
export const GDAP_PUBLIC_ROUTES: Record<string, string> = {
  'GET /invitations/delegated-admin-relationship':
    'the emailed GDAP approval link (its token is the credential)',
  'POST /invitations/delegated-admin-relationship/decision':
    "its form: signs the customer's Global admin in",
};

export const GDAP_PUBLIC_SAMPLES: Record<string, (w: BaseWorld) => RouteCall> = {
  'GET /invitations/delegated-admin-relationship': () => ({ query: { token: NO_TOKEN } }),
  'POST /invitations/delegated-admin-relationship/decision': (w) => ({
    form: true,
    body: {
      token: NO_TOKEN,
      email: w.customer.email,
      password: 'Not-the-password-0',
      decision: 'approve',
    },
  }),
};
