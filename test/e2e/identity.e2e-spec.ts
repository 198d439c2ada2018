import type { Client } from 'pg';
import request, { type Response } from 'supertest';
import {
  addActiveUser,
  addUser,
  addressIn,
  api,
  bearer,
  connectDatabase,
  emailsTo,
  establishPartnership,
  expectApiError,
  expectStatus,
  linkIn,
  partnerRelationships,
  signIn,
  signUpCustomer,
  startExtraInstance,
  strongPassword,
  system,
  tokenIn,
  uniqueDomainPrefix,
  uniqueEmail,
  uniqueMpnId,
  uniqueName,
  waitForEmail,
  type AddedUser,
  type ApiError,
  type Collection,
  type ExtraInstance,
  type PartnerType,
  type SignedUpCustomer,
  type UserView,
} from './support';

/**
 * Identity end to end (seed 004; DESIGN.md "Partner", "User", "Roles"): enrollment and its
 * verification link, operator review, sign-in and the temporary password, user management, customer
 * sign-up, the indirect provider directory, the partner profile, the provider's administrator
 * access to a reseller that authorized it, and relationships verifying identity's tokens.
 */

// ---------------------------------------------------------------------------------------------
// Test-local helpers
// ---------------------------------------------------------------------------------------------

interface Contact {
  name: string;
  email: string;
  phone: string | null;
}

interface PartnerProfile {
  tenantId: string;
  legalBusinessName: string;
  partnerType: PartnerType;
  mpnId: string;
  status: string;
  country: string;
  cloud: string;
  address: Record<string, unknown>;
  primaryContact: Contact;
  supportContact: Contact;
  version: number;
}

let identityDb: Client;

/** One row count of the run's identity database. */
async function countRows(sql: string, params: unknown[]): Promise<number> {
  const result = await identityDb.query<{ n: string }>(sql, params);
  return Number(result.rows[0]?.n ?? 0);
}

const VERIFY_SUBJECT = 'Verify your email address';

interface EnrollmentRequest {
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

/** A valid enrollment body with a unique company, Partner ID, primary contact and admin. */
function enrollmentBody(options: {
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

interface EnrollmentCreated {
  enrollmentId: string;
  tenantId: string;
  status: string;
  primaryContactEmail: string;
}

interface Partner {
  body: EnrollmentRequest;
  created: EnrollmentCreated;
  tenantId: string;
  token: string;
  name: string;
  mpnId: string;
  adminEmail: string;
}

/** Follows the verification link emailed to the primary contact; expects 200. */
async function verifyByEmail(primaryEmail: string): Promise<void> {
  const email = await waitForEmail({ to: primaryEmail, subjectIncludes: VERIFY_SUBJECT });
  const response = await fetch(linkIn(email));
  if (response.status !== 200) {
    throw new Error(`The verification link answered ${response.status}: ${await response.text()}`);
  }
}

/** Enrolls, verifies through the emailed link (auto-approved: active), signs the admin in. */
async function activePartner(options: {
  partnerType: PartnerType;
  country?: string;
  name?: string;
}): Promise<Partner> {
  const body = enrollmentBody(options);
  const created = expectStatus<EnrollmentCreated>(
    await api('identity').post('/v1/enrollments').send(body),
    201,
  );
  await verifyByEmail(body.primaryContact.email);
  const { accessToken } = await signIn(body.globalAdmin.email, body.globalAdmin.password);
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
function requestRelationshipDraft(token: string): Promise<Response> {
  return api('relationships')
    .post('/v1/customers/relationship-requests')
    .set(bearer(token))
    .send({ email: uniqueEmail('it', 'northwind'), delegatedAdmin: false, draftOnly: true });
}

async function signInOperator(): Promise<string> {
  const { email, password } = system().operator;
  const session = await signIn(email, password);
  expect(session.passwordChangeRequired).toBe(false);
  return session.accessToken;
}

// ---------------------------------------------------------------------------------------------
// Shared tenants
// ---------------------------------------------------------------------------------------------

/** An indirect provider in New Zealand (the directory's country filter). */
let provider: Partner;
/** An indirect reseller in New Zealand. */
let reseller: Partner;
/** Another indirect provider, never partnered with the reseller. */
let stranger: Partner;

beforeAll(async () => {
  identityDb = await connectDatabase('identity');
  [provider, reseller, stranger] = await Promise.all([
    activePartner({
      partnerType: 'indirect_provider',
      country: 'NZ',
      name: uniqueName('Contoso Distribution'),
    }),
    activePartner({
      partnerType: 'indirect_reseller',
      country: 'NZ',
      name: uniqueName('Fabrikam'),
    }),
    activePartner({ partnerType: 'indirect_provider', country: 'AU', name: uniqueName('Litware') }),
  ]);
}, 120_000);

afterAll(async () => {
  await identityDb?.end();
});

// ---------------------------------------------------------------------------------------------
// Enrollment
// ---------------------------------------------------------------------------------------------

describe('partner enrollment (seed 004 "Enroll")', () => {
  it('answers 201, emails the primary contact a verification link that activates the partner once, then the status', async () => {
    const body = enrollmentBody({ partnerType: 'indirect_reseller', country: 'GB' });
    const response = await api('identity').post('/v1/enrollments').send(body);
    const created = expectStatus<EnrollmentCreated>(response, 201);
    expect(created).toEqual({
      enrollmentId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      tenantId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: 'pending_verification',
      primaryContactEmail: body.primaryContact.email,
    });
    // Exactly one partner tenant with that Partner ID, still pending.
    const tenant = await identityDb.query<{ partner_status: string; kind: string }>(
      'select "partner_status", "kind" from "tenant" where "mpn_id" = $1',
      [body.mpnId],
    );
    expect(tenant.rows).toEqual([{ partner_status: 'pending_verification', kind: 'partner' }]);

    // Not active yet: the admin signs in, but the partner cannot transact.
    const early = await signIn(body.globalAdmin.email, body.globalAdmin.password);
    expectApiError(await requestRelationshipDraft(early.accessToken), 403, 'partner.not_active');

    // The verification email goes to the primary contact (not to the admin), in English, with a
    // link to identity's verify page.
    const verification = await waitForEmail({
      to: body.primaryContact.email,
      subjectIncludes: VERIFY_SUBJECT,
    });
    expect(verification.subject).toContain(body.legalBusinessName);
    expect(verification.headers['content-language']).toBe('en');
    const link = linkIn(verification);
    expect(link).toMatch(
      new RegExp(
        `^${system().urls.identity.replace(/[.]/g, '\\.')}/v1/enrollments/verify\\?token=`,
      ),
    );
    expect(verification.html).toContain(tokenIn(verification));
    expect(await emailsTo({ to: body.globalAdmin.email })).toEqual([]);

    // Following the link verifies; the e2e system auto-approves, so the partner is active.
    const verified = await fetch(link);
    expect(verified.status).toBe(200);
    expect(verified.headers.get('content-type')).toContain('text/html');
    const page = await verified.text();
    expect(page).toContain('Email address verified');
    expect(page).toContain('now active');

    // The status email to the primary contact.
    const status = await waitForEmail({
      to: body.primaryContact.email,
      subjectIncludes: 'is ready',
    });
    expect(status.subject).toBe(`Your partner account for ${body.legalBusinessName} is ready`);
    expect(status.text).toContain('Admin agent');

    // Single use: the same link again answers 410, on the page and on the API.
    const again = await fetch(link);
    expect(again.status).toBe(410);
    expect(await again.text()).toContain('already been used');
    expectApiError(
      await api('identity')
        .post('/v1/enrollments/verify')
        .send({ token: tokenIn(verification) }),
      410,
      'enrollment.token_used',
    );

    // The first user is Global admin and Admin agent of an active partner.
    const session = await signIn(body.globalAdmin.email, body.globalAdmin.password);
    expect(session.passwordChangeRequired).toBe(false);
    const me = expectStatus<{ user: UserView; tenant: { id: string } }>(
      await api('identity').get('/v1/me').set(bearer(session.accessToken)),
      200,
    );
    expect(me.tenant.id).toBe(created.tenantId);
    expect(me.user.email).toBe(body.globalAdmin.email);
    expect([...me.user.roles].sort()).toEqual(['AdminAgent', 'GlobalAdmin']);
    const profile = expectStatus<PartnerProfile>(
      await api('identity').get('/v1/partner-profile').set(bearer(session.accessToken)),
      200,
    );
    expect(profile).toMatchObject({
      tenantId: created.tenantId,
      legalBusinessName: body.legalBusinessName,
      partnerType: 'indirect_reseller',
      mpnId: body.mpnId,
      status: 'active',
      country: 'GB',
      cloud: 'public',
      primaryContact: body.primaryContact,
      supportContact: body.supportContact,
    });
    // Now it transacts.
    expectStatus(await requestRelationshipDraft(session.accessToken), 201);
  });

  it('emails the verification in the enrollment locale (Japanese)', async () => {
    const body = enrollmentBody({ partnerType: 'direct', country: 'JP', locale: 'ja' });
    expectStatus(await api('identity').post('/v1/enrollments').send(body), 201);
    const verification = await waitForEmail({ to: body.primaryContact.email });
    expect(verification.subject).toBe(
      `${body.legalBusinessName} の登録を続けるために、メール アドレスを確認してください`,
    );
    expect(verification.headers['content-language']).toBe('ja');
    expect(linkIn(verification)).toContain('/v1/enrollments/verify?token=');
  });

  it.each(['gmail.com', 'outlook.com', 'yahoo.com', 'hotmail.co.uk', 'icloud.com', 'GMail.COM'])(
    'refuses a primary contact at %s with 400 enrollment.webmail_primary_contact and writes nothing',
    async (domain) => {
      const body = enrollmentBody({ partnerType: 'indirect_reseller' });
      body.primaryContact.email = `pat.${uniqueMpnId()}@${domain}`;
      const error = expectApiError(
        await api('identity').post('/v1/enrollments').send(body),
        400,
        'enrollment.webmail_primary_contact',
      );
      expect(error.source).toBe('identity');
      expect(error.data).toMatchObject({ field: 'primaryContact.email' });
      expect(
        await countRows('select count(*) as n from "tenant" where "mpn_id" = $1', [body.mpnId]),
      ).toBe(0);
      expect(
        await countRows('select count(*) as n from "user_account" where "email" = $1', [
          body.globalAdmin.email,
        ]),
      ).toBe(0);
      expect(
        await countRows(
          `select count(*) as n from "outbox_message" where "payload"::text like $1`,
          [`%${body.primaryContact.email}%`],
        ),
      ).toBe(0);
    },
  );

  it('refuses a Partner ID (MPN ID) already enrolled with 409 and writes nothing', async () => {
    const body = enrollmentBody({ partnerType: 'indirect_provider' });
    body.mpnId = provider.mpnId;
    expectApiError(
      await api('identity').post('/v1/enrollments').send(body),
      409,
      'enrollment.mpn_id_taken',
    );
    expect(
      await countRows('select count(*) as n from "tenant" where "mpn_id" = $1', [provider.mpnId]),
    ).toBe(1);
    expect(
      await countRows('select count(*) as n from "user_account" where "email" = $1', [
        body.globalAdmin.email,
      ]),
    ).toBe(0);
    expect(
      await countRows(`select count(*) as n from "outbox_message" where "payload"::text like $1`, [
        `%${body.primaryContact.email}%`,
      ]),
    ).toBe(0);
  });

  it('answers a Global admin email already in use like a new one, creates nothing and tells the address', async () => {
    const body = enrollmentBody({ partnerType: 'indirect_reseller' });
    body.globalAdmin.email = reseller.adminEmail;
    const created = expectStatus<EnrollmentCreated>(
      await api('identity').post('/v1/enrollments').send(body),
      201,
    );
    expect(created).toEqual({
      enrollmentId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      tenantId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: 'pending_verification',
      primaryContactEmail: body.primaryContact.email,
    });
    expect(
      await countRows('select count(*) as n from "tenant" where "mpn_id" = $1 or "id" = $2', [
        body.mpnId,
        created.tenantId,
      ]),
    ).toBe(0);
    expect(
      await countRows(`select count(*) as n from "outbox_message" where "payload"::text like $1`, [
        `%${body.primaryContact.email}%`,
      ]),
    ).toBe(0);
    const notice = await waitForEmail({ to: reseller.adminEmail, subjectIncludes: 'enroll' });
    expect(notice.subject).toBe('Someone tried to enroll a partner with your email address');
    expect(notice.text).not.toContain(body.legalBusinessName);
  });

  it('answers an unknown verification token with 404 (page and API)', async () => {
    const unknown = 'x'.repeat(43);
    const page = await api('identity').get(`/v1/enrollments/verify?token=${unknown}`);
    expect(page.status).toBe(404);
    expect(page.text).toContain('not valid');
    expectApiError(
      await api('identity').post('/v1/enrollments/verify').send({ token: unknown }),
      404,
      'enrollment.token_not_found',
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Operator review
// ---------------------------------------------------------------------------------------------

describe('operator review of enrollments', () => {
  let operatorToken: string;

  beforeAll(async () => {
    operatorToken = await signInOperator();
  });

  it('lets the operator list enrollments and refuses partner users on the operator routes (403)', async () => {
    const list = expectStatus<
      Collection<{ id: string; tenantId: string; status: string; mpnId: string }>
    >(
      await api('identity')
        .get('/v1/enrollments?status=active&size=500')
        .set(bearer(operatorToken)),
      200,
    );
    expect(list.attributes.objectType).toBe('Collection');
    expect(list.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: provider.created.enrollmentId,
          tenantId: provider.tenantId,
          status: 'active',
          mpnId: provider.mpnId,
        }),
      ]),
    );
    expect(list.items.every((item) => item.status === 'active')).toBe(true);

    const hijack = { reason: 'x', legalBusinessName: 'Hijacked' };
    for (const [method, route] of [
      ['get', '/v1/enrollments'],
      ['post', `/v1/enrollments/${provider.created.enrollmentId}/approve`],
      ['post', `/v1/enrollments/${provider.created.enrollmentId}/reject`],
      ['patch', `/v1/partners/${reseller.tenantId}/profile`],
    ] as const) {
      const agent = api('identity');
      const call = method === 'get' ? agent.get(route) : agent[method](route).send(hijack);
      const response = await call.set(bearer(provider.token));
      expectApiError(response, 403, 'auth.forbidden');
    }
    expect(
      (
        await identityDb.query<{ name: string }>('select "name" from "tenant" where "id" = $1', [
          reseller.tenantId,
        ])
      ).rows[0]?.name,
    ).toBe(reseller.name);
  });

  it('refuses to approve or reject an enrollment that is not in review (409)', async () => {
    // Active (auto-approved) enrollment.
    for (const action of ['approve', 'reject']) {
      const error = expectApiError(
        await api('identity')
          .post(`/v1/enrollments/${provider.created.enrollmentId}/${action}`)
          .set(bearer(operatorToken))
          .send({ reason: 'Not a real distributor.' }),
        409,
        'enrollment.invalid_state',
      );
      expect(error.data).toMatchObject({ status: 'active', expected: 'in_review' });
    }
    // An enrollment still waiting for its verification.
    const body = enrollmentBody({ partnerType: 'indirect_reseller' });
    const pending = expectStatus<EnrollmentCreated>(
      await api('identity').post('/v1/enrollments').send(body),
      201,
    );
    expectApiError(
      await api('identity')
        .post(`/v1/enrollments/${pending.enrollmentId}/approve`)
        .set(bearer(operatorToken)),
      409,
      'enrollment.invalid_state',
    );
    const tenant = await identityDb.query<{ partner_status: string }>(
      'select "partner_status" from "tenant" where "id" = $1',
      [pending.tenantId],
    );
    expect(tenant.rows[0]?.partner_status).toBe('pending_verification');
    // An unknown enrollment is 404.
    expectApiError(
      await api('identity')
        .post('/v1/enrollments/00000000-0000-4000-8000-000000000000/approve')
        .set(bearer(operatorToken)),
      404,
      'enrollment.not_found',
    );
  });

  describe('with auto-approval off (a second identity instance on the same database)', () => {
    let review: ExtraInstance | undefined;
    let reviewUrl: string;

    beforeAll(async () => {
      review = await startExtraInstance('identity', () => ({ autoApprove: false }));
      reviewUrl = review.url;
    }, 90_000);

    afterAll(async () => {
      await review?.stop();
    }, 30_000);

    /** Enrolls through the review instance and follows the link: the enrollment is `in_review`. */
    async function enrollInReview(): Promise<{
      body: EnrollmentRequest;
      created: EnrollmentCreated;
    }> {
      const body = enrollmentBody({ partnerType: 'indirect_reseller', country: 'DE' });
      const created = expectStatus<EnrollmentCreated>(
        await request(reviewUrl).post('/v1/enrollments').send(body),
        201,
      );
      const verification = await waitForEmail({
        to: body.primaryContact.email,
        subjectIncludes: VERIFY_SUBJECT,
      });
      expect(linkIn(verification).startsWith(`${reviewUrl}/v1/enrollments/verify?token=`)).toBe(
        true,
      );
      const verified = await fetch(linkIn(verification));
      expect(verified.status).toBe(200);
      expect(await verified.text()).toContain('We are now reviewing');
      const inReview = await waitForEmail({
        to: body.primaryContact.email,
        subjectIncludes: 'We are reviewing',
      });
      expect(inReview.subject).toBe(`We are reviewing the enrollment of ${body.legalBusinessName}`);
      return { body, created };
    }

    it('moves a verified enrollment to in_review; the operator approves it and the primary contact is told', async () => {
      const { body, created } = await enrollInReview();
      const operator = await signInOperator();
      const inReview = expectStatus<Collection<{ id: string; status: string }>>(
        await api('identity')
          .get('/v1/enrollments?status=in_review&size=500')
          .set(bearer(operator)),
        200,
      );
      expect(inReview.items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ id: created.enrollmentId, status: 'in_review' }),
        ]),
      );
      // Only active partners transact.
      const admin = await signIn(body.globalAdmin.email, body.globalAdmin.password);
      expectApiError(await requestRelationshipDraft(admin.accessToken), 403, 'partner.not_active');

      const approved = expectStatus<{ id: string; status: string; reviewedAt: string | null }>(
        await api('identity')
          .post(`/v1/enrollments/${created.enrollmentId}/approve`)
          .set(bearer(operator)),
        200,
      );
      expect(approved).toMatchObject({ id: created.enrollmentId, status: 'active' });
      expect(approved.reviewedAt).toEqual(expect.any(String));
      const ready = await waitForEmail({
        to: body.primaryContact.email,
        subjectIncludes: 'is ready',
      });
      expect(ready.subject).toBe(`Your partner account for ${body.legalBusinessName} is ready`);
      // A second decision is refused.
      expectApiError(
        await api('identity')
          .post(`/v1/enrollments/${created.enrollmentId}/reject`)
          .set(bearer(operator))
          .send({ reason: 'Too late.' }),
        409,
        'enrollment.invalid_state',
      );
      const session = await signIn(body.globalAdmin.email, body.globalAdmin.password);
      expectStatus(await requestRelationshipDraft(session.accessToken), 201);
    });

    it('lets the operator reject an enrollment in review with a reason emailed to the primary contact', async () => {
      const { body, created } = await enrollInReview();
      const operator = await signInOperator();
      expectApiError(
        await api('identity')
          .post(`/v1/enrollments/${created.enrollmentId}/reject`)
          .set(bearer(operator))
          .send({ reason: '   ' }),
        400,
        'request.invalid',
      );
      const reason = `The Partner ID ${body.mpnId} does not match the legal business name.`;
      const rejected = expectStatus<{ id: string; status: string; rejectionReason: string }>(
        await api('identity')
          .post(`/v1/enrollments/${created.enrollmentId}/reject`)
          .set(bearer(operator))
          .send({ reason }),
        200,
      );
      expect(rejected).toMatchObject({
        id: created.enrollmentId,
        status: 'rejected',
        rejectionReason: reason,
      });
      const email = await waitForEmail({
        to: body.primaryContact.email,
        subjectIncludes: 'was not approved',
      });
      expect(email.subject).toBe(`The enrollment of ${body.legalBusinessName} was not approved`);
      expect(email.text).toContain(reason);
      expect(email.recipient).toBe(body.primaryContact.email.toLowerCase());
      expectApiError(
        await api('identity')
          .post(`/v1/enrollments/${created.enrollmentId}/approve`)
          .set(bearer(operator)),
        409,
        'enrollment.invalid_state',
      );
      // A rejected partner does not transact.
      const session = await signIn(body.globalAdmin.email, body.globalAdmin.password);
      expectApiError(
        await requestRelationshipDraft(session.accessToken),
        403,
        'partner.not_active',
      );
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Sign-in and the temporary password
// ---------------------------------------------------------------------------------------------

describe('sign-in', () => {
  it('answers a wrong password and an unknown email with the same 401 body', async () => {
    const wrong = await api('identity')
      .post('/v1/auth/token')
      .send({ email: reseller.adminEmail, password: `${reseller.body.globalAdmin.password}x` });
    const unknown = await api('identity')
      .post('/v1/auth/token')
      .send({ email: uniqueEmail('nobody', 'nowhere'), password: strongPassword() });
    const wrongBody = expectApiError(wrong, 401, 'auth.invalid_credentials');
    const unknownBody = expectApiError(unknown, 401, 'auth.invalid_credentials');
    expect(unknownBody).toEqual(wrongBody);
    expect(wrong.body).not.toHaveProperty('accessToken');
  });

  it('signs a user on a temporary password in for a password change only, then issues a full token', async () => {
    const added = await addUser(reseller.token, ['SalesAgent']);
    expect(added.user.passwordTemporary).toBe(true);
    const first = expectStatus<{
      accessToken: string;
      tokenType: string;
      expiresIn: number;
      passwordChangeRequired: boolean;
    }>(
      await api('identity')
        .post('/v1/auth/token')
        .send({ email: added.user.email, password: added.temporaryPassword }),
      200,
    );
    expect(first).toMatchObject({ tokenType: 'Bearer', passwordChangeRequired: true });
    expect(first.expiresIn).toBeGreaterThan(0);

    // Its own account is readable; everything else is 403 auth.password_change_required, on
    // identity and on relationships.
    expectStatus(await api('identity').get('/v1/me').set(bearer(first.accessToken)), 200);
    expectApiError(
      await api('identity').get('/v1/partner-profile').set(bearer(first.accessToken)),
      403,
      'auth.password_change_required',
    );
    expectApiError(
      await api('relationships').get('/v1/customers').set(bearer(first.accessToken)),
      403,
      'auth.password_change_required',
    );

    // A wrong current password and a weak new one are refused; the temporary one still works.
    expectApiError(
      await api('identity')
        .post('/v1/auth/password')
        .set(bearer(first.accessToken))
        .send({ currentPassword: `${added.temporaryPassword}x`, newPassword: strongPassword() }),
      401,
      'auth.invalid_credentials',
    );
    expectApiError(
      await api('identity')
        .post('/v1/auth/password')
        .set(bearer(first.accessToken))
        .send({ currentPassword: added.temporaryPassword, newPassword: 'short' }),
      400,
      'user.weak_password',
    );

    const newPassword = strongPassword();
    const changed = expectStatus<{ accessToken: string; passwordChangeRequired: boolean }>(
      await api('identity')
        .post('/v1/auth/password')
        .set(bearer(first.accessToken))
        .send({ currentPassword: added.temporaryPassword, newPassword }),
      200,
    );
    expect(changed.passwordChangeRequired).toBe(false);
    expectStatus(
      await api('relationships').get('/v1/customers').set(bearer(changed.accessToken)),
      200,
    );
    expectStatus(
      await api('identity').get('/v1/partner-profile').set(bearer(changed.accessToken)),
      200,
    );

    // The temporary password is gone; the new one signs in without a change required.
    expectApiError(
      await api('identity')
        .post('/v1/auth/token')
        .send({ email: added.user.email, password: added.temporaryPassword }),
      401,
      'auth.invalid_credentials',
    );
    expect((await signIn(added.user.email, newPassword)).passwordChangeRequired).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// User management
// ---------------------------------------------------------------------------------------------

describe('user management (/v1/users)', () => {
  it('adds a user with a temporary password shown once, lists, changes roles and removes it', async () => {
    const email = uniqueEmail('helpdesk', 'fabrikam');
    const response = await api('identity')
      .post('/v1/users')
      .set(bearer(reseller.token))
      .send({ firstName: 'Hana', lastName: 'Helpdesk', email, roles: ['HelpdeskAgent'] });
    const added = expectStatus<AddedUser>(response, 201);
    expect(added.user).toMatchObject({
      email,
      firstName: 'Hana',
      lastName: 'Helpdesk',
      roles: ['HelpdeskAgent'],
      passwordTemporary: true,
      disabled: false,
    });
    expect(added.temporaryPassword).toEqual(expect.any(String));
    expect(added.temporaryPassword.length).toBeGreaterThanOrEqual(12);
    // Stored only as a hash.
    const stored = await identityDb.query<{ password_hash: string; tenant_id: string }>(
      'select "password_hash", "tenant_id" from "user_account" where "email" = $1',
      [email],
    );
    expect(stored.rows).toHaveLength(1);
    expect(stored.rows[0].tenant_id).toBe(reseller.tenantId);
    expect(stored.rows[0].password_hash).not.toContain(added.temporaryPassword);
    expect(stored.rows[0].password_hash).toMatch(/^\$argon2id\$/);

    const list = await api('identity').get('/v1/users').set(bearer(reseller.token));
    const users = expectStatus<Collection<UserView>>(list, 200);
    expect(users.attributes.objectType).toBe('Collection');
    const listed = users.items.find((u) => u.id === added.user.id);
    expect(listed).toMatchObject({ email, roles: ['HelpdeskAgent'], passwordTemporary: true });
    expect(users.items.map((u) => u.email)).toEqual(expect.arrayContaining([reseller.adminEmail]));
    // The temporary password (and any hash) is never shown again.
    expect(list.text).not.toContain(added.temporaryPassword);
    expect(list.text).not.toMatch(/password_?hash|argon2/i);
    expect(Object.keys(listed ?? {})).not.toContain('temporaryPassword');

    // The same email again is refused.
    expectApiError(
      await api('identity')
        .post('/v1/users')
        .set(bearer(reseller.token))
        .send({ firstName: 'Hana', lastName: 'Again', email, roles: ['HelpdeskAgent'] }),
      409,
      'user.email_taken',
    );

    const updated = expectStatus<UserView>(
      await api('identity')
        .patch(`/v1/users/${added.user.id}`)
        .set(bearer(reseller.token))
        .send({ roles: ['SalesAgent', 'BillingAdmin'] }),
      200,
    );
    expect([...updated.roles].sort()).toEqual(['BillingAdmin', 'SalesAgent']);
    const after = expectStatus<Collection<UserView>>(
      await api('identity').get('/v1/users').set(bearer(reseller.token)),
      200,
    );
    expect([...(after.items.find((u) => u.id === added.user.id)?.roles ?? [])].sort()).toEqual([
      'BillingAdmin',
      'SalesAgent',
    ]);

    expect(
      (await api('identity').delete(`/v1/users/${added.user.id}`).set(bearer(reseller.token)))
        .status,
    ).toBe(204);
    const remaining = expectStatus<Collection<UserView>>(
      await api('identity').get('/v1/users').set(bearer(reseller.token)),
      200,
    );
    expect(remaining.items.some((u) => u.id === added.user.id)).toBe(false);
    expect(
      await countRows('select count(*) as n from "user_account" where "id" = $1', [added.user.id]),
    ).toBe(0);
    expectApiError(
      await api('identity').delete(`/v1/users/${added.user.id}`).set(bearer(reseller.token)),
      404,
      'user.not_found',
    );
  });

  it('refuses a role that the tenant kind does not have (400)', async () => {
    const customer = await signUpCustomer();
    for (const [token, roles, company] of [
      [reseller.token, ['Operator'], 'fabrikam'],
      [reseller.token, ['GlobalAdmin', 'Superuser'], 'fabrikam'],
      [reseller.token, [], 'fabrikam'],
      [customer.token, ['AdminAgent'], 'northwind'],
      [customer.token, ['SalesAgent'], 'northwind'],
    ] as const) {
      const email = uniqueEmail('role', company);
      expectApiError(
        await api('identity')
          .post('/v1/users')
          .set(bearer(token))
          .send({ firstName: 'Rae', lastName: 'Role', email, roles }),
        400,
        'user.invalid_role',
      );
      expect(
        await countRows('select count(*) as n from "user_account" where "email" = $1', [email]),
      ).toBe(0);
    }
    // A change of roles is checked the same way and changes nothing.
    const added = await addUser(customer.token, ['BillingAdmin'], { company: 'northwind' });
    expectApiError(
      await api('identity')
        .patch(`/v1/users/${added.user.id}`)
        .set(bearer(customer.token))
        .send({ roles: ['HelpdeskAgent'] }),
      400,
      'user.invalid_role',
    );
    const roles = await identityDb.query<{ roles: string[] }>(
      'select "roles" from "user_account" where "id" = $1',
      [added.user.id],
    );
    expect(roles.rows[0]?.roles).toEqual(['BillingAdmin']);
    // A customer's own roles are accepted.
    expectStatus(
      await api('identity')
        .patch(`/v1/users/${added.user.id}`)
        .set(bearer(customer.token))
        .send({ roles: ['UserManagementAdmin'] }),
      200,
    );
  });

  it('never demotes nor removes the last Global admin (409)', async () => {
    const customer: SignedUpCustomer = await signUpCustomer();
    expectApiError(
      await api('identity')
        .patch(`/v1/users/${customer.userId}`)
        .set(bearer(customer.token))
        .send({ roles: ['UserManagementAdmin'] }),
      409,
      'user.last_global_admin',
    );
    expectApiError(
      await api('identity').delete(`/v1/users/${customer.userId}`).set(bearer(customer.token)),
      409,
      'user.last_global_admin',
    );
    const row = await identityDb.query<{ roles: string[] }>(
      'select "roles" from "user_account" where "id" = $1',
      [customer.userId],
    );
    expect(row.rows[0]?.roles).toEqual(['GlobalAdmin']);
    // With a second Global admin, the first may step down.
    await addUser(customer.token, ['GlobalAdmin'], { company: 'northwind' });
    const demoted = expectStatus<UserView>(
      await api('identity')
        .patch(`/v1/users/${customer.userId}`)
        .set(bearer(customer.token))
        .send({ roles: ['UserManagementAdmin'] }),
      200,
    );
    expect(demoted.roles).toEqual(['UserManagementAdmin']);
  });

  it('refuses a role without the permission (a Sales agent adding a user: 403)', async () => {
    const sales = await addActiveUser(reseller.token, ['SalesAgent'], { company: 'fabrikam' });
    const email = uniqueEmail('sneaky', 'fabrikam');
    const error = expectApiError(
      await api('identity')
        .post('/v1/users')
        .set(bearer(sales.token))
        .send({ firstName: 'Sly', lastName: 'Sales', email, roles: ['GlobalAdmin'] }),
      403,
      'auth.forbidden',
    );
    expect(error.data).toMatchObject({ permission: 'users.manage' });
    expect(
      await countRows('select count(*) as n from "user_account" where "email" = $1', [email]),
    ).toBe(0);
    expectApiError(
      await api('identity').get('/v1/users').set(bearer(sales.token)),
      403,
      'auth.forbidden',
    );
  });

  it("answers another tenant's user id with 404 and nothing about it", async () => {
    const victim = await addUser(provider.token, ['HelpdeskAgent']);
    for (const response of [
      await api('identity')
        .patch(`/v1/users/${victim.user.id}`)
        .set(bearer(reseller.token))
        .send({ roles: ['GlobalAdmin'] }),
      await api('identity').delete(`/v1/users/${victim.user.id}`).set(bearer(reseller.token)),
    ]) {
      expectApiError(response, 404, 'user.not_found');
      expect(response.text).not.toContain(victim.user.email);
      expect(response.text).not.toContain(victim.user.id);
      expect(response.text).not.toContain(provider.tenantId);
    }
    const row = await identityDb.query<{ roles: string[]; tenant_id: string }>(
      'select "roles", "tenant_id" from "user_account" where "id" = $1',
      [victim.user.id],
    );
    expect(row.rows).toEqual([{ roles: ['HelpdeskAgent'], tenant_id: provider.tenantId }]);
    // An unknown id answers exactly the same.
    const unknown = await api('identity')
      .delete('/v1/users/00000000-0000-4000-8000-000000000000')
      .set(bearer(reseller.token));
    expect(unknown.status).toBe(404);
    expect((unknown.body as ApiError).description).toBe(
      (
        (await api('identity').delete(`/v1/users/${victim.user.id}`).set(bearer(reseller.token)))
          .body as ApiError
      ).description,
    );
  });

  it('answers 401 without a token or with a malformed one', async () => {
    expectApiError(await api('identity').get('/v1/users'), 401, 'auth.unauthenticated');
    expectApiError(
      await api('identity')
        .post('/v1/users')
        .send({ firstName: 'No', lastName: 'Token', email: uniqueEmail(), roles: ['SalesAgent'] }),
      401,
      'auth.unauthenticated',
    );
    expectApiError(
      await api('identity').get('/v1/users').set('Authorization', 'Bearer not-a-jwt'),
      401,
      'auth.unauthenticated',
    );
    expectApiError(
      await api('identity').get('/v1/users').set('Authorization', reseller.token),
      401,
      'auth.unauthenticated',
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Customer sign-up
// ---------------------------------------------------------------------------------------------

describe('customer sign-up', () => {
  it('creates the organisation (201) and refuses a default domain prefix already taken (409)', async () => {
    const domainPrefix = uniqueDomainPrefix('northwind');
    const signup = (email: string) => ({
      companyName: uniqueName('Northwind Traders'),
      address: addressIn('DE'),
      country: 'DE',
      cloud: 'public',
      domainPrefix,
      globalAdmin: { firstName: 'Casey', lastName: 'Customer', email, password: strongPassword() },
    });
    const firstEmail = uniqueEmail('admin', 'northwind');
    const created = expectStatus<{ tenantId: string; domain: string; userId: string }>(
      await api('identity').post('/v1/customer-signups').send(signup(firstEmail)),
      201,
    );
    expect(created).toEqual({
      tenantId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      domain: `${domainPrefix}.onmicrosoft.example`,
      userId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    const tenant = await identityDb.query<{ kind: string; country: string; domain: string }>(
      'select "kind", "country", "domain" from "tenant" where "id" = $1',
      [created.tenantId],
    );
    expect(tenant.rows).toEqual([{ kind: 'customer', country: 'DE', domain: created.domain }]);

    const secondEmail = uniqueEmail('admin', 'northwind');
    const error = expectApiError(
      await api('identity').post('/v1/customer-signups').send(signup(secondEmail)),
      409,
      'customer.domain_taken',
    );
    expect(error.source).toBe('identity');
    expect(
      await countRows('select count(*) as n from "tenant" where "domain" = $1', [created.domain]),
    ).toBe(1);
    expect(
      await countRows('select count(*) as n from "user_account" where "email" = $1', [secondEmail]),
    ).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
// The indirect provider directory
// ---------------------------------------------------------------------------------------------

interface DirectoryEntry {
  id: string;
  name: string;
  country: string;
  mpnId: string;
  supportContact: Contact;
  attributes: { objectType: string };
}

async function directory(query: string): Promise<DirectoryEntry[]> {
  const response = await api('identity').get(`/v1/indirect-providers?size=500${query}`);
  return expectStatus<Collection<DirectoryEntry>>(response, 200).items;
}

describe('the indirect provider directory (GET /v1/indirect-providers)', () => {
  it('lists an active indirect provider with name, country, Partner ID and support contact', async () => {
    const entries = await directory(`&name=${encodeURIComponent(provider.name)}`);
    expect(entries).toEqual([
      {
        id: provider.tenantId,
        name: provider.name,
        country: 'NZ',
        mpnId: provider.mpnId,
        supportContact: provider.body.supportContact,
        attributes: { objectType: 'IndirectProvider' },
      },
    ]);
  });

  it('lists neither a reseller nor a provider whose enrollment is not active', async () => {
    const pending = enrollmentBody({ partnerType: 'indirect_provider', country: 'NZ' });
    expectStatus(await api('identity').post('/v1/enrollments').send(pending), 201);
    const all = await directory('&country=NZ');
    const ids = all.map((e) => e.id);
    expect(ids).toContain(provider.tenantId);
    expect(ids).not.toContain(reseller.tenantId);
    expect(all.map((e) => e.mpnId)).not.toContain(pending.mpnId);
    expect(await directory(`&name=${encodeURIComponent(reseller.name)}`)).toEqual([]);
    expect(await directory(`&name=${encodeURIComponent(pending.legalBusinessName)}`)).toEqual([]);
  });

  it('filters by name (case-insensitive substring) and by country', async () => {
    const suffix = provider.name.split(' ').pop() ?? '';
    const byPart = await directory(`&name=${encodeURIComponent(suffix.toUpperCase())}`);
    expect(byPart.map((e) => e.id)).toEqual([provider.tenantId]);
    expect((await directory(`&name=${encodeURIComponent(`${suffix}zz`)}`)).length).toBe(0);
    expect((await directory('&country=NZ')).map((e) => e.id)).toContain(provider.tenantId);
    const elsewhere = await directory('&country=JP');
    expect(elsewhere.map((e) => e.id)).not.toContain(provider.tenantId);
    expect(elsewhere.every((e) => e.country === 'JP')).toBe(true);
    expect(
      (await directory(`&country=nz&name=${encodeURIComponent(suffix)}`)).map((e) => e.id),
    ).toEqual([provider.tenantId]);
    expect(await directory(`&country=JP&name=${encodeURIComponent(suffix)}`)).toEqual([]);
    // Wildcards are literal.
    expect(await directory('&name=%25%25%25zz_zz')).toEqual([]);
    expectApiError(
      await api('identity').get('/v1/indirect-providers?country=Nowhere'),
      400,
      'request.invalid',
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Partner profile
// ---------------------------------------------------------------------------------------------

describe('the partner profile (PATCH /v1/partner-profile)', () => {
  it('lets a reseller update its support contact and address', async () => {
    const supportContact = {
      name: 'Fabrikam Helpdesk',
      email: uniqueEmail('helpdesk', 'fabrikam'),
      phone: '+64 9 555 0100',
    };
    const address = {
      addressLine1: '12 Queen Street',
      city: 'Auckland',
      postalCode: '1010',
    };
    const updated = expectStatus<PartnerProfile>(
      await api('identity')
        .patch('/v1/partner-profile')
        .set(bearer(reseller.token))
        .send({ supportContact, address }),
      200,
    );
    expect(updated.supportContact).toEqual(supportContact);
    expect(updated.address).toMatchObject({ ...address, country: 'NZ' });
    expect(updated.country).toBe('NZ');
    const read = expectStatus<PartnerProfile>(
      await api('identity').get('/v1/partner-profile').set(bearer(reseller.token)),
      200,
    );
    expect(read).toMatchObject({
      supportContact,
      legalBusinessName: reseller.name,
      mpnId: reseller.mpnId,
    });
    expect(read.address).toMatchObject(address);
  });

  it('refuses the fields reserved to the operator with 400 and changes nothing', async () => {
    const before = expectStatus<PartnerProfile>(
      await api('identity').get('/v1/partner-profile').set(bearer(reseller.token)),
      200,
    );
    for (const [patch, field] of [
      [{ legalBusinessName: 'Fabrikam Renamed' }, 'legalBusinessName'],
      [{ mpnId: uniqueMpnId() }, 'mpnId'],
      [{ country: 'AU' }, 'country'],
      [{ cloud: 'us-gov' }, 'cloud'],
      [{ partnerType: 'indirect_provider' }, 'partnerType'],
      [
        {
          address: {
            addressLine1: '1 Other St',
            city: 'Sydney',
            postalCode: '2000',
            country: 'AU',
          },
        },
        'address.country',
      ],
    ] as const) {
      const error = expectApiError(
        await api('identity').patch('/v1/partner-profile').set(bearer(reseller.token)).send(patch),
        400,
        'partner_profile.operator_reserved',
      );
      expect(error.data).toEqual({ fields: [field] });
    }
    const after = expectStatus<PartnerProfile>(
      await api('identity').get('/v1/partner-profile').set(bearer(reseller.token)),
      200,
    );
    expect(after).toEqual(before);
  });

  it("refuses an indirect provider's change of its directory listing; the operator may make it", async () => {
    const supportContact = {
      name: 'Contoso Desk',
      email: uniqueEmail('desk', 'contoso'),
      phone: null,
    };
    const error = expectApiError(
      await api('identity')
        .patch('/v1/partner-profile')
        .set(bearer(provider.token))
        .send({ supportContact }),
      400,
      'partner_profile.operator_reserved',
    );
    expect(error.data).toEqual({ fields: ['supportContact'] });
    const [listed] = await directory(`&name=${encodeURIComponent(provider.name)}`);
    expect(listed.supportContact).toEqual(provider.body.supportContact);

    // The provider can still change its address (not part of the listing).
    const address = { addressLine1: '7 Lambton Quay', city: 'Wellington', postalCode: '6011' };
    const updated = expectStatus<PartnerProfile>(
      await api('identity')
        .patch('/v1/partner-profile')
        .set(bearer(provider.token))
        .send({ address }),
      200,
    );
    expect(updated.address).toMatchObject(address);

    // The operator changes the listing.
    const operator = await signInOperator();
    expectStatus(
      await api('identity')
        .patch(`/v1/partners/${provider.tenantId}/profile`)
        .set(bearer(operator))
        .send({ supportContact }),
      200,
    );
    const [relisted] = await directory(`&name=${encodeURIComponent(provider.name)}`);
    expect(relisted.supportContact).toEqual(supportContact);
    provider.body.supportContact = supportContact;
  });
});

// ---------------------------------------------------------------------------------------------
// Provider administrator access (seed 004 step 3)
// ---------------------------------------------------------------------------------------------

/** Bounded poll until `GET /v1/organizations/{tenantId}/users` stops answering 404 (the grant travels through the queue). */
async function waitForAdminAccess(
  token: string,
  tenantId: string,
  timeoutMs = 20_000,
): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await api('identity')
      .get(`/v1/organizations/${tenantId}/users`)
      .set(bearer(token));
    if (response.status !== 404 || Date.now() >= deadline) return response;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('provider administrator access to an indirect reseller (seed 004 step 3)', () => {
  let agentToken: string;

  beforeAll(async () => {
    // The provider requests the partnership (queued); the reseller authorizes it with the emailed
    // token.
    await establishPartnership(provider, { token: reseller.token, email: reseller.adminEmail });
    // An Admin agent of the provider (and nothing else).
    agentToken = (await addActiveUser(provider.token, ['AdminAgent'])).token;
  }, 60_000);

  it("lets the provider's Admin agent list and add the reseller's users", async () => {
    const listed = expectStatus<Collection<UserView>>(
      await waitForAdminAccess(agentToken, reseller.tenantId),
      200,
    );
    expect(listed.items.map((u) => u.email)).toContain(reseller.adminEmail);

    const email = uniqueEmail('delegated', 'fabrikam');
    const added = expectStatus<AddedUser>(
      await api('identity')
        .post(`/v1/organizations/${reseller.tenantId}/users`)
        .set(bearer(agentToken))
        .send({ firstName: 'Dee', lastName: 'Delegated', email, roles: ['SalesAgent'] }),
      201,
    );
    expect(added.user).toMatchObject({ email, roles: ['SalesAgent'], passwordTemporary: true });
    expect(added.temporaryPassword).toEqual(expect.any(String));
    // The user belongs to the reseller, as its own admin sees it, and signs in there.
    const own = expectStatus<Collection<UserView>>(
      await api('identity').get('/v1/users').set(bearer(reseller.token)),
      200,
    );
    expect(own.items.map((u) => u.email)).toContain(email);
    const session = await signIn(email, added.temporaryPassword);
    const me = expectStatus<{ tenant: { id: string } }>(
      await api('identity').get('/v1/me').set(bearer(session.accessToken)),
      200,
    );
    expect(me.tenant.id).toBe(reseller.tenantId);
    // Not in the provider's own organisation.
    const providers = expectStatus<Collection<UserView>>(
      await api('identity').get('/v1/users').set(bearer(provider.token)),
      200,
    );
    expect(providers.items.map((u) => u.email)).not.toContain(email);
  });

  it('refuses the organisation to a partner without the grant (404) and to a role without the permission (403)', async () => {
    const response = await api('identity')
      .get(`/v1/organizations/${reseller.tenantId}/users`)
      .set(bearer(stranger.token));
    expectApiError(response, 404, 'organization.not_found');
    expect(response.text).not.toContain(reseller.adminEmail);
    const email = uniqueEmail('intruder', 'fabrikam');
    expectApiError(
      await api('identity')
        .post(`/v1/organizations/${reseller.tenantId}/users`)
        .set(bearer(stranger.token))
        .send({ firstName: 'In', lastName: 'Truder', email, roles: ['GlobalAdmin'] }),
      404,
      'organization.not_found',
    );
    expect(
      await countRows('select count(*) as n from "user_account" where "email" = $1', [email]),
    ).toBe(0);
    // A Sales agent of the granted provider does not hold the permission.
    const sales = await addActiveUser(provider.token, ['SalesAgent']);
    expectApiError(
      await api('identity')
        .get(`/v1/organizations/${reseller.tenantId}/users`)
        .set(bearer(sales.token)),
      403,
      'auth.forbidden',
    );
  });

  it('lets the reseller list and withdraw the access; the provider then gets 404 and the partnership stays', async () => {
    expectStatus(await waitForAdminAccess(agentToken, reseller.tenantId), 200);
    const access = expectStatus<
      Collection<{
        providerTenantId: string;
        providerName: string;
        providerMpnId: string;
        status: string;
      }>
    >(await api('identity').get('/v1/admin-access').set(bearer(reseller.token)), 200);
    expect(access.items).toEqual([
      expect.objectContaining({
        providerTenantId: provider.tenantId,
        providerName: provider.name,
        providerMpnId: provider.mpnId,
        status: 'active',
      }),
    ]);
    // The provider holds no grant from anyone.
    expect(
      expectStatus<Collection<unknown>>(
        await api('identity').get('/v1/admin-access').set(bearer(provider.token)),
        200,
      ).items,
    ).toEqual([]);

    expect(
      (
        await api('identity')
          .delete(`/v1/admin-access/${provider.tenantId}`)
          .set(bearer(reseller.token))
      ).status,
    ).toBe(204);
    expectApiError(
      await api('identity')
        .get(`/v1/organizations/${reseller.tenantId}/users`)
        .set(bearer(agentToken)),
      404,
      'organization.not_found',
    );
    expectApiError(
      await api('identity')
        .post(`/v1/organizations/${reseller.tenantId}/users`)
        .set(bearer(provider.token))
        .send({
          firstName: 'Late',
          lastName: 'Comer',
          email: uniqueEmail('late', 'fabrikam'),
          roles: ['SalesAgent'],
        }),
      404,
      'organization.not_found',
    );
    expect(
      expectStatus<Collection<unknown>>(
        await api('identity').get('/v1/admin-access').set(bearer(reseller.token)),
        200,
      ).items,
    ).toEqual([]);
    expectApiError(
      await api('identity')
        .delete(`/v1/admin-access/${provider.tenantId}`)
        .set(bearer(reseller.token)),
      404,
      'admin_access.not_found',
    );

    // The partnership itself stays, on both sides.
    const providers = await partnerRelationships(
      reseller.token,
      'IsIndirectCloudSolutionProviderOf',
    );
    expect(providers.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: provider.tenantId,
          relationshipType: 'IsIndirectCloudSolutionProviderOf',
        }),
      ]),
    );
    const resellers = await partnerRelationships(provider.token, 'IsIndirectResellerOf');
    expect(resellers.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: reseller.tenantId,
          relationshipType: 'IsIndirectResellerOf',
        }),
      ]),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Relationships verifies identity's tokens
// ---------------------------------------------------------------------------------------------

describe("relationships verifies identity's tokens", () => {
  /** Replaces one character in the middle of a base64url segment with another. */
  function flip(segment: string): string {
    const i = Math.floor(segment.length / 2);
    return `${segment.slice(0, i)}${segment[i] === 'A' ? 'B' : 'A'}${segment.slice(i + 1)}`;
  }

  it('answers a token with a tampered signature or payload with 401', async () => {
    expectStatus(await api('relationships').get('/v1/customers').set(bearer(reseller.token)), 200);
    const [header, payload, signature] = reseller.token.split('.');
    const badSignature = [header, payload, flip(signature)].join('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    const forged = [
      header,
      Buffer.from(JSON.stringify({ ...claims, tid: provider.tenantId })).toString('base64url'),
      signature,
    ].join('.');
    for (const token of [badSignature, forged]) {
      expectApiError(
        await api('relationships').get('/v1/customers').set(bearer(token)),
        401,
        'auth.unauthenticated',
      );
      expectApiError(
        await api('identity').get('/v1/me').set(bearer(token)),
        401,
        'auth.unauthenticated',
      );
    }
    expectApiError(
      await api('relationships').get('/v1/customers').set('Authorization', 'Bearer abc.def.ghi'),
      401,
      'auth.unauthenticated',
    );
    expectApiError(await api('relationships').get('/v1/customers'), 401, 'auth.unauthenticated');
  });
});
