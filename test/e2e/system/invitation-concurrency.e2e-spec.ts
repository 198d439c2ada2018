import { createHash } from 'node:crypto';
import type { Response } from 'supertest';
import {
  addActiveUser,
  api,
  bearer,
  dbCount,
  dbRows,
  enrollPartner,
  linkIn,
  signUpCustomer,
  system,
  waitForEmail,
  type EnrolledPartner,
  type SignedUpCustomer,
  draftPartnershipRequest,
  draftRelationshipRequest,
  newEnrollmentBody,
  partner,
  tokenOfLink,
  errorCode,
} from '../support';

/**
 * Invitation tokens are single use under concurrency (DESIGN.md "Invitation link"): for
 * every kind of invitation (partnership request; reseller relationship request without and with
 * delegated admin privileges; joint request with an indirect provider; enrollment verification
 * link), 20 simultaneous acceptances of one token give exactly one success and 19 clear refusals
 * (409/410 in the API error format, or the page's error), and the database holds exactly one
 * relationship (partnership, reseller relationship per partner, verified enrollment) and queues
 * one follow-up email. The acceptances go through the API, and for the invitation pages through
 * the page's form and the API at once (see `PAGE_EVERY`).
 */

const ATTEMPTS = 20;
/**
 * Every fourth acceptance of the mixed races goes through the page: a page post signs in with a
 * password first, and 20 simultaneous argon2id checks on a small machine would measure the
 * hashing (the page gives up on identity after 5 s), not the token.
 */
const PAGE_EVERY = 4;

/** Figures for the closing line. */
const tally = { kinds: 0, attempts: 0, successes: 0, refusals: 0 };

/** Sends `attempts` requests at once and splits the answers. */
async function race(send: (i: number) => Promise<Response>): Promise<{
  successes: Response[];
  refusals: Response[];
  others: Response[];
}> {
  const responses = await Promise.all(Array.from({ length: ATTEMPTS }, (_, i) => send(i)));
  tally.kinds += 1;
  tally.attempts += responses.length;
  const successes = responses.filter((r) => r.status >= 200 && r.status < 300);
  const refusals = responses.filter((r) => r.status >= 400 && r.status < 500);
  const others = responses.filter((r) => !successes.includes(r) && !refusals.includes(r));
  tally.successes += successes.length;
  tally.refusals += refusals.length;
  return { successes, refusals, others };
}

/** A refusal in the API error format with one of `codes`, or why not. */
function apiRefusalProblem(response: Response, codes: string[]): string | null {
  const body = response.body as Record<string, unknown>;
  if (
    Object.keys(body ?? {})
      .sort()
      .join() !== 'code,data,description,source'
  ) {
    return `not the API error format: ${response.status} ${response.text.slice(0, 200)}`;
  }
  if (!codes.map(errorCode).includes(Number(body.code)))
    return `unexpected code ${String(body.code)}`;
  if (String(body.description).length < 10) return `no clear description: ${response.text}`;
  return null;
}

/** A refusal as an HTML page saying `refused`, or why not. */
function pageRefusalProblem(response: Response, refused: RegExp): string | null {
  if (!/^text\/html/.test(String(response.headers['content-type']))) {
    return `not a page: ${response.status} ${response.text.slice(0, 200)}`;
  }
  return refused.test(response.text) ? null : `unclear page: ${response.text.slice(0, 400)}`;
}

/**
 * Exactly one 2xx; every other answer a 4xx refusal: in the API error format with one of `codes`
 * (API calls) or an HTML page matching `refused` (page posts).
 */
function expectOneWinner(
  outcome: Awaited<ReturnType<typeof race>>,
  expected: { codes: string[]; refused?: RegExp },
): Response {
  expect(outcome.others.map((r) => `${r.status} ${r.text.slice(0, 200)}`)).toEqual([]);
  expect(outcome.successes).toHaveLength(1);
  expect(outcome.refusals).toHaveLength(ATTEMPTS - 1);
  const problems = outcome.refusals
    .map((refusal) =>
      /^text\/html/.test(String(refusal.headers['content-type'])) && expected.refused
        ? pageRefusalProblem(refusal, expected.refused)
        : apiRefusalProblem(refusal, expected.codes),
    )
    .filter((problem) => problem !== null);
  expect(problems).toEqual([]);
  return outcome.successes[0];
}

/** The number of outbox rows of `template` to `to` in a service's database. */
function queuedEmails(
  service: 'identity' | 'relationships',
  template: string,
  to: string,
): Promise<number> {
  return dbCount(service, 'outbox_message', `payload->>'template' = $1 and payload->>'to' = $2`, [
    template,
    to.toLowerCase(),
  ]);
}

/** What an invitation page says to a second acceptance of a token. */
const ALREADY_USED_PAGE = /This invitation cannot be used[\s\S]*already/i;

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

describe('invitation tokens are single use under 20 simultaneous acceptances', () => {
  let provider: EnrolledPartner;
  let reseller: EnrolledPartner;

  beforeAll(async () => {
    [provider, reseller] = await Promise.all([
      enrollPartner({ partnerType: 'indirect_provider' }),
      enrollPartner({ partnerType: 'indirect_reseller' }),
    ]);
    await partner(provider, reseller);
  }, 120_000);

  afterAll(() => {
    process.stdout.write(
      `\ninvitation concurrency: ${tally.kinds} races of ${ATTEMPTS} simultaneous acceptances (${tally.attempts} requests): ${tally.successes} accepted, ${tally.refusals} refused\n`,
    );
  });

  describe('a partnership request', () => {
    it('through the API, raced by two users of the invited reseller and another reseller holding the link: one partnership', async () => {
      const [first, second] = await Promise.all([
        enrollPartner({ partnerType: 'indirect_reseller' }),
        enrollPartner({ partnerType: 'indirect_reseller' }),
      ]);
      const colleague = await addActiveUser(first.token, ['AdminAgent']);
      const sent = await draftPartnershipRequest(provider, first.email);
      const token = tokenOfLink(sent.draft.link);
      expect(
        await dbRows('relationships', 'select token_hash from invitation where id = $1', [sent.id]),
      ).toEqual([{ token_hash: sha256(token) }]);
      const acceptedBefore = await queuedEmails(
        'relationships',
        'invitation-accepted',
        provider.email,
      );

      // Even: the invitee; 1 mod 4: its colleague; 3 mod 4: another reseller with a forwarded
      // link, refused as another organisation (the invitation is bound to its invitee's).
      const outcome = await race((i) =>
        api('relationships')
          .post('/v1/partnership-requests/accept')
          .set(bearer((i % 2 === 0 ? first : i % 4 === 1 ? colleague : second).token))
          .send({ token, authorize: true }),
      );
      expectOneWinner(outcome, {
        codes: ['invitation.already_accepted', 'invitation.wrong_organization'],
      });
      expect(
        outcome.refusals.filter(
          (r) => (r.body as { code?: number }).code === errorCode('invitation.wrong_organization'),
        ),
      ).toHaveLength(ATTEMPTS / 4);

      const rows = await dbRows<{ reseller_tenant_id: string; status: string }>(
        'relationships',
        `select reseller_tenant_id, status from partnership
          where provider_tenant_id = $1 and reseller_tenant_id = any($2::uuid[])`,
        [provider.tenantId, [first.tenantId, second.tenantId]],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0].status).toBe('active');
      expect(rows[0].reseller_tenant_id).toBe(first.tenantId);
      expect(
        await dbRows(
          'relationships',
          'select status, accepted_by_tenant_id from invitation where id = $1',
          [sent.id],
        ),
      ).toEqual([{ status: 'accepted', accepted_by_tenant_id: rows[0].reseller_tenant_id }]);
      expect(
        (await queuedEmails('relationships', 'invitation-accepted', provider.email)) -
          acceptedBefore,
      ).toBe(1);
    });

    it('through the invitation page and the API at once: one partnership', async () => {
      const own = await enrollPartner({ partnerType: 'indirect_reseller' });
      const sent = await draftPartnershipRequest(provider, own.email);
      const token = tokenOfLink(sent.draft.link);

      const outcome = await race((i) =>
        i % PAGE_EVERY === 0
          ? api('relationships')
              .post('/invitations/partnership/accept')
              .type('form')
              .send({ token, email: own.email, password: own.password, authorize: 'true' })
          : api('relationships')
              .post('/v1/partnership-requests/accept')
              .set(bearer(own.token))
              .send({ token, authorize: true }),
      );
      const winner = expectOneWinner(outcome, {
        codes: ['invitation.already_accepted'],
        refused: ALREADY_USED_PAGE,
      });
      if (/^text\/html/.test(String(winner.headers['content-type']))) {
        expect(winner.text).toContain('Indirect provider authorized');
      }
      expect(
        await dbCount(
          'relationships',
          'partnership',
          'provider_tenant_id = $1 and reseller_tenant_id = $2',
          [provider.tenantId, own.tenantId],
        ),
      ).toBe(1);
    });
  });

  describe('a reseller relationship request', () => {
    /** Races `ATTEMPTS` API acceptances of a fresh request and returns the customer. */
    async function raceApi(body: {
      delegatedAdmin: boolean;
      indirectProviderId?: string;
    }): Promise<{ customer: SignedUpCustomer; outcome: Awaited<ReturnType<typeof race>> }> {
      const customer = await signUpCustomer();
      const sent = await draftRelationshipRequest(reseller, { email: customer.email, ...body });
      const token = tokenOfLink(sent.draft.link);
      const outcome = await race(() =>
        api('relationships')
          .post('/v1/customers/relationship-requests/accept')
          .set(bearer(customer.token))
          .send({ token, acceptCustomerAgreement: true }),
      );
      return { customer, outcome };
    }

    async function relationshipRows(customerTenantId: string) {
      return dbRows<{ partner_tenant_id: string; delegated_admin_status: string; status: string }>(
        'relationships',
        `select partner_tenant_id, delegated_admin_status, status from reseller_relationship
          where customer_id = $1 order by partner_tenant_id`,
        [customerTenantId],
      );
    }

    it('without delegated admin privileges: one relationship', async () => {
      const { customer, outcome } = await raceApi({ delegatedAdmin: false });
      expectOneWinner(outcome, { codes: ['invitation.already_accepted'] });
      expect(await relationshipRows(customer.tenantId)).toEqual([
        { partner_tenant_id: reseller.tenantId, delegated_admin_status: 'none', status: 'active' },
      ]);
    });

    it('with delegated admin privileges: one relationship, privileges granted once', async () => {
      const { customer, outcome } = await raceApi({ delegatedAdmin: true });
      expectOneWinner(outcome, { codes: ['invitation.already_accepted'] });
      expect(await relationshipRows(customer.tenantId)).toEqual([
        {
          partner_tenant_id: reseller.tenantId,
          delegated_admin_status: 'active',
          status: 'active',
        },
      ]);
    });

    it('jointly with the indirect provider: one relationship per partner', async () => {
      const { customer, outcome } = await raceApi({
        delegatedAdmin: true,
        indirectProviderId: provider.tenantId,
      });
      expectOneWinner(outcome, { codes: ['invitation.already_accepted'] });
      const expected = [
        {
          partner_tenant_id: reseller.tenantId,
          delegated_admin_status: 'active',
          status: 'active',
        },
        { partner_tenant_id: provider.tenantId, delegated_admin_status: 'none', status: 'active' },
      ].sort((a, b) => a.partner_tenant_id.localeCompare(b.partner_tenant_id));
      expect(await relationshipRows(customer.tenantId)).toEqual(expected);
    });

    it('through the invitation page and the API at once: one relationship', async () => {
      const customer = await signUpCustomer();
      const sent = await draftRelationshipRequest(reseller, {
        email: customer.email,
        delegatedAdmin: true,
      });
      const token = tokenOfLink(sent.draft.link);
      const outcome = await race((i) =>
        i % PAGE_EVERY === 0
          ? api('relationships')
              .post('/invitations/reseller-relationship/accept')
              .type('form')
              .send({
                token,
                email: customer.email,
                password: customer.password,
                acceptCustomerAgreement: 'true',
              })
          : api('relationships')
              .post('/v1/customers/relationship-requests/accept')
              .set(bearer(customer.token))
              .send({ token, acceptCustomerAgreement: true }),
      );
      const winner = expectOneWinner(outcome, {
        codes: ['invitation.already_accepted'],
        refused: ALREADY_USED_PAGE,
      });
      if (/^text\/html/.test(String(winner.headers['content-type']))) {
        expect(winner.text).toContain('Reseller relationship accepted');
      }
      expect(await relationshipRows(customer.tenantId)).toEqual([
        {
          partner_tenant_id: reseller.tenantId,
          delegated_admin_status: 'active',
          status: 'active',
        },
      ]);
    });
  });

  describe('an enrollment verification link', () => {
    /** Enrolls a partner and returns its primary contact and the emailed token. */
    async function enrolled(): Promise<{ email: string; tenantId: string; link: string }> {
      const body = newEnrollmentBody();
      const created = await api('identity').post('/v1/enrollments').send(body);
      expect(created.status).toBe(201);
      const email = await waitForEmail({ to: body.primaryContact.email });
      return {
        email: body.primaryContact.email,
        tenantId: (created.body as { tenantId: string }).tenantId,
        link: linkIn(email),
      };
    }

    async function verifiedOnce(enrollment: { email: string; tenantId: string }): Promise<void> {
      expect(
        await dbRows('identity', 'select partner_status from tenant where id = $1', [
          enrollment.tenantId,
        ]),
      ).toEqual([{ partner_status: 'active' }]);
      expect(
        await dbCount(
          'identity',
          'enrollment_verification_token',
          'used_at is not null and enrollment_id = (select id from enrollment where tenant_id = $1)',
          [enrollment.tenantId],
        ),
      ).toBe(1);
      // One status email (auto-approved) queued, not one per attempt.
      expect(await queuedEmails('identity', 'enrollment-status', enrollment.email)).toBe(1);
    }

    it('through the API: verified once', async () => {
      const enrollment = await enrolled();
      const token = tokenOfLink(enrollment.link);
      expect(enrollment.link.startsWith(`${system().urls.identity}/v1/enrollments/verify?`)).toBe(
        true,
      );
      const outcome = await race(() =>
        api('identity').post('/v1/enrollments/verify').send({ token }),
      );
      expectOneWinner(outcome, { codes: ['enrollment.token_used'] });
      await verifiedOnce(enrollment);
    });

    it("through the emailed link's page (its button): verified once", async () => {
      const enrollment = await enrolled();
      const path = new URL(enrollment.link);
      // Opening the page (20 times at once) changes nothing (issue 9 point 14).
      const opened = await Promise.all(
        Array.from({ length: ATTEMPTS }, () =>
          api('identity').get(`${path.pathname}${path.search}`),
        ),
      );
      expect(opened.map((r) => r.status)).toEqual(opened.map(() => 200));
      expect(
        await dbRows('identity', 'select partner_status from tenant where id = $1', [
          enrollment.tenantId,
        ]),
      ).toEqual([{ partner_status: 'pending_verification' }]);
      const token = tokenOfLink(enrollment.link);
      const outcome = await race(() =>
        api('identity').post('/v1/enrollments/verify/confirm').type('form').send({ token }),
      );
      const winner = expectOneWinner(outcome, { codes: [], refused: /already been used/i });
      expect(winner.text).toContain('Email address verified');
      await verifiedOnce(enrollment);
    });
  });
});
