import request from 'supertest';
import {
  addressIn,
  api,
  bearer,
  dbRows,
  enrollPartner,
  expectApiError,
  expectStatus,
  linkIn,
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
  waitForEmailWhere,
  type Collection,
  type EnrolledPartner,
  type ExtraInstance,
  type ReceivedEmail,
} from './support';

/**
 * Enrollment end to end (seed 004 step 8): the verification link is single use and expires, a new
 * one can be asked for (publicly, or from the expired link's page) and replaces the earlier ones; a
 * changed primary contact email is verified again before it takes over; an operator lists the
 * enrollments in review and approves or rejects them with a reason the primary contact receives
 * in the partner's language; and the public routes never tell whether an email has an account.
 */

const VERIFY_SUBJECT = 'Verify your email address to continue the enrollment';
const CONTACT_SUBJECT = 'Verify your email address to become the primary contact';

interface EnrollmentBody {
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

interface EnrollmentCreated {
  enrollmentId: string;
  tenantId: string;
  status: string;
  primaryContactEmail: string;
}

interface Profile {
  primaryContact: { name: string; email: string; phone: string | null };
  pendingPrimaryContact: { email: string; verificationPending: true } | null;
  version: number;
}

function enrollmentBody(locale?: 'en' | 'ja'): EnrollmentBody {
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
async function enroll(body: EnrollmentBody, base?: string): Promise<EnrollmentCreated> {
  const agent = base ? request(base) : api('identity');
  return expectStatus<EnrollmentCreated>(await agent.post('/v1/enrollments').send(body), 201);
}

/** The newest email to `to` with `subject` whose link is none of `seen`. */
function newLinkTo(to: string, subject: string, seen: string[]): Promise<ReceivedEmail> {
  return waitForEmailWhere({ to, subjectIncludes: subject }, (e) => !seen.includes(linkIn(e)));
}

const verifyApi = (token: string) => api('identity').post('/v1/enrollments/verify').send({ token });

const resend = (email: string) =>
  api('identity').post('/v1/enrollments/verification/resend').send({ email });

async function tokensOf(enrollmentId: string, purpose = 'enrollment'): Promise<number> {
  const [row] = await dbRows<{ n: number }>(
    'identity',
    'select count(*)::int as n from enrollment_verification_token where enrollment_id = $1 and purpose = $2',
    [enrollmentId, purpose],
  );
  return row.n;
}

async function operatorToken(): Promise<string> {
  const { email, password } = system().operator;
  return (await signIn(email, password)).accessToken;
}

async function profileOf(token: string): Promise<Profile> {
  return expectStatus<Profile>(
    await api('identity').get('/v1/partner-profile').set(bearer(token)),
    200,
  );
}

describe('the verification link', () => {
  it('expires: 410 with a button that sends a new link, which works once; the old one stays refused', async () => {
    const body = enrollmentBody();
    const created = await enroll(body);
    const first = await waitForEmail({
      to: body.primaryContact.email,
      subjectIncludes: VERIFY_SUBJECT,
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
      await verifyApi(tokenIn(first)),
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

    const second = await newLinkTo(body.primaryContact.email, VERIFY_SUBJECT, [oldLink]);
    expect(second.recipient).toBe(body.primaryContact.email);
    expect(second.subject).toBe(
      `Verify your email address to continue the enrollment of ${body.legalBusinessName}`,
    );
    const verified = await fetch(linkIn(second));
    expect(verified.status).toBe(200);
    expect(await verified.text()).toContain('now active');
    expect((await fetch(linkIn(second))).status).toBe(410);
    expectApiError(await verifyApi(tokenIn(second)), 410, 'enrollment.token_used');
    expect((await fetch(oldLink)).status).toBe(410);
  });

  it('is resent publicly: 202 always, the new link replaces the previous one', async () => {
    const body = enrollmentBody();
    const created = await enroll(body);
    const first = await waitForEmail({
      to: body.primaryContact.email,
      subjectIncludes: VERIFY_SUBJECT,
    });

    const accepted = await resend(body.primaryContact.email.toUpperCase());
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({ accepted: true });
    const second = await newLinkTo(body.primaryContact.email, VERIFY_SUBJECT, [linkIn(first)]);
    expectApiError(await verifyApi(tokenIn(first)), 410, 'enrollment.token_expired');
    expect(expectStatus(await verifyApi(tokenIn(second)), 200)).toMatchObject({
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
      const response = await resend(email);
      expect(response.status).toBe(202);
      expect(response.body).toEqual({ accepted: true });
    }
    expect(await tokensOf(created.enrollmentId)).toBe(tokens);
    expectApiError(await resend('not an email'), 400, 'request.invalid');
    expectApiError(
      await api('identity').post('/v1/enrollments/verification/resend').send({}),
      400,
      'request.invalid',
    );
  });

  it('sends at most five links an hour through the public resend', async () => {
    const body = enrollmentBody();
    const created = await enroll(body);
    for (let i = 0; i < 6; i += 1) {
      expect((await resend(body.primaryContact.email)).status).toBe(202);
    }
    expect(await tokensOf(created.enrollmentId)).toBe(5);
  });
});

describe('a changed primary contact email (PATCH /v1/partner-profile)', () => {
  let partner: EnrolledPartner;

  beforeAll(async () => {
    partner = await enrollPartner({ partnerType: 'indirect_reseller', locale: 'ja' });
  }, 60_000);

  it('is pending until the new address follows its link, then becomes the primary contact', async () => {
    const before = await profileOf(partner.token);
    const next = uniqueEmail('newprimary', 'fabrikam');
    const updated = expectStatus<Profile>(
      await api('identity')
        .patch('/v1/partner-profile')
        .set(bearer(partner.token))
        .send({ primaryContact: { email: next } }),
      200,
    );
    expect(updated.primaryContact.email).toBe(before.primaryContact.email);
    expect(updated.pendingPrimaryContact).toEqual({ email: next, verificationPending: true });
    expect((await profileOf(partner.token)).pendingPrimaryContact?.email).toBe(next);

    // The new address receives the link, in the partner's language.
    const email = await waitForEmail({ to: next });
    expect(email.subject).toBe(
      `${partner.name} の主要連絡先になるために、メール アドレスを確認してください`,
    );
    expect(email.headers['content-language']).toBe('ja');
    const link = linkIn(email);
    expect(link.startsWith(`${system().urls.identity}/v1/enrollments/verify?token=`)).toBe(true);

    const page = await fetch(link);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('now the primary contact');
    expect(html).toContain(next);
    const after = await profileOf(partner.token);
    expect(after.primaryContact).toEqual({ ...before.primaryContact, email: next });
    expect(after.pendingPrimaryContact).toBeNull();
    expect(after.version).toBeGreaterThan(before.version);
    expect((await fetch(link)).status).toBe(410);
  });

  it('refuses a web mail address (400) and changes nothing', async () => {
    const before = await profileOf(partner.token);
    const error = expectApiError(
      await api('identity')
        .patch('/v1/partner-profile')
        .set(bearer(partner.token))
        .send({ primaryContact: { email: `pat.${uniqueMpnId()}@gmail.com` } }),
      400,
      'enrollment.webmail_primary_contact',
    );
    expect(error.data).toEqual({ field: 'primaryContact.email' });
    expect(await profileOf(partner.token)).toEqual(before);
  });

  it('keeps only the newest change: a replaced or withdrawn address can no longer verify', async () => {
    const current = (await profileOf(partner.token)).primaryContact.email;
    const patch = (email: string) =>
      api('identity')
        .patch('/v1/partner-profile')
        .set(bearer(partner.token))
        .send({ primaryContact: { email } });
    const replaced = uniqueEmail('replaced', 'fabrikam');
    const newest = uniqueEmail('newest', 'fabrikam');
    expectStatus(await patch(replaced), 200);
    const replacedEmail = await waitForEmail({ to: replaced });
    expectStatus(await patch(newest), 200);
    expectApiError(await verifyApi(tokenIn(replacedEmail)), 410, 'enrollment.token_expired');

    // The public resend also serves a pending address.
    const firstNewest = await waitForEmail({ to: newest });
    expect((await resend(newest)).status).toBe(202);
    const secondNewest = await newLinkTo(newest, '', [linkIn(firstNewest)]);
    expectApiError(await verifyApi(tokenIn(firstNewest)), 410, 'enrollment.token_expired');

    // Sending the current address again withdraws the change.
    const withdrawn = expectStatus<Profile>(await patch(current), 200);
    expect(withdrawn.pendingPrimaryContact).toBeNull();
    expectApiError(await verifyApi(tokenIn(secondNewest)), 410, 'enrollment.token_expired');
    expect((await profileOf(partner.token)).primaryContact.email).toBe(current);
  });
});

describe('the public routes never tell whether an email has an account', () => {
  it('customer sign-up: the same 201 for an address with an account, nothing created, the address told once an hour', async () => {
    const existing = await signUpCustomer();
    const signup = (email: string, domainPrefix = uniqueDomainPrefix('northwind')) => ({
      companyName: uniqueName('Northwind Traders'),
      address: addressIn('US'),
      country: 'US',
      cloud: 'public',
      domainPrefix,
      globalAdmin: { firstName: 'Casey', lastName: 'Customer', email, password: strongPassword() },
    });
    const fresh = expectStatus<Record<string, string>>(
      await api('identity')
        .post('/v1/customer-signups')
        .send(signup(uniqueEmail('new', 'northwind'))),
      201,
    );
    const prefix = uniqueDomainPrefix('northwind');
    const taken = expectStatus<Record<string, string>>(
      await api('identity').post('/v1/customer-signups').send(signup(existing.email, prefix)),
      201,
    );
    expect(Object.keys(taken).sort()).toEqual(Object.keys(fresh).sort());
    expect(taken.domain).toBe(`${prefix}.${fresh.domain.split('.').slice(1).join('.')}`);
    expect(
      await dbRows('identity', 'select id from tenant where domain = $1 or id = $2', [
        taken.domain,
        taken.tenantId,
      ]),
    ).toEqual([]);

    const notice = await waitForEmail({ to: existing.email, subjectIncludes: 'Someone tried' });
    expect(notice.subject).toBe('Someone tried to sign up a customer with your email address');
    expect(notice.text).toContain('nothing was created');
    const [stamp] = await dbRows<{ account_notice_sent_at: Date }>(
      'identity',
      'select account_notice_sent_at from user_account where email = $1',
      [existing.email],
    );
    expect(stamp.account_notice_sent_at).toBeInstanceOf(Date);

    // Again within the hour: the same answer, no second notice.
    expectStatus(
      await api('identity').post('/v1/customer-signups').send(signup(existing.email)),
      201,
    );
    const [again] = await dbRows<{ account_notice_sent_at: Date }>(
      'identity',
      'select account_notice_sent_at from user_account where email = $1',
      [existing.email],
    );
    expect(again.account_notice_sent_at).toEqual(stamp.account_notice_sent_at);
    // The account itself is untouched.
    expect((await signIn(existing.email, existing.password)).passwordChangeRequired).toBe(false);
  });

  it("partner enrollment: the notice goes out in the existing user's language", async () => {
    const japanese = await enrollPartner({ partnerType: 'direct', locale: 'ja' });
    const body = enrollmentBody();
    body.globalAdmin.email = japanese.email;
    const created = await enroll(body);
    expect(created.status).toBe('pending_verification');
    const notice = await waitForEmail({ to: japanese.email, subjectIncludes: 'パートナーの登録' });
    expect(notice.subject).toBe('お使いのメール アドレスでパートナーの登録が試みられました');
    expect(notice.headers['content-language']).toBe('ja');
    expect(
      await dbRows('identity', 'select 1 from tenant where mpn_id = $1', [body.mpnId]),
    ).toEqual([]);
  });
});

describe('operator review (auto-approval off: a second identity instance on the same database)', () => {
  let review: ExtraInstance | undefined;
  let reviewUrl: string;

  beforeAll(async () => {
    review = await startExtraInstance('identity', () => ({ autoApprove: false }));
    reviewUrl = review.url;
  }, 90_000);

  afterAll(async () => {
    await review?.stop();
  }, 30_000);

  /** Enrolls through the review instance and verifies: `in_review`. */
  async function inReview(locale?: 'en' | 'ja') {
    const body = enrollmentBody(locale);
    const created = await enroll(body, reviewUrl);
    const email = await waitForEmail({
      to: body.primaryContact.email,
      subjectIncludes: locale === 'ja' ? 'メール アドレスを確認' : VERIFY_SUBJECT,
    });
    expect((await fetch(linkIn(email))).status).toBe(200);
    return { body, created };
  }

  async function statusOf(tenantId: string): Promise<string> {
    const [row] = await dbRows<{ partner_status: string }>(
      'identity',
      'select partner_status from tenant where id = $1',
      [tenantId],
    );
    return row.partner_status;
  }

  it('lists the enrollments in review, keyset paginated', async () => {
    const [a, b] = [await inReview(), await inReview()];
    const operator = await operatorToken();
    const seen: { id: string; status: string }[] = [];
    let next: string | undefined = '/v1/enrollments?status=in_review&size=1';
    while (next) {
      const page: Collection<{ id: string; status: string }> = expectStatus(
        await api('identity').get(next).set(bearer(operator)),
        200,
      );
      expect(page.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.items);
      next = page.links.next?.uri;
    }
    expect(seen.every((e) => e.status === 'in_review')).toBe(true);
    expect(seen.map((e) => e.id)).toEqual(
      expect.arrayContaining([a.created.enrollmentId, b.created.enrollmentId]),
    );
    expect(new Set(seen.map((e) => e.id)).size).toBe(seen.length);
    expectApiError(
      await api('identity').get('/v1/enrollments?status=bogus').set(bearer(operator)),
      400,
      'request.invalid',
    );
  });

  it('approves with a note the primary contact receives', async () => {
    const { body, created } = await inReview();
    const operator = await operatorToken();
    const note = 'Welcome aboard. Your distributor will contact you.';
    const approved = expectStatus<{ status: string; reviewReason: string; rejectionReason: null }>(
      await api('identity')
        .post(`/v1/enrollments/${created.enrollmentId}/approve`)
        .set(bearer(operator))
        .send({ reason: note }),
      200,
    );
    expect(approved).toMatchObject({ status: 'active', reviewReason: note, rejectionReason: null });
    const email = await waitForEmail({
      to: body.primaryContact.email,
      subjectIncludes: 'is ready',
    });
    expect(email.text).toContain('A note from the reviewer');
    expect(email.text).toContain(note);
  });

  it("rejects with a reason, required and checked, emailed in the partner's language", async () => {
    const { body, created } = await inReview('ja');
    const operator = await operatorToken();
    const reject = (payload: unknown) =>
      api('identity')
        .post(`/v1/enrollments/${created.enrollmentId}/reject`)
        .set(bearer(operator))
        .send(payload as object);
    for (const payload of [
      {},
      { reason: '' },
      { reason: 'x'.repeat(1001) },
      { reason: 'Bad\u0007bell' },
      { reason: 'First paragraph.\n\nSecond paragraph.' },
      { reason: 'ok', extra: true },
    ]) {
      expectApiError(await reject(payload), 400, 'request.invalid');
    }
    expect(await statusOf(created.tenantId)).toBe('in_review');

    const reason = 'パートナー ID が法人名と一致しません。\r\nもう一度ご確認ください。';
    const rejected = expectStatus<{ status: string; rejectionReason: string }>(
      await reject({ reason }),
      200,
    );
    expect(rejected).toMatchObject({
      status: 'rejected',
      rejectionReason: 'パートナー ID が法人名と一致しません。\nもう一度ご確認ください。',
    });
    const email = await waitForEmail({
      to: body.primaryContact.email,
      subjectIncludes: '承認されませんでした',
    });
    expect(email.subject).toBe(`${body.legalBusinessName} の登録は承認されませんでした`);
    expect(email.headers['content-language']).toBe('ja');
    expect(email.text).toContain('パートナー ID が法人名と一致しません。');
    expect(email.text).toContain('もう一度ご確認ください。');
    expect(await statusOf(created.tenantId)).toBe('rejected');
  });

  it('a primary contact changed during review receives the decision', async () => {
    const { body, created } = await inReview();
    const admin = await signIn(body.globalAdmin.email, body.globalAdmin.password);
    const next = uniqueEmail('successor', 'fabrikam');
    expectStatus(
      await request(reviewUrl)
        .patch('/v1/partner-profile')
        .set(bearer(admin.accessToken))
        .send({ primaryContact: { email: next, name: 'Sasha Successor' } }),
      200,
    );
    const link = linkIn(await waitForEmail({ to: next, subjectIncludes: CONTACT_SUBJECT }));
    expect((await fetch(link)).status).toBe(200);
    expect(await statusOf(created.tenantId)).toBe('in_review');

    expectStatus(
      await api('identity')
        .post(`/v1/enrollments/${created.enrollmentId}/approve`)
        .set(bearer(await operatorToken())),
      200,
    );
    const ready = await waitForEmail({ to: next, subjectIncludes: 'is ready' });
    expect(ready.text).toContain('Sasha Successor');
  });

  it('a new primary contact verified before the enrollment verifies the enrollment too', async () => {
    const body = enrollmentBody();
    const created = await enroll(body, reviewUrl);
    const first = await waitForEmail({
      to: body.primaryContact.email,
      subjectIncludes: VERIFY_SUBJECT,
    });
    // The Global admin corrects a mistyped primary contact before it was verified.
    const admin = await signIn(body.globalAdmin.email, body.globalAdmin.password);
    const corrected = uniqueEmail('corrected', 'fabrikam');
    expectStatus(
      await request(reviewUrl)
        .patch('/v1/partner-profile')
        .set(bearer(admin.accessToken))
        .send({ primaryContact: { email: corrected } }),
      200,
    );
    const verification = await waitForEmail({ to: corrected, subjectIncludes: CONTACT_SUBJECT });
    expect((await fetch(linkIn(verification))).status).toBe(200);
    expect(await statusOf(created.tenantId)).toBe('in_review');
    // The status email goes to the verified address; the old link no longer counts.
    await waitForEmail({ to: corrected, subjectIncludes: 'We are reviewing' });
    const stale = expectApiError(await verifyApi(tokenIn(first)), 410, 'enrollment.token_expired');
    expect(stale.data).toMatchObject({ resend: expect.any(Object) as unknown });
  });
});
