import { dbRows } from '../database';
import { enrollPartner, signUpCustomer } from '../identity/flows';
import {
  NO_RESOURCE,
  NO_TOKEN,
  customer,
  provider,
  reseller,
  type CrossTenantCall,
  type RouteCall,
  type RouteFixture,
} from '../route-fixture';
import { uniqueEmail } from '../data';
import type { BaseWorld, World } from '../world';
import {
  OFFER_ID,
  billingProfileOf,
  createCustomer,
  customerAgreementBody,
  newCustomerBody,
  subscriptionEtag,
} from './customers';
import { draftPartnershipRequest, partner, tokenOfLink } from './partnerships';
import {
  GDAP_CUSTOMER_ROUTE_FIXTURES,
  GDAP_PUBLIC_ROUTES,
  GDAP_PUBLIC_SAMPLES,
  GDAP_ROUTE_FIXTURES,
} from './gdap';
import { GDAP_ACCESS_ROUTE_FIXTURES } from './gdap-access';
import { acceptRelationship, draftRelationshipRequest } from './relationship-requests';
import {
  REFUSING_URL,
  failedWebhookDelivery,
  registerEndpoint,
  updateEndpoint,
  waitForDelivery,
} from './webhooks';

/**
 * Relationships' part of the route tables (test/e2e/support/route-fixtures.ts): how to call each of
 * its protected routes, its public routes (the invitation pages) and their samples, its pages.
 */

async function invitationRow(id: string): Promise<unknown> {
  return dbRows('relationships', 'select status, token_hash from invitation where id = $1', [id]);
}

/** A new webhook endpoint of `token`'s organisation (its deliveries fail fast). */
async function ownEndpoint(token: string): Promise<string> {
  const endpoint = await registerEndpoint(token, {
    url: REFUSING_URL,
    eventTypes: ['webhook_endpoint.updated'],
  });
  return endpoint.id;
}

/**
 * One endpoint per organisation for the calls that leave it in place (an organisation holds at
 * most 20, and the matrix and the fuzz run call these routes many times).
 */
const sharedEndpoints = new Map<string, Promise<string>>();
function sharedEndpoint(token: string): Promise<string> {
  let endpoint = sharedEndpoints.get(token);
  if (!endpoint) {
    endpoint = ownEndpoint(token);
    sharedEndpoints.set(token, endpoint);
  }
  return endpoint;
}

/** A failed delivery of a new endpoint of `token`'s organisation (given up fast). */
async function newFailedDelivery(token: string): Promise<{ id: string; deliveryId: string }> {
  const { endpoint, delivery } = await failedWebhookDelivery(token);
  return { id: endpoint.id, deliveryId: delivery.id };
}

/** The other organisation's endpoint and one delivery of it, built once per world. */
const otherEndpoints = new WeakMap<World, Promise<{ endpointId: string; deliveryId: string }>>();

/**
 * Another organisation's webhook endpoint (path `:id`) and one of its deliveries (`:deliveryId`):
 * 404 `webhook_endpoint.not_found`, the endpoint and that delivery unchanged.
 */
async function otherEndpoint(w: World, body?: Record<string, unknown>): Promise<CrossTenantCall> {
  let built = otherEndpoints.get(w);
  if (!built) {
    built = (async () => {
      const token = w.other.provider.token;
      const endpointId = await ownEndpoint(token);
      await updateEndpoint(token, endpointId, { description: 'theirs' });
      const delivery = await waitForDelivery(token, endpointId, "the other's delivery", (d) =>
        ['failed'].includes(d.status),
      );
      return { endpointId, deliveryId: delivery.id };
    })();
    otherEndpoints.set(w, built);
  }
  const { endpointId, deliveryId } = await built;
  return {
    params: { id: endpointId, deliveryId },
    ...(body ? { body } : {}),
    code: 'webhook_endpoint.not_found',
    secrets: [endpointId, deliveryId, REFUSING_URL, 'theirs'],
    watch: () =>
      dbRows(
        'relationships',
        `select e.url, e.event_types, e.description, e.enabled, e.secret_sealed, d.status, d.run
           from webhook_endpoint e join webhook_delivery d on d.id = $2 and d.endpoint_id = e.id
          where e.id = $1`,
        [endpointId, deliveryId],
      ),
  };
}

/** How to call the webhook routes (issue 14 "Signed events"); Global admins only. */
const WEBHOOK_ROUTE_FIXTURES: Record<string, RouteFixture> = {
  'POST /v1/webhook-endpoints': {
    caller: provider,
    status: 201,
    valid: () =>
      Promise.resolve({
        body: {
          url: 'https://hooks.fabrikam.example/channel',
          eventTypes: ['subscription.updated'],
        },
      }),
    otherTenant: NO_RESOURCE,
  },
  'GET /v1/webhook-endpoints': {
    caller: provider,
    status: 200,
    valid: () => Promise.resolve({}),
    otherTenant: NO_RESOURCE,
  },
  'GET /v1/webhook-endpoints/:id': {
    caller: customer,
    status: 200,
    valid: async (w) => ({ params: { id: await sharedEndpoint(w.customer.token) } }),
    sample: () => ({ params: { id: '00000000-0000-4000-8000-000000000000' } }),
    otherTenant: (w) => otherEndpoint(w),
  },
  'PATCH /v1/webhook-endpoints/:id': {
    caller: provider,
    status: 200,
    valid: async (w) => ({
      params: { id: await sharedEndpoint(w.provider.token) },
      body: { description: 'billing', enabled: true },
    }),
    sample: () => ({
      params: { id: '00000000-0000-4000-8000-000000000000' },
      body: { description: 'billing' },
    }),
    otherTenant: (w) => otherEndpoint(w, { enabled: false }),
  },
  'DELETE /v1/webhook-endpoints/:id': {
    caller: provider,
    status: 204,
    valid: async (w) => ({ params: { id: await ownEndpoint(w.provider.token) } }),
    sample: () => ({ params: { id: '00000000-0000-4000-8000-000000000000' } }),
    otherTenant: (w) => otherEndpoint(w),
  },
  'POST /v1/webhook-endpoints/:id/secret-rotations': {
    caller: provider,
    status: 201,
    valid: async (w) => ({ params: { id: await sharedEndpoint(w.provider.token) } }),
    sample: () => ({ params: { id: '00000000-0000-4000-8000-000000000000' } }),
    otherTenant: (w) => otherEndpoint(w),
  },
  'GET /v1/webhook-endpoints/:id/deliveries': {
    caller: provider,
    status: 200,
    valid: async (w) => ({ params: { id: await sharedEndpoint(w.provider.token) } }),
    sample: () => ({ params: { id: '00000000-0000-4000-8000-000000000000' } }),
    otherTenant: (w) => otherEndpoint(w),
  },
  'GET /v1/webhook-endpoints/:id/deliveries/:deliveryId': {
    caller: provider,
    status: 200,
    valid: async (w) => ({ params: await newFailedDelivery(w.provider.token) }),
    sample: () => ({
      params: {
        id: '00000000-0000-4000-8000-000000000000',
        deliveryId: '00000000-0000-4000-8000-000000000001',
      },
    }),
    otherTenant: (w) => otherEndpoint(w),
  },
  'POST /v1/webhook-endpoints/:id/deliveries/:deliveryId/replays': {
    caller: provider,
    status: 201,
    valid: async (w) => ({ params: await newFailedDelivery(w.provider.token) }),
    sample: () => ({
      params: {
        id: '00000000-0000-4000-8000-000000000000',
        deliveryId: '00000000-0000-4000-8000-000000000001',
      },
    }),
    otherTenant: (w) => otherEndpoint(w),
  },
};

/** How to call each protected route of relationships (see `RouteFixture`). */
export const RELATIONSHIPS_ROUTE_FIXTURES: Record<string, RouteFixture> = {
  ...GDAP_ROUTE_FIXTURES,
  ...GDAP_ACCESS_ROUTE_FIXTURES,
  ...GDAP_CUSTOMER_ROUTE_FIXTURES,
  'GET /v1/activity-logs': {
    caller: provider,
    status: 200,
    valid: () => Promise.resolve({}),
    otherTenant: NO_RESOURCE,
  },
  'GET /v1/activity-logs/export': {
    caller: provider,
    status: 200,
    valid: () => Promise.resolve({}),
    otherTenant: NO_RESOURCE,
  },
  'GET /v1/customer-activity-logs': {
    caller: customer,
    status: 200,
    valid: () => Promise.resolve({}),
    otherTenant: NO_RESOURCE,
  },
  'GET /v1/offers': {
    caller: provider,
    status: 200,
    valid: () => Promise.resolve({}),
    otherTenant: NO_RESOURCE,
  },
  'GET /v1/partners': {
    caller: customer,
    status: 200,
    valid: () => Promise.resolve({}),
    otherTenant: NO_RESOURCE,
  },
  'DELETE /v1/partners/:partnerId/delegated-admin': {
    caller: customer,
    status: 200,
    // A customer of its own accepts the reseller's request with delegated admin privileges.
    valid: async (w) => {
      const own = await signUpCustomer();
      const sent = await draftRelationshipRequest(w.reseller, {
        email: own.email,
        delegatedAdmin: true,
      });
      await acceptRelationship(own, tokenOfLink(sent.draft.link));
      return { token: own.token, params: { partnerId: w.reseller.tenantId } };
    },
    sample: (w) => ({ params: { partnerId: w.reseller.tenantId } }),
    otherTenant: (w) =>
      Promise.resolve({
        params: { partnerId: w.other.provider.tenantId },
        code: 'delegated_admin.not_found',
        secrets: [w.other.provider.tenantId, w.other.provider.name, w.other.provider.mpnId],
        watch: () =>
          dbRows(
            'relationships',
            'select status, delegated_admin_status from reseller_relationship where partner_tenant_id = $1',
            [w.other.provider.tenantId],
          ),
      }),
  },
  'GET /v1/customer-subscriptions': {
    caller: customer,
    status: 200,
    valid: () => Promise.resolve({}),
    otherTenant: NO_RESOURCE,
  },
  'GET /v1/customers': {
    caller: provider,
    status: 200,
    valid: () => Promise.resolve({}),
    otherTenant: NO_RESOURCE,
  },
  'POST /v1/customers': {
    caller: provider,
    status: 201,
    valid: (w) =>
      Promise.resolve({ body: newCustomerBody({ indirectResellerId: w.reseller.tenantId }) }),
    // Naming another provider's reseller: refused as "no partnership" (seed 002), nothing written.
    otherTenant: (w) => {
      const body = newCustomerBody({ indirectResellerId: w.other.reseller.tenantId });
      return Promise.resolve({
        body,
        status: 422,
        code: 'partnership.required',
        secrets: [w.other.reseller.tenantId, w.other.reseller.name, w.other.reseller.mpnId],
        watch: () =>
          dbRows('relationships', 'select id from customer where company_name = $1', [
            body.billingProfile.companyName,
          ]),
      });
    },
  },
  'GET /v1/customers/:id': {
    caller: provider,
    status: 200,
    valid: (w) => Promise.resolve({ params: { id: w.providerCustomer.id } }),
    otherTenant: (w) => otherCustomer(w),
  },
  'PATCH /v1/customers/:id': {
    caller: provider,
    status: 200,
    // Without subscriptions: active ones block the removal (409, test/e2e/relationships/
    // relationship-removal.e2e-spec.ts).
    valid: async (w) => ({
      params: {
        id: (
          await createCustomer(
            w.provider,
            newCustomerBody({ indirectResellerId: w.reseller.tenantId, subscriptions: [] }),
          )
        ).id,
      },
      body: { relationshipToPartner: 'none' },
    }),
    otherTenant: async (w) => ({
      ...(await otherCustomer(w)),
      body: { relationshipToPartner: 'none' },
    }),
  },
  'GET /v1/customers/:id/profiles/company': {
    caller: provider,
    status: 200,
    valid: (w) => Promise.resolve({ params: { id: w.providerCustomer.id } }),
    otherTenant: (w) => otherCustomer(w),
  },
  'GET /v1/customers/:id/profiles/billing': {
    caller: provider,
    status: 200,
    valid: (w) => Promise.resolve({ params: { id: w.providerCustomer.id } }),
    otherTenant: (w) => otherCustomer(w),
  },
  'PUT /v1/customers/:id/profiles/billing': {
    caller: provider,
    status: 200,
    valid: async (w) => ({
      params: { id: w.providerCustomer.id },
      headers: {
        'If-Match': `"${(await billingProfileOf(w.provider, w.providerCustomer.id)).attributes.etag}"`,
      },
      body: newCustomerBody().billingProfile,
    }),
    sample: (w) => ({
      params: { id: w.providerCustomer.id },
      headers: { 'If-Match': '"stale"' },
      body: newCustomerBody().billingProfile,
    }),
    otherTenant: async (w) => ({
      ...(await otherCustomer(w)),
      headers: {
        'If-Match': `"${(await billingProfileOf(w.other.provider, w.other.customer.id)).attributes.etag}"`,
      },
      body: newCustomerBody().billingProfile,
    }),
  },
  'GET /v1/agreements': {
    caller: provider,
    status: 200,
    valid: () => Promise.resolve({ query: { agreementType: 'MicrosoftCustomerAgreement' } }),
    otherTenant: { none: 'the Customer Agreement template: the same for every partner' },
  },
  'GET /v1/customers/:id/agreements': {
    caller: provider,
    status: 200,
    valid: (w) => Promise.resolve({ params: { id: w.providerCustomer.id } }),
    otherTenant: (w) => otherCustomer(w),
  },
  'POST /v1/customers/:id/agreements': {
    caller: provider,
    status: 201,
    valid: (w) =>
      Promise.resolve({
        params: { id: w.providerCustomer.id },
        body: customerAgreementBody(),
      }),
    otherTenant: async (w) => {
      const other = await otherCustomer(w);
      const id = w.other.customer.id;
      return {
        ...other,
        body: customerAgreementBody(),
        watch: () =>
          dbRows(
            'relationships',
            'select id from customer_agreement where customer_id = $1 order by id',
            [id],
          ),
      };
    },
  },
  'GET /v1/customers/relationshiprequests': {
    caller: reseller,
    status: 200,
    valid: () => Promise.resolve({}),
    otherTenant: NO_RESOURCE,
  },
  'POST /v1/customers/relationshiprequests/rotate': {
    caller: reseller,
    status: 200,
    valid: () => Promise.resolve({}),
    otherTenant: NO_RESOURCE,
  },
  'GET /v1/customers/:id/relationships': {
    caller: provider,
    status: 200,
    valid: (w) => Promise.resolve({ params: { id: w.providerCustomer.id } }),
    otherTenant: (w) => otherCustomer(w),
  },
  'GET /v1/customers/:customerId/subscriptions': {
    caller: provider,
    status: 200,
    valid: (w) => Promise.resolve({ params: { customerId: w.providerCustomer.id } }),
    otherTenant: async (w) => {
      const other = await otherCustomer(w);
      return { ...other, params: { customerId: w.other.customer.id } };
    },
  },
  'POST /v1/customers/:customerId/subscriptions': {
    caller: provider,
    status: 201,
    valid: (w) =>
      Promise.resolve({
        params: { customerId: w.providerCustomer.id },
        body: { offerId: OFFER_ID, quantity: 3 },
      }),
    otherTenant: async (w) => {
      const other = await otherCustomer(w);
      return {
        ...other,
        params: { customerId: w.other.customer.id },
        body: { offerId: OFFER_ID, quantity: 3 },
      };
    },
  },
  'GET /v1/customers/:customerId/subscriptions/:subscriptionId': {
    caller: provider,
    status: 200,
    valid: (w) =>
      Promise.resolve({
        params: {
          customerId: w.providerCustomer.id,
          subscriptionId: w.providerCustomer.subscriptions[0].id,
        },
      }),
    otherTenant: (w) => otherSubscription(w),
  },
  'GET /v1/customers/:customerId/subscriptions/:subscriptionId/supportcontact': {
    caller: provider,
    status: 200,
    valid: (w) =>
      Promise.resolve({
        params: {
          customerId: w.providerCustomer.id,
          subscriptionId: w.providerCustomer.subscriptions[0].id,
        },
      }),
    otherTenant: (w) => otherSubscription(w),
  },
  'PUT /v1/customers/:customerId/subscriptions/:subscriptionId/supportcontact': {
    caller: provider,
    status: 200,
    valid: (w) =>
      Promise.resolve({
        params: {
          customerId: w.providerCustomer.id,
          subscriptionId: w.providerCustomer.subscriptions[0].id,
        },
        body: { supportTenantId: w.reseller.tenantId },
      }),
    otherTenant: async (w) => ({
      ...(await otherSubscription(w)),
      body: { supportTenantId: w.other.reseller.tenantId },
    }),
  },
  'PATCH /v1/customers/:customerId/subscriptions/:subscriptionId': {
    caller: provider,
    status: 200,
    valid: async (w) => {
      const customerId = w.providerCustomer.id;
      const subscriptionId = w.providerCustomer.subscriptions[0].id;
      return {
        params: { customerId, subscriptionId },
        headers: {
          'If-Match': await subscriptionEtag(w.provider.token, customerId, subscriptionId),
        },
        body: { quantity: 12 },
      };
    },
    sample: (w) => ({
      params: {
        customerId: w.providerCustomer.id,
        subscriptionId: w.providerCustomer.subscriptions[0].id,
      },
      headers: { 'If-Match': '*' },
      body: { quantity: 12 },
    }),
    otherTenant: async (w) => {
      const other = await otherCustomer(w);
      const subscription = w.other.customer.subscriptions[0];
      return {
        ...other,
        params: { customerId: w.other.customer.id, subscriptionId: subscription.id },
        body: { quantity: 99 },
        secrets: [...other.secrets, subscription.id],
        watch: () =>
          dbRows('relationships', 'select quantity, status from subscription where id = $1', [
            subscription.id,
          ]),
      };
    },
  },
  'GET /v1/customers/relationship-requests': {
    caller: reseller,
    status: 200,
    valid: () => Promise.resolve({}),
    otherTenant: NO_RESOURCE,
  },
  'POST /v1/customers/relationship-requests': {
    caller: reseller,
    status: 201,
    valid: () =>
      Promise.resolve({
        body: {
          email: uniqueEmail('admin', 'northwind'),
          delegatedAdmin: false,
          draftOnly: true,
        },
      }),
    // A joint request with another organisation's indirect provider: no partnership (seed 000).
    otherTenant: (w) => {
      const email = uniqueEmail('admin', 'northwind');
      return Promise.resolve({
        body: {
          email,
          delegatedAdmin: true,
          indirectProviderId: w.other.provider.tenantId,
          draftOnly: true,
        },
        status: 422,
        code: 'partnership.required',
        secrets: [w.other.provider.tenantId, w.other.provider.name, w.other.provider.mpnId],
        watch: () => dbRows('relationships', 'select id from invitation where email = $1', [email]),
      });
    },
  },
  'POST /v1/customers/relationship-requests/accept': {
    caller: customer,
    status: 200,
    valid: async (w) => {
      const own = await signUpCustomer();
      const sent = await draftRelationshipRequest(w.reseller, { email: own.email });
      return {
        token: own.token,
        body: { token: tokenOfLink(sent.draft.link), acceptCustomerAgreement: true },
      };
    },
    sample: () => ({ body: { token: 'x'.repeat(43), acceptCustomerAgreement: true } }),
    // Another organisation's request (sent to an address of another organisation), its link
    // forwarded: refused, and the invitation stays pending for its invitee.
    otherTenant: (w) =>
      forwardedInvitation(w.other.relationshipRequest, {
        acceptCustomerAgreement: true,
      }),
  },
  'DELETE /v1/customers/relationship-requests/:id': {
    caller: reseller,
    status: 200,
    valid: async (w) => ({ params: { id: (await draftRelationshipRequest(w.reseller)).id } }),
    otherTenant: (w) => otherRelationshipRequest(w),
  },
  'POST /v1/customers/relationship-requests/:id/resend': {
    caller: reseller,
    status: 200,
    valid: async (w) => ({
      params: { id: (await draftRelationshipRequest(w.reseller)).id },
      body: { draftOnly: true },
    }),
    otherTenant: async (w) => ({
      ...(await otherRelationshipRequest(w)),
      body: { draftOnly: true },
    }),
  },
  'GET /v1/partnership-requests': {
    caller: provider,
    status: 200,
    valid: () => Promise.resolve({}),
    otherTenant: NO_RESOURCE,
  },
  'POST /v1/partnership-requests': {
    caller: provider,
    status: 201,
    valid: () =>
      Promise.resolve({ body: { email: uniqueEmail('admin', 'fabrikam'), draftOnly: true } }),
    otherTenant: NO_RESOURCE,
  },
  'POST /v1/partnership-requests/accept': {
    caller: reseller,
    status: 200,
    valid: async (w) => {
      const own = await enrollPartner({ partnerType: 'indirect_reseller' });
      const sent = await draftPartnershipRequest(w.provider, own.email);
      return { token: own.token, body: { token: tokenOfLink(sent.draft.link), authorize: true } };
    },
    sample: () => ({ body: { token: 'x'.repeat(43), authorize: true } }),
    otherTenant: (w) => forwardedInvitation(w.other.partnershipRequest, { authorize: true }),
  },
  'GET /v1/partnership-requests/received': {
    caller: reseller,
    status: 200,
    valid: () => Promise.resolve({ query: { status: 'pending', size: '10' } }),
    otherTenant: NO_RESOURCE,
  },
  'POST /v1/partnership-requests/received/:id/accept': {
    caller: reseller,
    status: 200,
    valid: async (w) => {
      const own = await enrollPartner({ partnerType: 'indirect_reseller' });
      const sent = await draftPartnershipRequest(w.provider, own.email);
      return { token: own.token, params: { id: sent.id }, body: { authorize: true } };
    },
    sample: () => ({ params: { id: NO_ID }, body: { authorize: true } }),
    // Another provider's request to another organisation's address: 404 as an unknown id (an id,
    // unlike the emailed token, is no credential), the request unchanged.
    otherTenant: async (w) => ({
      ...(await otherPartnershipRequest(w)),
      body: { authorize: true },
    }),
  },
  'DELETE /v1/partnership-requests/:id': {
    caller: provider,
    status: 204,
    valid: async (w) => ({ params: { id: (await draftPartnershipRequest(w.provider)).id } }),
    otherTenant: (w) => otherPartnershipRequest(w),
  },
  'POST /v1/partnership-requests/:id/resend': {
    caller: provider,
    status: 200,
    valid: async (w) => ({
      params: { id: (await draftPartnershipRequest(w.provider)).id },
      body: { draftOnly: true },
    }),
    otherTenant: async (w) => ({
      ...(await otherPartnershipRequest(w)),
      body: { draftOnly: true },
    }),
  },
  'GET /v1/relationships': {
    caller: provider,
    status: 200,
    valid: () =>
      Promise.resolve({ query: { relationship_type: 'IsIndirectCloudSolutionProviderOf' } }),
    otherTenant: NO_RESOURCE,
  },
  'DELETE /v1/relationships/:partnerTenantId': {
    caller: provider,
    status: 204,
    valid: async (w) => {
      const own = await enrollPartner({ partnerType: 'indirect_reseller' });
      await partner(w.provider, own);
      return { params: { partnerTenantId: own.tenantId }, body: { confirm: true } };
    },
    sample: (w) => ({
      params: { partnerTenantId: w.reseller.tenantId },
      body: { confirm: true },
    }),
    otherTenant: (w) =>
      Promise.resolve({
        params: { partnerTenantId: w.other.reseller.tenantId },
        body: { confirm: true },
        code: 'partnership.not_found',
        secrets: [w.other.reseller.tenantId, w.other.reseller.name, w.other.reseller.mpnId],
        watch: () =>
          dbRows('relationships', 'select status from partnership where reseller_tenant_id = $1', [
            w.other.reseller.tenantId,
          ]),
      }),
  },
  ...WEBHOOK_ROUTE_FIXTURES,
};

/** Another provider's customer (path `:id`), its data, and its relationship rows. */
function otherCustomer(w: World): Promise<CrossTenantCall> {
  const customer = w.other.customer;
  return Promise.resolve({
    params: { id: customer.id },
    code: 'customer.not_found',
    secrets: [
      customer.id,
      customer.companyProfile.companyName,
      customer.companyProfile.domain,
      w.other.customer.userCredentials.userName,
    ],
    watch: () =>
      dbRows(
        'relationships',
        'select partner_tenant_id, status, delegated_admin_status from reseller_relationship where customer_id = $1 order by partner_tenant_id',
        [customer.id],
      ),
  });
}

/**
 * Another organisation's customer's subscription (path `:customerId`, `:subscriptionId`): 404
 * `customer.not_found` as for an unknown customer, the subscription unchanged.
 */
async function otherSubscription(w: World): Promise<CrossTenantCall> {
  const other = await otherCustomer(w);
  const subscription = w.other.customer.subscriptions[0];
  return {
    ...other,
    params: { customerId: w.other.customer.id, subscriptionId: subscription.id },
    headers: { 'If-Match': '*' },
    secrets: [...other.secrets, subscription.id],
    watch: () =>
      dbRows(
        'relationships',
        'select quantity, status, version, designated_support_contact_id from subscription where id = $1',
        [subscription.id],
      ),
  };
}

/**
 * Another organisation's pending invitation, sent to an address the caller's organisation does not
 * hold, whose token the caller got hold of (a forwarded link): 403 `invitation.wrong_organization`
 * (the token names the invitation; there is no id to swap), the invitation unchanged.
 */
function forwardedInvitation(
  sent: { id: string; email: string; draft: { link: string } },
  fields: Record<string, unknown>,
): Promise<CrossTenantCall> {
  return Promise.resolve({
    body: { token: tokenOfLink(sent.draft.link), ...fields },
    status: 403,
    code: 'invitation.wrong_organization',
    secrets: [sent.id, sent.email],
    watch: () => invitationRow(sent.id),
  });
}

/** Another reseller's pending relationship request. */
function otherRelationshipRequest(w: World): Promise<CrossTenantCall> {
  const sent = w.other.relationshipRequest;
  return Promise.resolve({
    params: { id: sent.id },
    code: 'invitation.not_found',
    secrets: [sent.id, sent.email, tokenOfLink(sent.draft.link)],
    watch: () => invitationRow(sent.id),
  });
}

/** An id no invitation has. */
const NO_ID = '00000000-0000-4000-8000-000000000000';

/** Another provider's pending partnership request. */
function otherPartnershipRequest(w: World): Promise<CrossTenantCall> {
  const sent = w.other.partnershipRequest;
  return Promise.resolve({
    params: { id: sent.id },
    code: 'invitation.not_found',
    secrets: [sent.id, sent.email, tokenOfLink(sent.draft.link)],
    watch: () => invitationRow(sent.id),
  });
}

/**
 * The public routes of relationships (no token), each with why it is public. A route that becomes public
 * must be added here consciously; the matrix fails on any other.
 */
export const RELATIONSHIPS_PUBLIC_ROUTES: Record<string, string> = {
  'GET /health': 'health check for orchestrators',
  'GET /health/live': 'liveness probe of orchestrators (the process serves HTTP)',
  'GET /health/ready': 'readiness probe of orchestrators and load balancers (database and Redis)',
  'GET /metrics': 'Prometheus scrape from the operator network (counts and latencies only)',
  'GET /invitations/partnership': 'the emailed partnership link (its token is the credential)',
  'POST /invitations/partnership/accept': 'its form: signs the reseller in with email and password',
  'GET /invitations/reseller-relationship': 'the emailed relationship link',
  'POST /invitations/reseller-relationship/accept': "its form: signs the customer's admin in",
  ...GDAP_PUBLIC_ROUTES,
  'POST /invitations/reseller-relationship/partner-link/accept':
    "a partner's reusable link's form: signs the customer's Global admin in",
  'GET /agreements/customer-agreement/:version':
    "the Customer Agreement's text, linked from the agreement metadata and the acceptance pages",
  'POST /invitations/reseller-relationship/sign-up':
    "the relationship page's second form: an invitee without an account creates it (identity signs it up)",
};

/**
 * A representative call of each public route of relationships, for the fuzzer to mutate (built from the
 * shared world without preparation). A public route without one is fuzzed from an empty call.
 */
export const RELATIONSHIPS_PUBLIC_SAMPLES: Record<string, (w: BaseWorld) => RouteCall> = {
  ...GDAP_PUBLIC_SAMPLES,
  'GET /invitations/partnership': () => ({ query: { token: NO_TOKEN } }),
  'POST /invitations/partnership/accept': (w) => ({
    form: true,
    body: {
      token: NO_TOKEN,
      email: w.reseller.email,
      password: 'Not-the-password-0',
      authorize: 'true',
    },
  }),
  'GET /invitations/reseller-relationship': () => ({ query: { token: NO_TOKEN } }),
  'POST /invitations/reseller-relationship/accept': (w) => ({
    form: true,
    body: {
      token: NO_TOKEN,
      email: w.customer.email,
      password: 'Not-the-password-0',
      acceptCustomerAgreement: 'true',
    },
  }),
  'POST /invitations/reseller-relationship/partner-link/accept': (w) => ({
    form: true,
    body: {
      token: `${w.provider.tenantId}.0.${'x'.repeat(43)}`,
      email: w.customer.email,
      password: 'Not-the-password-0',
      acceptCustomerAgreement: 'true',
    },
  }),
  'GET /agreements/customer-agreement/:version': () => ({ params: { version: '2026-12' } }),
  'POST /invitations/reseller-relationship/sign-up': () => ({
    form: true,
    body: {
      token: NO_TOKEN,
      companyName: 'Northwind Traders',
      domainPrefix: 'northwindfuzz',
      firstName: 'Nina',
      lastName: 'Northwind',
      addressLine1: '1 Main Street',
      city: 'Redmond',
      postalCode: '98052',
      country: 'US',
      newPassword: 'Not-the-password-0',
    },
  }),
};

/** Routes of relationships that answer HTML pages (their refusals are pages too, not the API error format). */
export const RELATIONSHIPS_PAGE_ROUTES: string[] = [
  'GET /invitations/partnership',
  'POST /invitations/partnership/accept',
  'GET /invitations/reseller-relationship',
  'POST /invitations/reseller-relationship/accept',
  'GET /invitations/delegated-admin-relationship',
  'POST /invitations/delegated-admin-relationship/decision',
  'POST /invitations/reseller-relationship/partner-link/accept',
  'GET /agreements/customer-agreement/:version',
  'POST /invitations/reseller-relationship/sign-up',
];
