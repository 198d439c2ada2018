import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { PERMISSION_MATRIX } from '@app/auth';
import type { Role, TenantKind } from '@app/contracts';
import {
  addressIn,
  strongPassword,
  uniqueDomainPrefix,
  uniqueEmail,
  uniqueMpnId,
  uniqueName,
} from './data';
import {
  addActiveUser,
  addUser,
  enrollPartner,
  expectStatus,
  signIn,
  signUpCustomer,
  type EnrolledPartner,
  type PartnerType,
  type SignedUpCustomer,
} from './flows';
import { dbRows } from './database';
import { harnessSettings } from './instances';
import { linkIn, waitForEmail } from './maildev';
import { api, bearer, system } from './system';
import type {
  AddedUser,
  CreatedCustomer,
  PartnerRelationship,
  PartnershipRequestSent,
  RelationshipRequestSent,
} from './types';

/**
 * A small channel built through the API for the proofs that walk every route (the authorization
 * matrix, the fuzz run): an indirect provider with an indirect reseller (partnership and
 * administrator access), a signed-up customer, a customer the provider created with a
 * subscription, one signed-in user of every role of every tenant kind, and the same channel of
 * another organisation ("other") whose resources a caller must never reach.
 */

/** A signed-in user of exactly one role (built from the permission matrix). */
export interface RoleCaller {
  kind: TenantKind;
  role: Role;
  token: string;
  /** e.g. `partner GlobalAdmin`. */
  label: string;
}

/** Another organisation's channel: what the 404 cases reach for. */
export interface OtherChannel {
  provider: EnrolledPartner;
  reseller: EnrolledPartner;
  customer: CreatedCustomer;
  /** A user of `provider`. */
  user: AddedUser;
  /** A pending partnership request of `provider`. */
  partnershipRequest: PartnershipRequestSent;
  /** A pending reseller relationship request of `reseller`. */
  relationshipRequest: RelationshipRequestSent;
  /** A Billing admin of `customer`, added by `provider` through its delegated admin privileges. */
  customerUser: AddedUser;
  /** A disabled user of `provider`. */
  disabledUser: AddedUser;
}

/** The shared channel every valid call of a route can be built from. */
export interface BaseWorld {
  operator: { token: string };
  provider: EnrolledPartner;
  reseller: EnrolledPartner;
  customer: SignedUpCustomer;
  /** A customer `provider` created for `reseller`, with one subscription. */
  providerCustomer: CreatedCustomer;
}

/** The base world, plus a user of every role and another organisation's channel. */
export interface World extends BaseWorld {
  /** One single-role user per role of the permission matrix (partner, customer, platform). */
  callers: RoleCaller[];
  /** A Global admin of `provider` still on a temporary password. */
  temporaryPasswordToken: string;
  other: OtherChannel;
}

/** The offer every fixture orders. */
export const OFFER_ID = 'microsoft-365-business-basic';

/** The body of `POST /v1/customers` for a new, unique customer. */
export function newCustomerBody(options: { indirectResellerId?: string } = {}) {
  return {
    companyProfile: {
      companyName: uniqueName('Adatum Corporation'),
      domainPrefix: uniqueDomainPrefix('adatum'),
    },
    address: addressIn('US'),
    admin: { firstName: 'Ada', lastName: 'Adatum', email: uniqueEmail('ada', 'adatum') },
    ...(options.indirectResellerId ? { indirectResellerId: options.indirectResellerId } : {}),
    subscriptions: [{ offerId: OFFER_ID, quantity: 10 }],
  };
}

/** The body of `POST /v1/enrollments` for a new, unique partner (admin = primary contact). */
export function newEnrollmentBody(partnerType: PartnerType = 'indirect_reseller') {
  const name = uniqueName('Litware');
  const company = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const email = uniqueEmail('admin', company);
  return {
    legalBusinessName: name,
    address: addressIn('US'),
    cloud: 'public',
    partnerType,
    mpnId: uniqueMpnId(),
    primaryContact: { name: 'Pat Primary', email, phone: '+1 555 0100' },
    supportContact: { name: 'Sam Support', email: uniqueEmail('support', company) },
    globalAdmin: { firstName: 'Alex', lastName: 'Admin', email, password: strongPassword() },
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

/**
 * Bounded poll until `provider` may manage `resellerTenantId`'s users (the grant travels from
 * relationships to identity through the queue).
 * @throws Error when it does not arrive within `timeoutMs`.
 */
export async function waitForAdminAccess(
  provider: { token: string },
  resellerTenantId: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await api('identity')
      .get(`/v1/organizations/${resellerTenantId}/users`)
      .set(bearer(provider.token));
    if (response.status === 200) return;
    if (Date.now() >= deadline) {
      throw new Error(`No administrator access after ${timeoutMs} ms: ${response.status}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

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

/** The body of `POST /v1/customers/{customerTenantId}/users`: a unique Billing admin by default. */
export function newCustomerUserBody(roles: string[] = ['BillingAdmin']) {
  return { firstName: 'Bea', lastName: 'Billing', email: uniqueEmail('bea', 'adatum'), roles };
}

/**
 * `POST /v1/customers/{customerTenantId}/users` as `partner`, which holds delegated admin
 * privileges for the customer (a customer it created has them); 201.
 */
export async function addCustomerUser(
  partner: { token: string },
  customerTenantId: string,
  roles: string[] = ['BillingAdmin'],
): Promise<AddedUser> {
  return expectStatus<AddedUser>(
    await api('identity')
      .post(`/v1/customers/${customerTenantId}/users`)
      .set(bearer(partner.token))
      .send(newCustomerUserBody(roles)),
    201,
  );
}

/** `addUser`, then `POST /v1/users/{id}/disable` by the same admin; 200. */
export async function addDisabledUser(
  admin: { token: string },
  options: { company?: string } = {},
): Promise<AddedUser> {
  const added = await addUser(admin.token, ['SalesAgent'], options);
  const user = expectStatus<AddedUser['user']>(
    await api('identity').post(`/v1/users/${added.user.id}/disable`).set(bearer(admin.token)),
    200,
  );
  if (!user.disabled) throw new Error(`The user ${user.id} was not disabled.`);
  return { ...added, user };
}

/** The operator signs in. */
export async function operatorToken(): Promise<string> {
  const { email, password } = system().operator;
  return (await signIn(email, password)).accessToken;
}

/**
 * A partner enrollment left `pending_verification` (its link not followed); returns its id.
 */
export async function pendingEnrollment(): Promise<string> {
  const body = newEnrollmentBody();
  return expectStatus<{ enrollmentId: string }>(
    await api('identity').post('/v1/enrollments').send(body),
    201,
  ).enrollmentId;
}

/**
 * A partner enrollment `in_review`: enrolled and verified through `reviewUrl`, an identity
 * instance with auto-approval off (test/e2e/support/instances.ts). Returns its id.
 */
export async function enrollmentInReview(reviewUrl: string): Promise<string> {
  const body = newEnrollmentBody();
  const created = expectStatus<{ enrollmentId: string }>(
    await request(reviewUrl).post('/v1/enrollments').send(body),
    201,
  );
  const verification = await waitForEmail({ to: body.primaryContact.email });
  const verified = await fetch(linkIn(verification));
  if (verified.status !== 200) throw new Error(`Verification answered ${verified.status}`);
  return created.enrollmentId;
}

async function roleCallers(
  provider: EnrolledPartner,
  customer: SignedUpCustomer,
  operator: string,
): Promise<RoleCaller[]> {
  const build = async (kind: TenantKind, role: Role): Promise<RoleCaller> => {
    const label = `${kind} ${role}`;
    if (kind === 'platform') return { kind, role, token: operator, label };
    const owner = kind === 'partner' ? provider : customer;
    const user = await addActiveUser(owner.token, [role]);
    return { kind, role, token: user.token, label };
  };
  const wanted = (Object.keys(PERMISSION_MATRIX) as TenantKind[]).flatMap((kind) =>
    (Object.keys(PERMISSION_MATRIX[kind]) as Role[]).map((role) => [kind, role] as const),
  );
  // Three at a time: each is an argon2 hash, a sign-in and a password change in identity.
  const callers: RoleCaller[] = [];
  for (let i = 0; i < wanted.length; i += 3) {
    callers.push(
      ...(await Promise.all(wanted.slice(i, i + 3).map(([kind, role]) => build(kind, role)))),
    );
  }
  return callers;
}

async function otherChannel(): Promise<OtherChannel> {
  const [provider, reseller] = await Promise.all([
    enrollPartner({ partnerType: 'indirect_provider', name: uniqueName('Wingtip Distribution') }),
    enrollPartner({ partnerType: 'indirect_reseller', name: uniqueName('Woodgrove Resellers') }),
  ]);
  await partner(provider, reseller);
  const customer = await createCustomer(
    provider,
    newCustomerBody({ indirectResellerId: reseller.tenantId }),
  );
  const [user, partnershipRequest, relationshipRequest, customerUser, disabledUser] =
    await Promise.all([
      addUser(provider.token, ['SalesAgent'], { company: 'wingtip' }),
      draftPartnershipRequest(provider),
      draftRelationshipRequest(reseller, { delegatedAdmin: true }),
      addCustomerUser(provider, customer.customer.id),
      addDisabledUser(provider, { company: 'wingtip' }),
    ]);
  return {
    provider,
    reseller,
    customer,
    user,
    partnershipRequest,
    relationshipRequest,
    customerUser,
    disabledUser,
  };
}

/**
 * The base world: an indirect provider and an indirect reseller with their partnership and
 * administrator access, a signed-up customer, a customer the provider created, the operator.
 */
export async function buildBaseWorld(): Promise<BaseWorld> {
  const [provider, reseller, customer, operator] = await Promise.all([
    enrollPartner({ partnerType: 'indirect_provider', name: uniqueName('Contoso Distribution') }),
    enrollPartner({ partnerType: 'indirect_reseller', name: uniqueName('Fabrikam') }),
    signUpCustomer(),
    operatorToken(),
  ]);
  await partner(provider, reseller);
  const providerCustomer = await createCustomer(
    provider,
    newCustomerBody({ indirectResellerId: reseller.tenantId }),
  );
  return { operator: { token: operator }, provider, reseller, customer, providerCustomer };
}

/** The whole world (about a dozen enrollments, sign-ins and emails; moderate parallelism). */
export async function buildWorld(): Promise<World> {
  const base = await buildBaseWorld();
  const other = await otherChannel();
  const callers = await roleCallers(base.provider, base.customer, base.operator.token);
  const temporary = await addUser(base.provider.token, ['GlobalAdmin']);
  const temporaryPasswordToken = (await signIn(temporary.user.email, temporary.temporaryPassword))
    .accessToken;
  return { ...base, callers, temporaryPasswordToken, other };
}

/**
 * A delivery that failed for good, with its job kept: the row the notifications worker records
 * when the SMTP server refuses an `invitation-accepted` note with a 5xx on the first attempt
 * (status `failed`, settled, permanent, the reply, the rendered subject, the job's data; no link:
 * the template carries none). Written straight into the notifications database: a real refusal
 * needs a refusing SMTP server and a second notifications instance. A replay queues the kept job
 * on the main system, whose worker delivers it to MailDev.
 * @returns its idempotency key.
 */
export async function failedDelivery(): Promise<string> {
  const key = randomUUID();
  const organization = uniqueName('Tailspin Toys');
  const data = {
    inviterName: 'Ivy Inviter',
    invitationKind: 'partnership',
    acceptedByOrganization: organization,
    acceptedAt: new Date().toISOString(),
  };
  await dbRows(
    'notifications',
    `insert into "delivery" ("idempotency_key", "message_id", "template", "recipient", "locale",
       "subject", "status", "settled", "permanent", "smtp_response", "attempts", "data")
     values ($1, $2, 'invitation-accepted', $3, 'en', $4, 'failed', true, true, $5, 1, $6)`,
    [
      key,
      `<${key}@${harnessSettings().messageIdDomain}>`,
      uniqueEmail('bounce', 'tailspin'),
      `${organization} accepted your partnership request`,
      '550 5.1.1 Mailbox unavailable',
      JSON.stringify(data),
    ],
  );
  return key;
}
