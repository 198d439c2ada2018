import type { Response } from 'supertest';
import { addressIn, strongPassword, uniqueEmail, uniqueMpnId, uniqueName } from '../data';
import { expectStatus } from '../http';
import { linkIn, waitForEmail, waitForEmailWhere, type ReceivedEmail } from '../maildev';
import { api, bearer, documentedAgent, system } from '../system';
import { signIn, type PartnerType } from './flows';
import type { Contact } from './types';
import { confirmLinkPage } from './verification';

/**
 * Partner enrollments (seed 004 "Enroll") in the states the specs need, the verification link and
 * its resend, active partners whose primary contact is not their admin, and the operator who
 * reviews enrollments.
 */

/** The answer to `POST /v1/enrollments`. */
export interface EnrollmentCreated {
  enrollmentId: string;
  tenantId: string;
  status: string;
  primaryContactEmail: string;
}

/** The body of `POST /v1/enrollments` that `enrollmentBody` builds. */
export interface EnrollmentRequest {
  legalBusinessName: string;
  address: ReturnType<typeof addressIn>;
  cloud: 'public';
  partnerType: PartnerType;
  mpnId: string;
  primaryContact: Contact;
  supportContact: Contact;
  locale?: 'en' | 'ja';
  globalAdmin: { firstName: string; lastName: string; email: string; password: string };
}

/**
 * A valid enrollment body with a unique company, Partner ID, primary contact and admin (the primary
 * contact is not the admin, and both contacts have a phone).
 */
export function enrollmentBody(options: {
  partnerType: PartnerType;
  country?: string;
  name?: string;
  locale?: 'en' | 'ja';
}): EnrollmentRequest {
  const name = options.name ?? uniqueName('Contoso');
  const company = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 30);
  return {
    legalBusinessName: name,
    address: addressIn(options.country ?? 'US'),
    cloud: 'public',
    partnerType: options.partnerType,
    mpnId: uniqueMpnId(),
    primaryContact: {
      name: 'Pat Primary',
      email: uniqueEmail('primary', company),
      phone: '+1 555 0100',
    },
    supportContact: {
      name: 'Sam Support',
      email: uniqueEmail('support', company),
      phone: '+1 555 0199',
    },
    ...(options.locale ? { locale: options.locale } : {}),
    globalAdmin: {
      firstName: 'Alex',
      lastName: 'Admin',
      email: uniqueEmail('admin', company),
      password: strongPassword(),
    },
  };
}

/** The body of `POST /v1/enrollments` that `resellerEnrollmentBody` builds. */
export interface ResellerEnrollmentBody {
  legalBusinessName: string;
  address: ReturnType<typeof addressIn>;
  cloud: 'public';
  partnerType: 'indirect_reseller';
  mpnId: string;
  primaryContact: { name: string; email: string; phone: string };
  supportContact: { name: string; email: string };
  locale?: 'en' | 'ja';
  globalAdmin: { firstName: string; lastName: string; email: string; password: string };
}

/**
 * The enrollment body of a unique indirect reseller (Fabrikam) in the US, or in Japan for `ja`; the
 * primary contact is not the admin, the support contact has no phone.
 */
export function resellerEnrollmentBody(locale?: 'en' | 'ja'): ResellerEnrollmentBody {
  const name = uniqueName('Fabrikam');
  return {
    legalBusinessName: name,
    address: addressIn(locale === 'ja' ? 'JP' : 'US'),
    cloud: 'public',
    partnerType: 'indirect_reseller',
    mpnId: uniqueMpnId(),
    primaryContact: {
      name: 'Pat Primary',
      email: uniqueEmail('primary', 'fabrikam'),
      phone: '+1 555 0100',
    },
    supportContact: { name: 'Sam Support', email: uniqueEmail('support', 'fabrikam') },
    ...(locale ? { locale } : {}),
    globalAdmin: {
      firstName: 'Alex',
      lastName: 'Admin',
      email: uniqueEmail('admin', 'fabrikam'),
      password: strongPassword(),
    },
  };
}

/** `POST /v1/enrollments` on `base` (the harness's identity by default); 201. */
export async function enroll(body: object, base?: string): Promise<EnrollmentCreated> {
  const agent = base ? documentedAgent(base) : api('identity');
  return expectStatus<EnrollmentCreated>(await agent.post('/v1/enrollments').send(body), 201);
}

/** `POST /v1/enrollments/verify { token }`: the verification link, as an API. */
export const verifyByApi = (token: string): Promise<Response> =>
  api('identity').post('/v1/enrollments/verify').send({ token });

/** `POST /v1/enrollments/verification/resend { email }`: the public resend (always 202). */
export const resendVerification = (email: string): Promise<Response> =>
  api('identity').post('/v1/enrollments/verification/resend').send({ email });

/** The newest email to `to` with `subject` whose link is none of `seen`. */
export function waitForNewLink(
  to: string,
  subject: string,
  seen: string[],
): Promise<ReceivedEmail> {
  return waitForEmailWhere({ to, subjectIncludes: subject }, (e) => !seen.includes(linkIn(e)));
}

/** An active partner whose primary contact is not its admin, with its enrollment. */
export interface ActivePartner {
  body: EnrollmentRequest;
  created: EnrollmentCreated;
  tenantId: string;
  /** An access token of its Global admin (also an Admin agent). */
  token: string;
  name: string;
  mpnId: string;
  adminEmail: string;
}

/** Subject of the enrollment verification email to the primary contact (en). */
export const ENROLLMENT_VERIFICATION_SUBJECT = 'to continue the enrollment of';

/**
 * Follows the verification link emailed to the primary contact: opens its page and presses its
 * button (the `GET` alone changes nothing, issue 9 point 14); expects 200.
 */
export async function verifyByEmail(primaryEmail: string): Promise<void> {
  const email = await waitForEmail({
    to: primaryEmail,
    subjectIncludes: ENROLLMENT_VERIFICATION_SUBJECT,
  });
  await confirmLinkPage(linkIn(email));
}

/**
 * Enrolls with `enrollmentBody`, verifies through the link emailed to the primary contact (the e2e
 * system auto-approves: active), and signs the admin in (whose own address is verified through its
 * own link on the way: `signIn`).
 */
export async function activePartner(options: {
  partnerType: PartnerType;
  country?: string;
  name?: string;
}): Promise<ActivePartner> {
  const body = enrollmentBody(options);
  const created = expectStatus<EnrollmentCreated>(
    await api('identity').post('/v1/enrollments').send(body),
    201,
  );
  await verifyByEmail(body.primaryContact.email);
  const { accessToken } = await signIn(
    body.globalAdmin.email,
    body.globalAdmin.password,
    created.tenantId,
  );
  return {
    body,
    created,
    tenantId: created.tenantId,
    token: accessToken,
    name: body.legalBusinessName,
    mpnId: body.mpnId,
    adminEmail: body.globalAdmin.email,
  };
}

/**
 * A transaction of a partner (seed 004: only active partners transact): a reseller relationship
 * request as a draft only (no email goes out).
 */
export function requestRelationshipDraft(token: string): Promise<Response> {
  return api('relationships')
    .post('/v1/customers/relationship-requests')
    .set(bearer(token))
    .send({ email: uniqueEmail('it', 'northwind'), delegatedAdmin: false, draftOnly: true });
}

/** The operator signs in; its account needs no password change. */
export async function signInOperator(): Promise<string> {
  const { email, password } = system().operator;
  const session = await signIn(email, password);
  expect(session.passwordChangeRequired).toBe(false);
  return session.accessToken;
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
    await documentedAgent(reviewUrl).post('/v1/enrollments').send(body),
    201,
  );
  const verification = await waitForEmail({
    to: body.primaryContact.email,
    subjectIncludes: ENROLLMENT_VERIFICATION_SUBJECT,
  });
  await confirmLinkPage(linkIn(verification));
  return created.enrollmentId;
}
