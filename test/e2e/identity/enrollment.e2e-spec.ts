import {
  activePartner,
  api,
  bearer,
  countRows,
  dbRows,
  emailsTo,
  enroll,
  enrollmentBody,
  expectApiError,
  expectStatus,
  confirmLinkPage,
  linkIn,
  requestRelationshipDraft,
  resellerEnrollmentBody,
  resendVerification,
  signIn,
  signInVerificationEmail,
  system,
  tokenIn,
  uniqueEmail,
  uniqueMpnId,
  uniqueName,
  verifyByApi,
  waitForEmail,
  waitForNewLink,
  type ActivePartner,
  type EnrollmentCreated,
  type PartnerProfile,
  type UserView,
} from '../support';

/**
 * Partner enrollment end to end (seed 004 "Enroll", step 8; DESIGN.md "Partner"): the enrollment
 * and the verification link emailed to the primary contact (single use, expiring, resent publicly
 * or from the expired link's page, the newest replacing the earlier ones), the first user as
 * Global admin and Admin agent of an active partner, the refusals that write nothing (a web mail
 * primary contact, a Partner ID already enrolled), and an admin address in use in another
 * organisation enrolled like any other (sign-in names are per organisation, issue 9 point 9; the
 * attacker's view is account-enumeration.e2e-spec.ts). The operator's review is in
 * enrollment-review.e2e-spec.ts; a changed primary contact in partner-profile.e2e-spec.ts.
 */

const VERIFY_SUBJECT = 'Verify your email address';
const ENROLLMENT_VERIFY_SUBJECT = 'Verify your email address to continue the enrollment';

async function tokensOf(enrollmentId: string, purpose = 'enrollment'): Promise<number> {
  const [row] = await dbRows<{ n: number }>(
    'identity',
    'select count(*)::int as n from enrollment_verification_token where enrollment_id = $1 and purpose = $2',
    [enrollmentId, purpose],
  );
  return row.n;
}

/** An indirect provider in New Zealand: its Partner ID is taken. */
let provider: ActivePartner;
/** An indirect reseller in New Zealand: its admin's email is used again by another enrollment. */
let reseller: ActivePartner;

beforeAll(async () => {
  [provider, reseller] = await Promise.all([
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
  ]);
}, 120_000);

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
    const tenant = await dbRows<{ partner_status: string; kind: string }>(
      'identity',
      'select "partner_status", "kind" from "tenant" where "mpn_id" = $1',
      [body.mpnId],
    );
    expect(tenant).toEqual([{ partner_status: 'pending_verification', kind: 'partner' }]);

    // Issue 9 point 7: the Global admin (not the primary contact here) cannot sign in before it
    // proves its own address: the right password answers 403, a wrong one the usual 401.
    expectApiError(
      await api('identity')
        .post('/v1/auth/token')
        .send({ email: body.globalAdmin.email, password: body.globalAdmin.password }),
      403,
      'auth.email_unverified',
    );
    expectApiError(
      await api('identity')
        .post('/v1/auth/token')
        .send({ email: body.globalAdmin.email, password: 'Not-the-password-0' }),
      401,
      'auth.invalid_credentials',
    );

    // The verification email goes to the primary contact, in English, with a link to identity's
    // verify page; the admin gets its own sign-in address verification, naming the partner.
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
    const adminVerification = await signInVerificationEmail(body.globalAdmin.email);
    expect(adminVerification.subject).toBe(
      `Verify your email address to sign in to ${body.legalBusinessName}`,
    );
    expect(linkIn(adminVerification)).toContain('/v1/auth/email-verification?token=');

    // Issue 9 point 14: opening the link (a mail scanner's prefetch, twice) changes nothing: a
    // page with a button that posts.
    for (let i = 0; i < 2; i += 1) {
      const opened = await fetch(link);
      expect(opened.status).toBe(200);
      expect(opened.headers.get('content-type')).toContain('text/html');
      const html = await opened.text();
      expect(html).toContain('<form method="post" action="verify/confirm">');
      expect(html).not.toContain('Email address verified');
    }
    expect(
      await dbRows('identity', 'select "partner_status" from "tenant" where "id" = $1', [
        created.tenantId,
      ]),
    ).toEqual([{ partner_status: 'pending_verification' }]);
    expect(
      await countRows(
        'identity',
        'select count(*) as n from enrollment_verification_token where enrollment_id = $1 and used_at is not null',
        [created.enrollmentId],
      ),
    ).toBe(0);

    // The button verifies; the e2e system auto-approves, so the partner is active.
    const page = await confirmLinkPage(link);
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

    // The primary contact's link proved the primary contact's address, not the admin's.
    expectApiError(
      await api('identity')
        .post('/v1/auth/token')
        .send({ email: body.globalAdmin.email, password: body.globalAdmin.password }),
      403,
      'auth.email_unverified',
    );
    await confirmLinkPage(linkIn(adminVerification));

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

  it('verifies a Global admin who is the primary contact by the enrollment link alone (issue 9 point 7)', async () => {
    const body = enrollmentBody({ partnerType: 'indirect_reseller' });
    body.globalAdmin.email = body.primaryContact.email;
    expectStatus(await api('identity').post('/v1/enrollments').send(body), 201);
    const signInAsAdmin = () =>
      api('identity')
        .post('/v1/auth/token')
        .send({ email: body.globalAdmin.email, password: body.globalAdmin.password });
    expectApiError(await signInAsAdmin(), 403, 'auth.email_unverified');
    const verification = await waitForEmail({
      to: body.primaryContact.email,
      subjectIncludes: ENROLLMENT_VERIFY_SUBJECT,
    });
    await confirmLinkPage(linkIn(verification));
    expectStatus(await signInAsAdmin(), 200);
    // One email with a link, not two.
    expect(
      (await emailsTo({ to: body.primaryContact.email })).filter((e) =>
        e.subject.startsWith('Verify your email address'),
      ),
    ).toHaveLength(1);
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
      expect(error.data).toMatchObject([{ field: 'primaryContact.email' }]);
      expect(
        await countRows('identity', 'select count(*) as n from "tenant" where "mpn_id" = $1', [
          body.mpnId,
        ]),
      ).toBe(0);
      expect(
        await countRows('identity', 'select count(*) as n from "user_account" where "email" = $1', [
          body.globalAdmin.email,
        ]),
      ).toBe(0);
      expect(
        await countRows(
          'identity',
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
      await countRows('identity', 'select count(*) as n from "tenant" where "mpn_id" = $1', [
        provider.mpnId,
      ]),
    ).toBe(1);
    expect(
      await countRows('identity', 'select count(*) as n from "user_account" where "email" = $1', [
        body.globalAdmin.email,
      ]),
    ).toBe(0);
    expect(
      await countRows(
        'identity',
        `select count(*) as n from "outbox_message" where "payload"::text like $1`,
        [`%${body.primaryContact.email}%`],
      ),
    ).toBe(0);
  });

  it('enrolls a Global admin whose address is in use in another organisation like any other (201, created), the other account untouched', async () => {
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
    // Sign-in names are per organisation (issue 9 point 9): a new organisation with its own user.
    expect(
      await dbRows('identity', 'select "tenant_id" from "user_account" where "email" = $1', [
        reseller.adminEmail,
      ]),
    ).toEqual(
      expect.arrayContaining([{ tenant_id: reseller.tenantId }, { tenant_id: created.tenantId }]),
    );
    expect(
      await countRows('identity', 'select count(*) as n from "tenant" where "mpn_id" = $1', [
        body.mpnId,
      ]),
    ).toBe(1);
    await waitForEmail({
      to: body.primaryContact.email,
      subjectIncludes: ENROLLMENT_VERIFY_SUBJECT,
    });
    // The existing account signs in to its own organisation as before.
    expect(
      (await signIn(reseller.adminEmail, reseller.body.globalAdmin.password, reseller.tenantId))
        .passwordChangeRequired,
    ).toBe(false);
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

describe('the verification link', () => {
  it('expires: 410 with a button that sends a new link, which works once; the old one stays refused', async () => {
    const body = resellerEnrollmentBody();
    const created = await enroll(body);
    const first = await waitForEmail({
      to: body.primaryContact.email,
      subjectIncludes: ENROLLMENT_VERIFY_SUBJECT,
    });
    const oldLink = linkIn(first);
    await dbRows(
      'identity',
      `update enrollment_verification_token set expires_at = now() - interval '1 second' where enrollment_id = $1`,
      [created.enrollmentId],
    );

    const expired = await fetch(oldLink);
    expect(expired.status).toBe(410);
    const page = await expired.text();
    expect(page).toContain('Link expired');
    expect(page).toContain('<form method="post" action="verify/resend">');
    expect(page).toContain(`name="token" value="${tokenIn(first)}"`);
    const apiError = expectApiError(
      await verifyByApi(tokenIn(first)),
      410,
      'enrollment.token_expired',
    );
    expect(apiError.description).toContain('/v1/enrollments/verification/resend');

    // The page's button posts the expired token as a form.
    const resent = await api('identity')
      .post('/v1/enrollments/verify/resend')
      .type('form')
      .send({ token: tokenIn(first) });
    expect(resent.status).toBe(200);
    expect(resent.headers['content-type']).toContain('text/html');
    expect(resent.text).toContain('Check your inbox');

    const second = await waitForNewLink(body.primaryContact.email, ENROLLMENT_VERIFY_SUBJECT, [
      oldLink,
    ]);
    expect(second.recipient).toBe(body.primaryContact.email);
    expect(second.subject).toBe(
      `Verify your email address to continue the enrollment of ${body.legalBusinessName}`,
    );
    expect(await confirmLinkPage(linkIn(second))).toContain('now active');
    expect((await fetch(linkIn(second))).status).toBe(410);
    expectApiError(await verifyByApi(tokenIn(second)), 410, 'enrollment.token_used');
    expect((await fetch(oldLink)).status).toBe(410);
  });

  it('is resent publicly: 202 always, the new link replaces the previous one', async () => {
    const body = resellerEnrollmentBody();
    const created = await enroll(body);
    const first = await waitForEmail({
      to: body.primaryContact.email,
      subjectIncludes: ENROLLMENT_VERIFY_SUBJECT,
    });

    const accepted = await resendVerification(body.primaryContact.email.toUpperCase());
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({ accepted: true });
    const second = await waitForNewLink(body.primaryContact.email, ENROLLMENT_VERIFY_SUBJECT, [
      linkIn(first),
    ]);
    expectApiError(await verifyByApi(tokenIn(first)), 410, 'enrollment.token_expired');
    expect(expectStatus(await verifyByApi(tokenIn(second)), 200)).toMatchObject({
      enrollmentId: created.enrollmentId,
      status: 'active',
      purpose: 'enrollment',
    });

    // Nothing pending any more, an unknown address, an account's address: the same 202.
    const tokens = await tokensOf(created.enrollmentId);
    for (const email of [
      body.primaryContact.email,
      uniqueEmail('nobody', 'fabrikam'),
      body.globalAdmin.email,
    ]) {
      const response = await resendVerification(email);
      expect(response.status).toBe(202);
      expect(response.body).toEqual({ accepted: true });
    }
    expect(await tokensOf(created.enrollmentId)).toBe(tokens);
    expectApiError(await resendVerification('not an email'), 400, 'request.invalid');
    expectApiError(
      await api('identity').post('/v1/enrollments/verification/resend').send({}),
      400,
      'request.invalid',
    );
  });

  it('sends at most five links an hour through the public resend', async () => {
    const body = resellerEnrollmentBody();
    const created = await enroll(body);
    for (let i = 0; i < 6; i += 1) {
      expect((await resendVerification(body.primaryContact.email)).status).toBe(202);
    }
    expect(await tokensOf(created.enrollmentId)).toBe(5);
  });
});
