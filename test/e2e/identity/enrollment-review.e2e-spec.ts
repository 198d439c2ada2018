import request from 'supertest';
import {
  activePartner,
  api,
  bearer,
  dbRows,
  enroll,
  enrollmentBody,
  expectApiError,
  expectStatus,
  linkIn,
  operatorToken,
  requestRelationshipDraft,
  resellerEnrollmentBody,
  signIn,
  signInOperator,
  startExtraInstance,
  tokenIn,
  uniqueEmail,
  uniqueName,
  verifyByApi,
  waitForEmail,
  type ActivePartner,
  type Collection,
  type EnrollmentCreated,
  type EnrollmentRequest,
  type ExtraInstance,
  followLinkPage,
  confirmLinkPage,
  linkHeaders,
  type Link,
} from '../support';

/**
 * The operator's review of partner enrollments (seed 004 step 8; DESIGN.md "Partner":
 * `pending_verification` → `in_review` → `active` | `rejected`): the operator lists the
 * enrollments (keyset paginated) and only the operator does; a decision needs an enrollment in
 * review; with auto-approval off (a second identity instance on the same database) a verified
 * enrollment waits in review, is approved with an optional note or rejected with a required
 * reason, each emailed to the primary contact in the partner's language, and only then does the
 * partner transact. A primary contact changed during the review receives the decision.
 */

const VERIFY_SUBJECT = 'Verify your email address';
const ENROLLMENT_VERIFY_SUBJECT = 'Verify your email address to continue the enrollment';
const CONTACT_SUBJECT = 'Verify your email address to become the primary contact';

/** An indirect provider in New Zealand, active (auto-approved). */
let provider: ActivePartner;
/** An indirect reseller in New Zealand, active. */
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

describe('operator review of enrollments', () => {
  let operatorAccessToken: string;

  beforeAll(async () => {
    operatorAccessToken = await signInOperator();
  });

  it('lets the operator list enrollments and refuses partner users on the operator routes (403)', async () => {
    const list = expectStatus<
      Collection<{ id: string; tenantId: string; status: string; mpnId: string }>
    >(
      await api('identity')
        .get('/v1/enrollments?status=active&size=500')
        .set(bearer(operatorAccessToken)),
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
        await dbRows<{ name: string }>('identity', 'select "name" from "tenant" where "id" = $1', [
          reseller.tenantId,
        ])
      )[0]?.name,
    ).toBe(reseller.name);
  });

  it('refuses to approve or reject an enrollment that is not in review (409)', async () => {
    // Active (auto-approved) enrollment.
    for (const action of ['approve', 'reject']) {
      const error = expectApiError(
        await api('identity')
          .post(`/v1/enrollments/${provider.created.enrollmentId}/${action}`)
          .set(bearer(operatorAccessToken))
          .send({ reason: 'Not a real distributor.' }),
        409,
        'enrollment.invalid_state',
      );
      expect(error.data).toMatchObject([{ status: 'active', expected: 'in_review' }]);
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
        .set(bearer(operatorAccessToken)),
      409,
      'enrollment.invalid_state',
    );
    const tenant = await dbRows<{ partner_status: string }>(
      'identity',
      'select "partner_status" from "tenant" where "id" = $1',
      [pending.tenantId],
    );
    expect(tenant[0]?.partner_status).toBe('pending_verification');
    // An unknown enrollment is 404.
    expectApiError(
      await api('identity')
        .post('/v1/enrollments/00000000-0000-4000-8000-000000000000/approve')
        .set(bearer(operatorAccessToken)),
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
      const verified = await followLinkPage(linkIn(verification));
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

    /** Enrolls through the review instance and verifies: `in_review`. */
    async function inReview(locale?: 'en' | 'ja') {
      const body = resellerEnrollmentBody(locale);
      const created = await enroll(body, reviewUrl);
      const email = await waitForEmail({
        to: body.primaryContact.email,
        subjectIncludes: locale === 'ja' ? 'メール アドレスを確認' : ENROLLMENT_VERIFY_SUBJECT,
      });
      expect((await followLinkPage(linkIn(email))).status).toBe(200);
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
      let next: Link | undefined = {
        uri: '/v1/enrollments?status=in_review&size=1',
        method: 'GET',
        headers: [],
      };
      while (next) {
        const page: Collection<{ id: string; status: string }> = expectStatus(
          await api('identity').get(next.uri).set(bearer(operator)).set(linkHeaders(next)),
          200,
        );
        expect(page.items.length).toBeLessThanOrEqual(1);
        seen.push(...page.items);
        next = page.links.next;
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
      const approved = expectStatus<{
        status: string;
        reviewReason: string;
        rejectionReason: null;
      }>(
        await api('identity')
          .post(`/v1/enrollments/${created.enrollmentId}/approve`)
          .set(bearer(operator))
          .send({ reason: note }),
        200,
      );
      expect(approved).toMatchObject({
        status: 'active',
        reviewReason: note,
        rejectionReason: null,
      });
      const email = await waitForEmail({
        to: body.primaryContact.email,
        subjectIncludes: 'is ready',
      });
      expect(email.text).toContain('A note from the reviewer');
      expect(email.text).toContain(note);
    });

    it("approves with a note emailed in the partner's language; the partner transacts only then", async () => {
      const { body, created } = await inReview('ja');
      // The Global admin proves its sign-in address (its email is in Japanese too).
      await confirmLinkPage(linkIn(await waitForEmail({ to: body.globalAdmin.email })));
      const waiting = await signIn(body.globalAdmin.email, body.globalAdmin.password);
      expectApiError(
        await requestRelationshipDraft(waiting.accessToken),
        403,
        'partner.not_active',
      );
      const note = 'ようこそ。担当のディストリビューターからご連絡します。';
      expectStatus(
        await api('identity')
          .post(`/v1/enrollments/${created.enrollmentId}/approve`)
          .set(bearer(await operatorToken()))
          .send({ reason: note }),
        200,
      );
      const email = await waitForEmail({
        to: body.primaryContact.email,
        subjectIncludes: 'パートナー アカウントの準備ができました',
      });
      expect(email.subject).toBe(
        `${body.legalBusinessName} のパートナー アカウントの準備ができました`,
      );
      expect(email.headers['content-language']).toBe('ja');
      expect(email.text).toContain('審査担当者からのメモ');
      expect(email.text).toContain(note);
      expect(await statusOf(created.tenantId)).toBe('active');
      const session = await signIn(body.globalAdmin.email, body.globalAdmin.password);
      expectStatus(await requestRelationshipDraft(session.accessToken), 201);
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
      expect((await followLinkPage(link)).status).toBe(200);
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
      const body = resellerEnrollmentBody();
      const created = await enroll(body, reviewUrl);
      const first = await waitForEmail({
        to: body.primaryContact.email,
        subjectIncludes: ENROLLMENT_VERIFY_SUBJECT,
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
      expect((await followLinkPage(linkIn(verification))).status).toBe(200);
      expect(await statusOf(created.tenantId)).toBe('in_review');
      // The status email goes to the verified address; the old link no longer counts.
      await waitForEmail({ to: corrected, subjectIncludes: 'We are reviewing' });
      const stale = expectApiError(
        await verifyByApi(tokenIn(first)),
        410,
        'enrollment.token_expired',
      );
      expect(stale.data).toMatchObject([{ resend: expect.any(Object) as unknown }]);
    });
  });
});
