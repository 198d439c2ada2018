import { randomUUID } from 'node:crypto';
import { addressIn, strongPassword, uniqueDomainPrefix, uniqueEmail } from '../data';
import { dbRows } from '../database';
import {
  NO_RESOURCE,
  NO_TOKEN,
  PLATFORM_WIDE,
  operator,
  provider,
  reseller,
  type CrossTenantCall,
  type RouteCall,
  type RouteFixture,
} from '../route-fixture';
import { partner } from '../relationships/partnerships';
import { SECURITY_GROUP_ROUTE_FIXTURES } from '../relationships/gdap-access';
import type { BaseWorld, World } from '../world';
import { enrollmentInReview, newEnrollmentBody, pendingEnrollment } from './enrollments';
import { addUser, enrollPartner, signIn } from './flows';
import { portalCsrf } from './portal-session';
import type { AddedUser } from './types';
import {
  addCustomerUser,
  addDisabledUser,
  deletedCustomerUser,
  newCustomerUserBody,
} from './users';

/**
 * Identity's part of the route tables (test/e2e/support/route-fixtures.ts): how to call each of its
 * protected routes, its public routes and their samples, its pages.
 */

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

/** A user of the provider, added for a fixture. */
function providerUser(w: BaseWorld): Promise<AddedUser> {
  return addUser(w.provider.token, ['HelpdeskAgent']);
}

/** How to call each protected route of identity (see `RouteFixture`). */
export const IDENTITY_ROUTE_FIXTURES: Record<string, RouteFixture> = {
  'GET /v1/domains/:domain': {
    caller: provider,
    status: 200,
    valid: (w) => Promise.resolve({ params: { domain: w.providerCustomer.companyProfile.domain } }),
    otherTenant: {
      none: "a domain's availability is the same answer for every partner, whoever holds it (Partner Center: verify domain availability)",
    },
  },
  'GET /v1/compliance/csp/agreementstatus': {
    caller: provider,
    status: 200,
    valid: (w) => Promise.resolve({ query: { tenantId: w.reseller.tenantId } }),
    otherTenant: {
      none: "Partner Center's agreement status of any partner by Partner ID or tenant id (a provider checks its resellers): a yes or no, no resource of another tenant",
    },
  },
  'GET /v1/me': {
    caller: provider,
    status: 200,
    valid: () => Promise.resolve({}),
    otherTenant: NO_RESOURCE,
  },
  'POST /v1/auth/portal/password': {
    caller: provider,
    status: 200,
    // A new user on its temporary password changes it through the portal's cookie session.
    valid: async (w) => {
      const added = await providerUser(w);
      const session = await signIn(added.user.email, added.temporaryPassword);
      const csrf = await portalCsrf();
      return {
        token: session.accessToken,
        headers: { Cookie: csrf.cookie, 'X-CSRF-Token': csrf.token },
        body: { currentPassword: added.temporaryPassword, newPassword: strongPassword() },
      };
    },
    sample: () => ({
      body: { currentPassword: 'Not-the-password-0', newPassword: strongPassword() },
    }),
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
    valid: (w) => Promise.resolve({ params: { customerTenantId: w.providerCustomer.id } }),
    otherTenant: (w) => otherPartnersCustomer(w),
  },
  'POST /v1/customers/:customerTenantId/users': {
    caller: provider,
    status: 201,
    valid: (w) =>
      Promise.resolve({
        params: { customerTenantId: w.providerCustomer.id },
        body: newCustomerUserBody(),
      }),
    otherTenant: async (w) => ({
      ...(await otherPartnersCustomer(w)),
      body: newCustomerUserBody(['BillingAdmin']),
    }),
  },
  'POST /v1/customers/:customerTenantId/users/:userId/password-reset': {
    caller: provider,
    status: 200,
    valid: async (w) => {
      const customerTenantId = w.providerCustomer.id;
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
  'GET /v1/customers/:customerTenantId/users/:userId': {
    caller: provider,
    status: 200,
    valid: async (w) => {
      const customerTenantId = w.providerCustomer.id;
      const added = await addCustomerUser(w.provider, customerTenantId);
      return { params: { customerTenantId, userId: added.user.id } };
    },
    otherTenant: (w) => otherPartnersCustomerUser(w),
  },
  'DELETE /v1/customers/:customerTenantId/users/:userId': {
    caller: provider,
    status: 204,
    valid: async (w) => {
      const customerTenantId = w.providerCustomer.id;
      const added = await addCustomerUser(w.provider, customerTenantId);
      return { params: { customerTenantId, userId: added.user.id } };
    },
    otherTenant: (w) => otherPartnersCustomerUser(w),
  },
  'PATCH /v1/customers/:customerTenantId/users/:userId': {
    caller: provider,
    status: 200,
    valid: async (w) => {
      const customerTenantId = w.providerCustomer.id;
      const added = await deletedCustomerUser(w.provider, customerTenantId);
      return { params: { customerTenantId, userId: added.user.id }, body: { state: 'active' } };
    },
    sample: (w) => ({
      params: { customerTenantId: w.providerCustomer.id, userId: randomUUID() },
      body: { state: 'active', attributes: { objectType: 'CustomerUser' } },
    }),
    otherTenant: async (w) => ({
      ...(await otherPartnersCustomerUser(w)),
      body: { state: 'active' },
    }),
  },
  'GET /v1/customers/:customerTenantId/users/:userId/directoryroles': {
    caller: provider,
    status: 200,
    valid: async (w) => {
      const customerTenantId = w.providerCustomer.id;
      const added = await addCustomerUser(w.provider, customerTenantId);
      return { params: { customerTenantId, userId: added.user.id } };
    },
    otherTenant: (w) => otherPartnersCustomerUser(w),
  },
  'GET /v1/customers/:customerTenantId/directoryroles': {
    caller: provider,
    status: 200,
    valid: (w) => Promise.resolve({ params: { customerTenantId: w.providerCustomer.id } }),
    otherTenant: (w) => otherPartnersCustomer(w),
  },
  'GET /v1/customers/:customerTenantId/directoryroles/:roleId/usermembers': {
    caller: provider,
    status: 200,
    valid: (w) =>
      Promise.resolve({
        params: { customerTenantId: w.providerCustomer.id, roleId: BILLING_ADMIN_ROLE },
      }),
    otherTenant: async (w) => {
      const other = await otherPartnersCustomer(w);
      return {
        ...other,
        params: { ...other.params, roleId: GLOBAL_ADMIN_ROLE },
        secrets: [...other.secrets, w.other.customerUser.user.id],
      };
    },
  },
  'POST /v1/customers/:customerTenantId/directoryroles/:roleId/usermembers': {
    caller: provider,
    status: 201,
    valid: async (w) => {
      const customerTenantId = w.providerCustomer.id;
      const added = await addCustomerUser(w.provider, customerTenantId, []);
      return {
        params: { customerTenantId, roleId: BILLING_ADMIN_ROLE },
        body: { id: added.user.id },
      };
    },
    // The other customer's Billing admin: the call would grant it nothing new, but is refused as
    // an unknown customer before anything is read.
    otherTenant: async (w) => {
      const other = await otherPartnersCustomer(w);
      return {
        ...other,
        params: { ...other.params, roleId: BILLING_ADMIN_ROLE },
        body: { id: w.other.customerUser.user.id },
        secrets: [...other.secrets, w.other.customerUser.user.id],
      };
    },
  },
  'DELETE /v1/customers/:customerTenantId/directoryroles/:roleId/usermembers/:userId': {
    caller: provider,
    status: 204,
    valid: async (w) => {
      const customerTenantId = w.providerCustomer.id;
      const added = await addCustomerUser(w.provider, customerTenantId);
      return { params: { customerTenantId, roleId: BILLING_ADMIN_ROLE, userId: added.user.id } };
    },
    otherTenant: async (w) => {
      const other = await otherPartnersCustomerUser(w);
      return { ...other, params: { ...other.params, roleId: BILLING_ADMIN_ROLE } };
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
  'POST /v1/partner-profile/indirect-reseller': {
    caller: provider,
    status: 200,
    // A direct partner of its own: the world's partners are a provider and a reseller already.
    valid: async () => ({
      token: (await enrollPartner({ partnerType: 'direct' })).token,
      body: { supportContact: { email: uniqueEmail('support'), phone: '+1 555 0177' } },
    }),
    sample: () => ({
      body: {
        supportContact: {
          name: 'Support',
          email: 'support@contoso.example',
          phone: '+1 555 0177',
          website: 'https://support.contoso.example',
        },
      },
    }),
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
  ...SECURITY_GROUP_ROUTE_FIXTURES,
};

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
 * holds no delegated admin privileges for it, so 404 `customer.not_found`, exactly as for an id
 * that names no customer (issue 9 point 16), with nothing of the customer in the body and none of
 * its users changed or added.
 */
function otherPartnersCustomer(w: World): Promise<CrossTenantCall> {
  const customer = w.other.customer;
  const adminUser = { userPrincipalName: customer.userCredentials.userName };
  return Promise.resolve({
    params: { customerTenantId: customer.id },
    code: 'customer.not_found',
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

/** Directory role ids (Entra role template ids) of our customer roles (README "Directory roles"). */
const GLOBAL_ADMIN_ROLE = '62e90394-69f5-4237-9190-012177145e10';
const BILLING_ADMIN_ROLE = 'b0f54661-2d74-4c50-afa3-1ec803f12efe';

/**
 * A Billing admin of the other provider's customer (path `:customerTenantId`, `:userId`): 404
 * `customer.not_found`, the customer's users unchanged.
 */
async function otherPartnersCustomerUser(w: World): Promise<CrossTenantCall> {
  const other = await otherPartnersCustomer(w);
  const { user } = w.other.customerUser;
  return {
    ...other,
    params: { ...other.params, userId: user.id },
    secrets: [...other.secrets, user.id, user.email],
    watch: () =>
      dbRows(
        'identity',
        'select id, roles, disabled, soft_deleted_at, sessions_revoked_at from user_account where tenant_id = $1 order by id',
        [w.other.customer.id],
      ),
  };
}

/**
 * The public routes of identity (no token), each with why it is public. A route that becomes public
 * must be added here consciously; the matrix fails on any other.
 */
export const IDENTITY_PUBLIC_ROUTES: Record<string, string> = {
  'GET /health': 'health check for orchestrators',
  'GET /health/live': 'liveness probe of orchestrators (the process serves HTTP)',
  'GET /health/ready': 'readiness probe of orchestrators and load balancers (database and Redis)',
  'GET /metrics': 'Prometheus scrape from the operator network (counts and latencies only)',
  'GET /.well-known/jwks.json': 'public keys that verify access tokens',
  'POST /v1/auth/token': 'sign-in',
  'POST /v1/auth/refresh':
    'a refresh token (single use, the credential) buys a new pair when the access token expires',
  'POST /v1/auth/sign-out':
    'revokes the session of the refresh token presented (the token is the credential; idempotent)',
  'GET /v1/auth/portal/csrf':
    "the portal's CSRF token before it signs in (sets only the CSRF secret cookie)",
  'POST /v1/auth/portal/sign-in': "the portal's sign-in (CSRF token required)",
  'POST /v1/auth/portal/session':
    "the portal's refresh: the HttpOnly refresh cookie is the credential (CSRF token required)",
  'DELETE /v1/auth/portal/session':
    "the portal's sign-out: revokes the cookie's session (CSRF token required; idempotent)",
  'GET /v1/indirect-providers': 'the directory resellers search before enrolling (seed 004)',
  'POST /v1/enrollments': 'a partner enrolls before it has any account (seed 004)',
  'GET /v1/enrollments/verify': 'the emailed verification link (its token is the credential)',
  'POST /v1/enrollments/verify': 'the same, as an API',
  'POST /v1/enrollments/verification/resend':
    'a new verification link for an enrollment still pending (always 202: never tells whether the address is known; capped per hour)',
  'POST /v1/enrollments/verify/resend':
    "the form of an expired link's page: a new link to the address the expired one went to",
  'POST /v1/enrollments/verify/confirm':
    "the button of the verification link's page (the GET changes nothing; issue 9 point 14)",
  'POST /v1/customer-signups': 'an existing customer signs up its organisation',
  'GET /v1/auth/email-verification':
    "a new user's sign-in address verification link (its token is the credential; changes nothing)",
  'POST /v1/auth/email-verification': "the button of that link's page: verifies the address",
  'POST /v1/auth/password-reset-requests':
    'a forgotten password (always 202: never tells whether the address is known)',
  'GET /v1/auth/password-reset': 'the emailed reset link: a new password form (changes nothing)',
  'POST /v1/auth/password-reset': "the reset link's form (its token is the credential)",
};

/**
 * A representative call of each public route of identity, for the fuzzer to mutate (built from the
 * shared world without preparation). A public route without one is fuzzed from an empty call.
 */
export const IDENTITY_PUBLIC_SAMPLES: Record<string, (w: BaseWorld) => RouteCall> = {
  'POST /v1/auth/token': (w) => ({
    body: { email: w.provider.email, password: 'Not-the-password-0' },
  }),
  'POST /v1/auth/refresh': () => ({ body: { refreshToken: NO_TOKEN } }),
  'POST /v1/auth/sign-out': () => ({ body: { refreshToken: NO_TOKEN } }),
  'POST /v1/auth/portal/sign-in': (w) => ({
    body: { email: w.provider.email, password: 'Not-the-password-0' },
    headers: { 'X-CSRF-Token': 'not-a-token', Cookie: 'pcp_csrf=not-a-secret' },
  }),
  'POST /v1/auth/portal/session': () => ({
    headers: { 'X-CSRF-Token': 'not-a-token', Cookie: `pcp_refresh=${NO_TOKEN}` },
  }),
  'DELETE /v1/auth/portal/session': () => ({
    headers: { 'X-CSRF-Token': 'not-a-token', Cookie: `pcp_refresh=${NO_TOKEN}` },
  }),
  'GET /v1/indirect-providers': (w) => ({ query: { name: w.provider.name.slice(0, 8) } }),
  'POST /v1/enrollments': () => ({ body: newEnrollmentBody() }),
  'GET /v1/enrollments/verify': () => ({ query: { token: NO_TOKEN } }),
  'POST /v1/enrollments/verify': () => ({ body: { token: NO_TOKEN } }),
  'POST /v1/enrollments/verification/resend': () => ({
    body: { email: uniqueEmail('admin', 'litware') },
  }),
  'POST /v1/enrollments/verify/resend': () => ({ form: true, body: { token: NO_TOKEN } }),
  'POST /v1/enrollments/verify/confirm': () => ({ form: true, body: { token: NO_TOKEN } }),
  'GET /v1/auth/email-verification': () => ({ query: { token: NO_TOKEN } }),
  'POST /v1/auth/email-verification': () => ({ form: true, body: { token: NO_TOKEN } }),
  'POST /v1/auth/password-reset-requests': () => ({
    body: { email: uniqueEmail('user', 'contoso') },
  }),
  'GET /v1/auth/password-reset': () => ({ query: { token: NO_TOKEN } }),
  'POST /v1/auth/password-reset': () => ({
    form: true,
    body: { token: NO_TOKEN, password: strongPassword(), passwordConfirmation: strongPassword() },
  }),
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
};

/** Routes of identity that answer HTML pages (their refusals are pages too, not the API error format). */
export const IDENTITY_PAGE_ROUTES: string[] = [
  'GET /v1/enrollments/verify',
  'POST /v1/enrollments/verify/resend',
  'POST /v1/enrollments/verify/confirm',
  'GET /v1/auth/email-verification',
  'POST /v1/auth/email-verification',
  'GET /v1/auth/password-reset',
  'POST /v1/auth/password-reset',
];
