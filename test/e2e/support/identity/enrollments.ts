import request from 'supertest';
import { addressIn, strongPassword, uniqueEmail, uniqueMpnId, uniqueName } from '../data';
import { expectStatus } from '../http';
import { linkIn, waitForEmail } from '../maildev';
import { api, system } from '../system';
import { signIn, type PartnerType } from './flows';

/**
 * Partner enrollments (seed 004 "Enroll") in the states the specs need, and the operator who
 * reviews them.
 */

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
    await request(reviewUrl).post('/v1/enrollments').send(body),
    201,
  );
  const verification = await waitForEmail({ to: body.primaryContact.email });
  const verified = await fetch(linkIn(verification));
  if (verified.status !== 200) throw new Error(`Verification answered ${verified.status}`);
  return created.enrollmentId;
}
