import {
  addressIn,
  strongPassword,
  uniqueDomainPrefix,
  uniqueEmail,
  uniqueMpnId,
  uniqueName,
} from '../data';
import { errorCode, expectStatus } from '../http';
import { waitForEmail, linkIn } from '../maildev';
import { confirmLinkPage, verifySignInEmail } from './verification';
import { eventually } from '../poll';
import { api, bearer } from '../system';
import type { AddedUser } from './types';

/**
 * Identity's flows every spec builds its tenants with (seed 004): an enrolled and active partner,
 * a signed-up customer, a user of chosen roles (on its temporary password or activated), sign-in.
 */

export type PartnerType = 'direct' | 'indirect_provider' | 'indirect_reseller';
export type Cloud = 'public' | 'us-gov' | 'germany';

export interface SignedIn {
  accessToken: string;
  passwordChangeRequired: boolean;
}

/**
 * `POST /v1/auth/token { email, password, organization? }`; expects 200. Sign-in names are per
 * organisation: `organization` (tenant id, Partner ID or default domain) picks the account; the
 * flows below pass it where they know it. A new user proves its sign-in address before its first
 * sign-in (issue 9 point 7): when identity answers 403 `auth.email_unverified` (only ever with the
 * right password), this follows the verification link emailed to `email` (MailDev: the page, then
 * its button) and signs in again. Specs about the refusal itself call the route directly.
 */
export async function signIn(
  email: string,
  password: string,
  organization?: string,
): Promise<SignedIn> {
  const body = { email, password, ...(organization ? { organization } : {}) };
  const response = await api('identity').post('/v1/auth/token').send(body);
  if (isUnverified(response)) {
    await verifySignInEmail(email);
    return expectStatus<SignedIn>(await api('identity').post('/v1/auth/token').send(body), 200);
  }
  return expectStatus<SignedIn>(response, 200);
}

/** True for 403 `auth.email_unverified`: the right password of a user not yet verified. */
export function isUnverified(response: { status: number; body: unknown }): boolean {
  return (
    response.status === 403 &&
    (response.body as { code?: number } | null)?.code === errorCode('auth.email_unverified')
  );
}

export interface EnrolledPartner {
  tenantId: string;
  /** An access token of the partner's first Global admin (also an Admin agent). */
  token: string;
  email: string;
  password: string;
  mpnId: string;
  name: string;
  partnerType: PartnerType;
  country: string;
  cloud: Cloud;
}

/**
 * Enrolls a partner with a unique company, Partner ID and admin (seed 004): `POST /v1/enrollments`
 * with the primary contact (who is also the Global admin) on a company domain, follows the
 * verification link of the delivered email (its page, then its button: that verifies the admin's
 * address too; the e2e system auto-approves at verification, so the partner is `active`), and signs
 * the Global admin in.
 */
export async function enrollPartner(options: {
  partnerType: PartnerType;
  country?: string;
  cloud?: Cloud;
  name?: string;
  locale?: 'en' | 'ja';
}): Promise<EnrolledPartner> {
  const country = options.country ?? 'US';
  const cloud = options.cloud ?? 'public';
  const name = options.name ?? uniqueName('Contoso');
  const company = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 30);
  const email = uniqueEmail('admin', company);
  const password = strongPassword();
  const mpnId = uniqueMpnId();
  const enrolled = expectStatus<{ tenantId: string }>(
    await api('identity')
      .post('/v1/enrollments')
      .send({
        legalBusinessName: name,
        address: addressIn(country),
        cloud,
        partnerType: options.partnerType,
        mpnId,
        primaryContact: { name: 'Pat Primary', email, phone: '+1 555 0100' },
        supportContact: { name: 'Sam Support', email: uniqueEmail('support', company) },
        ...(options.locale ? { locale: options.locale } : {}),
        globalAdmin: { firstName: 'Alex', lastName: 'Admin', email, password },
      }),
    201,
  );
  const verification = await waitForEmail({ to: email });
  await confirmLinkPage(linkIn(verification));
  const { accessToken } = await signIn(email, password, enrolled.tenantId);
  return {
    tenantId: enrolled.tenantId,
    token: accessToken,
    email,
    password,
    mpnId,
    name,
    partnerType: options.partnerType,
    country,
    cloud,
  };
}

export interface SignedUpCustomer {
  tenantId: string;
  domain: string;
  userId: string;
  /** An access token of the customer's Global admin. */
  token: string;
  email: string;
  password: string;
  companyName: string;
  country: string;
  cloud: Cloud;
}

/**
 * Signs up an existing customer organisation on its own (`POST /v1/customer-signups`) with a
 * unique company, default domain prefix and Global admin, follows the sign-in address verification
 * link emailed to the admin (issue 9 point 7), then signs the admin in.
 */
export async function signUpCustomer(
  options: { country?: string; cloud?: Cloud; companyName?: string } = {},
): Promise<SignedUpCustomer> {
  const country = options.country ?? 'US';
  const cloud = options.cloud ?? 'public';
  const companyName = options.companyName ?? uniqueName('Northwind Traders');
  const email = uniqueEmail('admin', 'northwind');
  const password = strongPassword();
  const created = expectStatus<{ tenantId: string; domain: string; userId: string }>(
    await api('identity')
      .post('/v1/customer-signups')
      .send({
        companyName,
        address: addressIn(country),
        country,
        cloud,
        domainPrefix: uniqueDomainPrefix('northwind'),
        globalAdmin: { firstName: 'Casey', lastName: 'Customer', email, password },
      }),
    201,
  );
  await verifySignInEmail(email);
  const { accessToken } = await signIn(email, password, created.tenantId);
  return { ...created, token: accessToken, email, password, companyName, country, cloud };
}

/** `POST /v1/users`: a unique user of `roles`; expects 201 (seed 004 "Add a new user"). */
export async function addUser(
  token: string,
  roles: string[],
  options: { company?: string; firstName?: string; lastName?: string } = {},
): Promise<AddedUser> {
  const email = uniqueEmail('user', options.company ?? 'contoso');
  return expectStatus<AddedUser>(
    await api('identity')
      .post('/v1/users')
      .set(bearer(token))
      .send({
        firstName: options.firstName ?? 'Uma',
        lastName: options.lastName ?? 'User',
        email,
        roles,
      }),
    201,
  );
}

export interface ActivatedUser {
  /** A full access token (no password change required). */
  token: string;
  /** The password the user chose. */
  password: string;
}

/** First sign-in, then the required password change; a full token (seed 004 "Add a new user"). */
export async function activateUser(
  email: string,
  temporaryPassword: string,
): Promise<ActivatedUser> {
  const first = await signIn(email, temporaryPassword);
  expect(first.passwordChangeRequired).toBe(true);
  const password = strongPassword();
  const changed = expectStatus<{ accessToken: string; passwordChangeRequired: boolean }>(
    await api('identity')
      .post('/v1/auth/password')
      .set(bearer(first.accessToken))
      .send({ currentPassword: temporaryPassword, newPassword: password }),
    200,
  );
  expect(changed.passwordChangeRequired).toBe(false);
  return { token: changed.accessToken, password };
}

/** addUser + activateUser: a signed-in user of `roles` (seed 004 "Assign user permissions"). */
export async function addActiveUser(
  token: string,
  roles: string[],
  options: { company?: string; firstName?: string; lastName?: string } = {},
): Promise<ActivatedUser & AddedUser> {
  const added = await addUser(token, roles, options);
  return { ...added, ...(await activateUser(added.user.email, added.temporaryPassword)) };
}

/** The Customer Agreement identity recorded, `GET /v1/me`; expects 200 (seed 001 step 5 note). */
export async function customerAgreementOf(customer: { token: string }): Promise<{
  customerAgreementAcceptedAt: string | null;
  customerAgreementAcceptedBy: string | null;
}> {
  const me = expectStatus<{
    tenant: {
      customer: {
        customerAgreementAcceptedAt: string | null;
        customerAgreementAcceptedBy: string | null;
      };
    };
  }>(await api('identity').get('/v1/me').set(bearer(customer.token)), 200);
  const { customerAgreementAcceptedAt, customerAgreementAcceptedBy } = me.tenant.customer;
  return { customerAgreementAcceptedAt, customerAgreementAcceptedBy };
}

/**
 * The Customer Agreement identity recorded, once it has recorded one: relationships records an
 * acceptance in its own transaction and identity from the `customer-agreement.accepted` event
 * queued with it (bounded poll of `GET /v1/me`).
 */
export async function recordedCustomerAgreementOf(customer: { token: string }): Promise<{
  customerAgreementAcceptedAt: string | null;
  customerAgreementAcceptedBy: string | null;
}> {
  return eventually('the Customer Agreement recorded in identity', async () => {
    const agreement = await customerAgreementOf(customer);
    return agreement.customerAgreementAcceptedAt ? agreement : undefined;
  });
}
