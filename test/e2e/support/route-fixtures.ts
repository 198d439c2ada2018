import { randomUUID } from 'node:crypto';
import { addressIn, uniqueDomainPrefix, uniqueEmail } from './data';
import { dbRows } from './database';
import { addUser, enrollPartner, signIn, signUpCustomer } from './flows';
import { strongPassword } from './data';
import type { ServiceName } from './system';
import type { AddedUser } from './types';
import {
  OFFER_ID,
  acceptRelationship,
  addCustomerUser,
  addDisabledUser,
  createCustomer,
  draftPartnershipRequest,
  draftRelationshipRequest,
  enrollmentInReview,
  failedDelivery,
  newCustomerBody,
  newCustomerUserBody,
  newEnrollmentBody,
  partner,
  pendingEnrollment,
  tokenOfLink,
  type BaseWorld,
  type World,
} from './world';

/**
 * How to call every protected route of every service, for the authorization matrix
 * (test/e2e/authorization-matrix.e2e-spec.ts) and the fuzz run (test/e2e/fuzz.e2e-spec.ts).
 *
 * One entry per route, keyed by `METHOD path` exactly as the route is registered (see
 * test/e2e/support/routes.ts). A route without an entry fails the matrix ("add a fixture for …"),
 * so a new route cannot escape it. An entry says:
 * - `caller`: whose token makes the valid call (a role that holds the route's permission);
 * - `valid`: a fresh valid call (path parameters, query, body; it may create what it acts on) and
 *   `status`, its 2xx answer;
 * - `otherTenant`: the same caller naming another organisation's resource (in the path or the
 *   body), which must answer 404 (or the route's documented refusal) without a trace of that
 *   resource in the body and without changing it; or `{ none: why }` when the route names no
 *   resource of a tenant.
 * Public routes are not here: they are in `PUBLIC_ROUTES`, an allow-list, so that making a route
 * public is a conscious change.
 */

/** One HTTP call of a route: its path parameters, query and JSON body. */
export interface RouteCall {
  /** The caller's bearer token; default: the fixture's `caller`. */
  token?: string;
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  /** Send the body as an HTML form (`application/x-www-form-urlencoded`), not JSON. */
  form?: boolean;
}

/** A call that names another organisation's resource. */
export interface CrossTenantCall extends RouteCall {
  /** What must not appear in the answer: the resource's ids and data. */
  secrets: string[];
  /** Expected status; 404 unless the route's rule refuses such a reference otherwise. */
  status?: number;
  /** Expected error code. */
  code: string;
  /** Read before and after the refused call: must not change (nothing of the resource written). */
  watch?: () => Promise<unknown>;
  /**
   * The answer to the same call with ids that exist nowhere, only where the route documents a
   * different refusal for an existing resource the caller may not reach (the customer-users
   * routes: 403 without delegated admin privileges, 404 for no such customer); by default the
   * answer must be the very same as to the other tenant's resource.
   */
  twin?: { status: number; code: string };
}

/** Lazily prepared helpers the fixtures share (an identity instance without auto-approval). */
export interface FixtureContext {
  /** Base URL of an identity instance with auto-approval off (started once, on first use). */
  reviewUrl(): Promise<string>;
}

export interface RouteFixture {
  /** The token of a caller whose role holds the route's permission. */
  caller: (w: BaseWorld) => string;
  /** The answer to `valid`. */
  status: 200 | 201 | 202 | 204;
  /** A fresh valid call. */
  valid: (w: BaseWorld, context: FixtureContext) => Promise<RouteCall>;
  /**
   * A representative call built without preparation (for the fuzzer to mutate), where `valid`
   * is expensive (enrollments, a second identity instance); default: `valid`.
   */
  sample?: (w: BaseWorld) => RouteCall;
  /** Another tenant's resource, or why the route names none. */
  otherTenant: ((w: World) => Promise<CrossTenantCall>) | { none: string };
}

const NO_RESOURCE = { none: "acts on the caller's own organisation or account: no id to swap" };
const PLATFORM_WIDE = {
  none: 'platform operator route: the whole platform (every partner, enrollment, signing key) is in its scope by design',
};
const TOKEN_IS_CAPABILITY = {
  none: 'the invitation token is the capability: whoever holds the emailed link accepts it (seeds 001, 004); token misuse is proven by the invitation tests',
};

const provider = (w: BaseWorld) => w.provider.token;
const reseller = (w: BaseWorld) => w.reseller.token;
const customer = (w: BaseWorld) => w.customer.token;
const operator = (w: BaseWorld) => w.operator.token;

async function userRoles(id: string): Promise<unknown> {
  return dbRows('identity', 'select roles from user_account where id = $1', [id]);
}

/** What the user routes change: roles, disabled, password and sessions. */
async function userAccount(id: string): Promise<unknown> {
  return dbRows(
    'identity',
    'select roles, disabled, password_hash, password_temporary, sessions_revoked_at from user_account where id = $1',
    [id],
  );
}

async function invitationRow(id: string): Promise<unknown> {
  return dbRows('relationships', 'select status, token_hash from invitation where id = $1', [id]);
}

/** A user of the provider, added for a fixture. */
function providerUser(w: BaseWorld): Promise<AddedUser> {
  return addUser(w.provider.token, ['HelpdeskAgent']);
}

export const ROUTE_FIXTURES: Record<ServiceName, Record<string, RouteFixture>> = {
  identity: {
    'GET /v1/me': {
      caller: provider,
      status: 200,
      valid: () => Promise.resolve({}),
      otherTenant: NO_RESOURCE,
    },
    'POST /v1/auth/password': {
      caller: provider,
      status: 200,
      // A new user on its temporary password changes it.
      valid: async (w) => {
        const added = await providerUser(w);
        const session = await signIn(added.user.email, added.temporaryPassword);
        return {
          token: session.accessToken,
          body: { currentPassword: added.temporaryPassword, newPassword: strongPassword() },
        };
      },
      otherTenant: NO_RESOURCE,
    },
    'GET /v1/users': {
      caller: provider,
      status: 200,
      valid: () => Promise.resolve({}),
      otherTenant: NO_RESOURCE,
    },
    'POST /v1/users': {
      caller: provider,
      status: 201,
      valid: () =>
        Promise.resolve({
          body: { firstName: 'Uma', lastName: 'User', email: uniqueEmail(), roles: ['SalesAgent'] },
        }),
      otherTenant: NO_RESOURCE,
    },
    'PATCH /v1/users/:id': {
      caller: provider,
      status: 200,
      valid: async (w) => ({
        params: { id: (await providerUser(w)).user.id },
        body: { roles: ['SalesAgent'] },
      }),
      otherTenant: (w) => {
        const { user } = w.other.user;
        return Promise.resolve({
          params: { id: user.id },
          body: { roles: ['GlobalAdmin'] },
          code: 'user.not_found',
          secrets: [user.id, user.email, user.firstName],
          watch: () => userRoles(user.id),
        });
      },
    },
    'DELETE /v1/users/:id': {
      caller: provider,
      status: 204,
      valid: async (w) => ({ params: { id: (await providerUser(w)).user.id } }),
      otherTenant: (w) => {
        const { user } = w.other.user;
        return Promise.resolve({
          params: { id: user.id },
          code: 'user.not_found',
          secrets: [user.id, user.email],
          watch: () => userRoles(user.id),
        });
      },
    },
    'POST /v1/users/:id/password-reset': {
      caller: provider,
      status: 200,
      valid: async (w) => ({ params: { id: (await providerUser(w)).user.id } }),
      otherTenant: (w) => otherUser(w.other.user),
    },
    'POST /v1/users/:id/disable': {
      caller: provider,
      status: 200,
      valid: async (w) => ({ params: { id: (await providerUser(w)).user.id } }),
      otherTenant: (w) => otherUser(w.other.user),
    },
    'POST /v1/users/:id/enable': {
      caller: provider,
      status: 200,
      valid: async (w) => ({ params: { id: (await addDisabledUser(w.provider)).user.id } }),
      // A disabled user of the other organisation: enabling it would show in `disabled`.
      otherTenant: (w) => otherUser(w.other.disabledUser),
    },
    'GET /v1/admin-access': {
      caller: reseller,
      status: 200,
      valid: () => Promise.resolve({}),
      otherTenant: NO_RESOURCE,
    },
    'DELETE /v1/admin-access/:providerTenantId': {
      caller: reseller,
      status: 204,
      // A reseller of its own, partnered with the provider, withdraws the provider's access.
      valid: async (w) => {
        const own = await enrollPartner({ partnerType: 'indirect_reseller' });
        await partner(w.provider, own);
        return { token: own.token, params: { providerTenantId: w.provider.tenantId } };
      },
      sample: (w) => ({ params: { providerTenantId: w.provider.tenantId } }),
      otherTenant: (w) =>
        Promise.resolve({
          params: { providerTenantId: w.other.provider.tenantId },
          code: 'admin_access.not_found',
          secrets: [w.other.provider.tenantId, w.other.provider.name, w.other.provider.mpnId],
          watch: () =>
            dbRows(
              'identity',
              'select status from admin_access_grant where provider_tenant_id = $1',
              [w.other.provider.tenantId],
            ),
        }),
    },
    'GET /v1/organizations/:tenantId/users': {
      caller: provider,
      status: 200,
      valid: (w) => Promise.resolve({ params: { tenantId: w.reseller.tenantId } }),
      otherTenant: (w) =>
        Promise.resolve({
          params: { tenantId: w.other.reseller.tenantId },
          code: 'organization.not_found',
          secrets: [w.other.reseller.tenantId, w.other.reseller.name, w.other.reseller.email],
        }),
    },
    'POST /v1/organizations/:tenantId/users': {
      caller: provider,
      status: 201,
      valid: (w) =>
        Promise.resolve({
          params: { tenantId: w.reseller.tenantId },
          body: {
            firstName: 'Dee',
            lastName: 'Delegated',
            email: uniqueEmail(),
            roles: ['SalesAgent'],
          },
        }),
      otherTenant: (w) => {
        const email = uniqueEmail('intruder');
        return Promise.resolve({
          params: { tenantId: w.other.reseller.tenantId },
          body: { firstName: 'Ivy', lastName: 'Intruder', email, roles: ['GlobalAdmin'] },
          code: 'organization.not_found',
          secrets: [w.other.reseller.tenantId, w.other.reseller.name, w.other.reseller.email],
          watch: () => dbRows('identity', 'select id from user_account where email = $1', [email]),
        });
      },
    },
    // The provider holds delegated admin privileges for the customers it creates (seed 002).
    'GET /v1/customers/:customerTenantId/users': {
      caller: provider,
      status: 200,
      valid: (w) =>
        Promise.resolve({ params: { customerTenantId: w.providerCustomer.customer.id } }),
      otherTenant: (w) => otherPartnersCustomer(w),
    },
    'POST /v1/customers/:customerTenantId/users': {
      caller: provider,
      status: 201,
      valid: (w) =>
        Promise.resolve({
          params: { customerTenantId: w.providerCustomer.customer.id },
          body: newCustomerUserBody(),
        }),
      otherTenant: async (w) => ({
        ...(await otherPartnersCustomer(w)),
        body: newCustomerUserBody(['UserManagementAdmin']),
      }),
    },
    'POST /v1/customers/:customerTenantId/users/:userId/password-reset': {
      caller: provider,
      status: 200,
      valid: async (w) => {
        const customerTenantId = w.providerCustomer.customer.id;
        const added = await addCustomerUser(w.provider, customerTenantId);
        return { params: { customerTenantId, userId: added.user.id } };
      },
      // A Billing admin the other provider may reset there: the call would change its password.
      otherTenant: async (w) => {
        const other = await otherPartnersCustomer(w);
        const { user } = w.other.customerUser;
        return {
          ...other,
          params: { ...other.params, userId: user.id },
          secrets: [...other.secrets, user.id, user.email],
        };
      },
    },
    'GET /v1/partner-profile': {
      caller: provider,
      status: 200,
      valid: () => Promise.resolve({}),
      otherTenant: NO_RESOURCE,
    },
    'PATCH /v1/partner-profile': {
      caller: provider,
      status: 200,
      valid: () => Promise.resolve({ body: { primaryContact: { phone: '+1 555 0199' } } }),
      otherTenant: NO_RESOURCE,
    },
    'PATCH /v1/partners/:tenantId/profile': {
      caller: operator,
      status: 200,
      valid: (w) =>
        Promise.resolve({
          params: { tenantId: w.reseller.tenantId },
          body: { supportContact: { phone: '+1 555 0142' } },
        }),
      otherTenant: PLATFORM_WIDE,
    },
    'GET /v1/enrollments': {
      caller: operator,
      status: 200,
      valid: () => Promise.resolve({}),
      otherTenant: PLATFORM_WIDE,
    },
    'POST /v1/enrollments/:id/approve': {
      caller: operator,
      status: 200,
      valid: async (_w, context) => ({
        params: { id: await enrollmentInReview(await context.reviewUrl()) },
      }),
      sample: () => ({ params: { id: randomUUID() } }),
      otherTenant: PLATFORM_WIDE,
    },
    'POST /v1/enrollments/:id/reject': {
      caller: operator,
      status: 200,
      valid: async (_w, context) => ({
        params: { id: await enrollmentInReview(await context.reviewUrl()) },
        body: { reason: 'The Partner ID does not match the legal business name.' },
      }),
      sample: () => ({ params: { id: randomUUID() }, body: { reason: 'Not a partner.' } }),
      otherTenant: PLATFORM_WIDE,
    },
    'POST /v1/enrollments/:id/resend-verification': {
      caller: operator,
      status: 200,
      valid: async () => ({ params: { id: await pendingEnrollment() } }),
      otherTenant: PLATFORM_WIDE,
    },
    'POST /v1/platform/signing-keys/rotate': {
      caller: operator,
      status: 201,
      // Safe in the shared system: the replaced key keeps verifying until every token it signed
      // has expired (rotation + access-token TTL + 60 s), so the tokens already issued (the
      // world's, other specs') stay valid; identity and relationships take the new key at once.
      valid: () => Promise.resolve({}),
      otherTenant: PLATFORM_WIDE,
    },
  },

  relationships: {
    'GET /v1/activity-logs': {
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
              body.companyProfile.companyName,
            ]),
        });
      },
    },
    'GET /v1/customers/:id': {
      caller: provider,
      status: 200,
      valid: (w) => Promise.resolve({ params: { id: w.providerCustomer.customer.id } }),
      otherTenant: (w) => otherCustomer(w),
    },
    'PATCH /v1/customers/:id': {
      caller: provider,
      status: 200,
      valid: async (w) => ({
        params: {
          id: (
            await createCustomer(
              w.provider,
              newCustomerBody({ indirectResellerId: w.reseller.tenantId }),
            )
          ).customer.id,
        },
        body: { relationshipToPartner: 'none' },
      }),
      otherTenant: async (w) => ({
        ...(await otherCustomer(w)),
        body: { relationshipToPartner: 'none' },
      }),
    },
    'GET /v1/customers/:id/relationships': {
      caller: provider,
      status: 200,
      valid: (w) => Promise.resolve({ params: { id: w.providerCustomer.customer.id } }),
      otherTenant: (w) => otherCustomer(w),
    },
    'GET /v1/customers/:customerId/subscriptions': {
      caller: provider,
      status: 200,
      valid: (w) => Promise.resolve({ params: { customerId: w.providerCustomer.customer.id } }),
      otherTenant: async (w) => {
        const other = await otherCustomer(w);
        return { ...other, params: { customerId: w.other.customer.customer.id } };
      },
    },
    'POST /v1/customers/:customerId/subscriptions': {
      caller: provider,
      status: 201,
      valid: (w) =>
        Promise.resolve({
          params: { customerId: w.providerCustomer.customer.id },
          body: { offerId: OFFER_ID, quantity: 3 },
        }),
      otherTenant: async (w) => {
        const other = await otherCustomer(w);
        return {
          ...other,
          params: { customerId: w.other.customer.customer.id },
          body: { offerId: OFFER_ID, quantity: 3 },
        };
      },
    },
    'PATCH /v1/customers/:customerId/subscriptions/:subscriptionId': {
      caller: provider,
      status: 200,
      valid: (w) =>
        Promise.resolve({
          params: {
            customerId: w.providerCustomer.customer.id,
            subscriptionId: w.providerCustomer.subscriptions[0].id,
          },
          body: { quantity: 12 },
        }),
      otherTenant: async (w) => {
        const other = await otherCustomer(w);
        const subscription = w.other.customer.subscriptions[0];
        return {
          ...other,
          params: { customerId: w.other.customer.customer.id, subscriptionId: subscription.id },
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
          watch: () =>
            dbRows('relationships', 'select id from invitation where email = $1', [email]),
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
      otherTenant: TOKEN_IS_CAPABILITY,
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
      otherTenant: TOKEN_IS_CAPABILITY,
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
      valid: () => Promise.resolve({ query: { relationship_type: 'IsIndirectResellerOf' } }),
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
            dbRows(
              'relationships',
              'select status from partnership where reseller_tenant_id = $1',
              [w.other.reseller.tenantId],
            ),
        }),
    },
  },

  notifications: {
    'GET /v1/deliveries': {
      caller: operator,
      status: 200,
      valid: () => Promise.resolve({ query: { status: 'failed', size: '5' } }),
      otherTenant: PLATFORM_WIDE,
    },
    'GET /v1/deliveries/:idempotencyKey': {
      caller: operator,
      status: 200,
      valid: async () => ({ params: { idempotencyKey: await failedDelivery() } }),
      sample: () => ({ params: { idempotencyKey: randomUUID() } }),
      otherTenant: PLATFORM_WIDE,
    },
    'POST /v1/deliveries/:idempotencyKey/replay': {
      caller: operator,
      status: 202,
      // A fresh delivery that failed for good (one replay each: a replayed one answers 409).
      valid: async () => ({ params: { idempotencyKey: await failedDelivery() } }),
      sample: () => ({ params: { idempotencyKey: randomUUID() } }),
      otherTenant: PLATFORM_WIDE,
    },
  },
};

/** Another provider's customer (path `:id`), its data, and its relationship rows. */
function otherCustomer(w: World): Promise<CrossTenantCall> {
  const { customer } = w.other.customer;
  return Promise.resolve({
    params: { id: customer.id },
    code: 'customer.not_found',
    secrets: [
      customer.id,
      customer.companyProfile.companyName,
      customer.companyProfile.domain,
      w.other.customer.adminUser.userPrincipalName,
    ],
    watch: () =>
      dbRows(
        'relationships',
        'select partner_tenant_id, status, delegated_admin_status from reseller_relationship where customer_id = $1 order by partner_tenant_id',
        [customer.id],
      ),
  });
}

/** Another organisation's user (path `:id`): 404 `user.not_found`, its row unchanged. */
function otherUser(added: AddedUser): Promise<CrossTenantCall> {
  const { user } = added;
  return Promise.resolve({
    params: { id: user.id },
    code: 'user.not_found',
    secrets: [user.id, user.email],
    watch: () => userAccount(user.id),
  });
}

/**
 * Another provider's customer on the customer-users routes (path `:customerTenantId`): the caller
 * holds no delegated admin privileges for it, so the routes' documented refusal, 403
 * `customer.delegated_admin_required` (an id that names no customer is 404 `customer.not_found`),
 * with nothing of the customer in the body and none of its users changed or added.
 */
function otherPartnersCustomer(w: World): Promise<CrossTenantCall> {
  const { customer, adminUser } = w.other.customer;
  return Promise.resolve({
    params: { customerTenantId: customer.id },
    status: 403,
    code: 'customer.delegated_admin_required',
    twin: { status: 404, code: 'customer.not_found' },
    secrets: [
      customer.id,
      customer.companyProfile.companyName,
      customer.companyProfile.domain,
      adminUser.userPrincipalName,
    ],
    watch: () =>
      dbRows(
        'identity',
        'select id, email, roles, disabled, password_hash, password_temporary, sessions_revoked_at from user_account where tenant_id = $1 order by id',
        [customer.id],
      ),
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
 * The public routes (no token), each with why it is public. A route that becomes public must be
 * added here consciously; the matrix fails on any other.
 */
export const PUBLIC_ROUTES: Record<ServiceName, Record<string, string>> = {
  identity: {
    'GET /health': 'health check for orchestrators',
    'GET /.well-known/jwks.json': 'public keys that verify access tokens',
    'POST /v1/auth/token': 'sign-in',
    'POST /v1/auth/refresh':
      'a refresh token (single use, the credential) buys a new pair when the access token expires',
    'POST /v1/auth/sign-out':
      'revokes the session of the refresh token presented (the token is the credential; idempotent)',
    'GET /v1/indirect-providers': 'the directory resellers search before enrolling (seed 004)',
    'POST /v1/enrollments': 'a partner enrolls before it has any account (seed 004)',
    'GET /v1/enrollments/verify': 'the emailed verification link (its token is the credential)',
    'POST /v1/enrollments/verify': 'the same, as an API',
    'POST /v1/enrollments/verification/resend':
      'a new verification link for an enrollment still pending (always 202: never tells whether the address is known; capped per hour)',
    'POST /v1/enrollments/verify/resend':
      "the form of an expired link's page: a new link to the address the expired one went to",
    'POST /v1/customer-signups': 'an existing customer signs up its organisation',
  },
  relationships: {
    'GET /health': 'health check for orchestrators',
    'GET /invitations/partnership': 'the emailed partnership link (its token is the credential)',
    'POST /invitations/partnership/accept':
      'its form: signs the reseller in with email and password',
    'GET /invitations/reseller-relationship': 'the emailed relationship link',
    'POST /invitations/reseller-relationship/accept': "its form: signs the customer's admin in",
  },
  notifications: {
    'GET /health': 'health check for orchestrators',
  },
};

/** A token-shaped string that names no invitation. */
const NO_TOKEN = 'x'.repeat(43);

/**
 * A representative call of each public route, for the fuzzer to mutate (built from the shared
 * world without preparation). A public route without one is fuzzed from an empty call.
 */
export const PUBLIC_SAMPLES: Record<ServiceName, Record<string, (w: BaseWorld) => RouteCall>> = {
  identity: {
    'POST /v1/auth/token': (w) => ({
      body: { email: w.provider.email, password: 'Not-the-password-0' },
    }),
    'POST /v1/auth/refresh': () => ({ body: { refreshToken: NO_TOKEN } }),
    'POST /v1/auth/sign-out': () => ({ body: { refreshToken: NO_TOKEN } }),
    'GET /v1/indirect-providers': (w) => ({ query: { name: w.provider.name.slice(0, 8) } }),
    'POST /v1/enrollments': () => ({ body: newEnrollmentBody() }),
    'GET /v1/enrollments/verify': () => ({ query: { token: NO_TOKEN } }),
    'POST /v1/enrollments/verify': () => ({ body: { token: NO_TOKEN } }),
    'POST /v1/enrollments/verification/resend': () => ({
      body: { email: uniqueEmail('admin', 'litware') },
    }),
    'POST /v1/enrollments/verify/resend': () => ({ form: true, body: { token: NO_TOKEN } }),
    'POST /v1/customer-signups': () => ({
      body: {
        companyName: 'Northwind Traders',
        address: addressIn('US'),
        country: 'US',
        cloud: 'public',
        domainPrefix: uniqueDomainPrefix('northwind'),
        globalAdmin: {
          firstName: 'Casey',
          lastName: 'Customer',
          email: uniqueEmail('admin', 'northwind'),
          password: strongPassword(),
        },
      },
    }),
  },
  relationships: {
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
  },
  notifications: {},
};

/** Routes that answer HTML pages (their refusals are pages too, not the API error format). */
export const PAGE_ROUTES: Record<ServiceName, string[]> = {
  identity: ['GET /v1/enrollments/verify', 'POST /v1/enrollments/verify/resend'],
  relationships: [
    'GET /invitations/partnership',
    'POST /invitations/partnership/accept',
    'GET /invitations/reseller-relationship',
    'POST /invitations/reseller-relationship/accept',
  ],
  notifications: [],
};
