import request, { type Response } from 'supertest';
import {
  api,
  bearer,
  countRows,
  dbRows,
  enrollPartner,
  expectApiError,
  expectStatus,
  startExtraInstance,
  uniqueEmail,
  uniqueName,
  waitForEmailCarrying,
  type EnrolledPartner,
  type ExtraInstance,
  type PartnershipRequestSent,
  type RelationshipRequestSent,
} from '../support';

/**
 * Invitation emails are capped, and their custom message is plain text (issue "public routes that
 * resist abuse", point 13): per inviting partner per hour (`INVITATION_EMAILS_PER_PARTNER_PER_HOUR`)
 * and per recipient address per day from every partner (`INVITATION_EMAILS_PER_RECIPIENT_PER_DAY`),
 * requests and resends alike (a draft only sends nothing). Over a cap: 429
 * `invitation.email_limit` in the error format with `Retry-After`, and nothing written. The custom
 * message is at most 1,000 characters of plain text, escaped and never made a link in the
 * delivered email. The caps run on an extra relationships instance started with small ones (3 per
 * partner per hour, 2 per recipient per day), on the run's own database.
 */

const PER_PARTNER = 3;
const PER_RECIPIENT = 2;

let capped: ExtraInstance;

function partnershipRequest(instanceUrl: string, token: string, body: object): Promise<Response> {
  return request(instanceUrl).post('/v1/partnership-requests').set(bearer(token)).send(body);
}

function relationshipRequest(instanceUrl: string, token: string, body: object): Promise<Response> {
  return request(instanceUrl)
    .post('/v1/customers/relationship-requests')
    .set(bearer(token))
    .send(body);
}

/** Everything a refused request could have written: its invitation, its email, its count. */
async function traces(email: string): Promise<number[]> {
  return Promise.all([
    countRows('relationships', 'select count(*) as n from invitation where email = $1', [email]),
    countRows(
      'relationships',
      `select count(*) as n from outbox_message where name = 'email.send' and payload->>'to' = $1`,
      [email],
    ),
    countRows(
      'relationships',
      'select count(*) as n from invitation_email_send where recipient = $1',
      [email],
    ),
  ]);
}

/** Asserts the 429 of a cap and returns its Retry-After, in seconds. */
function expectCapped(response: Response, maxSeconds: number): number {
  expectApiError(response, 429, 'invitation.email_limit', 'relationships');
  const retryAfter = Number(response.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(maxSeconds);
  expect((response.body as { data: unknown[] }).data).toEqual([{ retryAfterSeconds: retryAfter }]);
  return retryAfter;
}

beforeAll(async () => {
  capped = await startExtraInstance('relationships', (s) => ({
    extraEnv: {
      ...s.extraEnv,
      relationships: {
        INVITATION_EMAILS_PER_PARTNER_PER_HOUR: String(PER_PARTNER),
        INVITATION_EMAILS_PER_RECIPIENT_PER_DAY: String(PER_RECIPIENT),
      },
    },
  }));
}, 60_000);

afterAll(async () => {
  await capped?.stop();
});

describe('invitation email caps', () => {
  it('caps the emails of one partner per hour: 429 with Retry-After, nothing written; drafts and other partners go on', async () => {
    const [provider, otherProvider] = await Promise.all([
      enrollPartner({ partnerType: 'indirect_provider', name: uniqueName('Contoso Distribution') }),
      enrollPartner({ partnerType: 'indirect_provider', name: uniqueName('Wingtip Distribution') }),
    ]);
    for (let i = 0; i < PER_PARTNER; i += 1) {
      expectStatus(
        await partnershipRequest(capped.url, provider.token, {
          email: uniqueEmail('reseller', 'fabrikam'),
        }),
        201,
      );
    }
    const over = uniqueEmail('reseller', 'fabrikam');
    expectCapped(await partnershipRequest(capped.url, provider.token, { email: over }), 3600);
    expect(await traces(over)).toEqual([0, 0, 0]);
    // The same partner's reseller relationship requests share its cap.
    const customerEmail = uniqueEmail('admin', 'northwind');
    expectCapped(
      await relationshipRequest(capped.url, provider.token, {
        email: customerEmail,
        delegatedAdmin: true,
      }),
      3600,
    );
    expect(await traces(customerEmail)).toEqual([0, 0, 0]);

    // A draft only sends nothing: still allowed, and not counted.
    const draft = expectStatus<PartnershipRequestSent>(
      await partnershipRequest(capped.url, provider.token, { email: over, draftOnly: true }),
      201,
    );
    expect(draft.queued).toBe(false);
    // Another partner is not held back by this one's cap.
    expectStatus(
      await partnershipRequest(capped.url, otherProvider.token, {
        email: uniqueEmail('reseller', 'fabrikam'),
      }),
      201,
    );
  });

  it('holds under concurrent requests written together: exactly the cap answered 201, the rest 429 with nothing written; another partner sending meanwhile gets its own', async () => {
    const [provider, stranger] = await Promise.all([
      enrollPartner({ partnerType: 'indirect_provider', name: uniqueName('Litware Distribution') }),
      enrollPartner({
        partnerType: 'indirect_provider',
        name: uniqueName('Proseware Distribution'),
      }),
    ]);
    // Sent at once, they reach the service while one another's statements are in flight and are
    // written together (InvitationGroupCommit), the two partners' in the same statements: a
    // statement holding one over the cap is refused whole, and each of its requests is written
    // again alone.
    const emails = Array.from({ length: 3 * PER_PARTNER }, () => uniqueEmail('reseller', 'adatum'));
    const strangerEmails = Array.from({ length: PER_PARTNER }, () =>
      uniqueEmail('reseller', 'contoso'),
    );
    const [responses, strangerResponses] = await Promise.all([
      Promise.all(emails.map((email) => partnershipRequest(capped.url, provider.token, { email }))),
      Promise.all(
        strangerEmails.map((email) => partnershipRequest(capped.url, stranger.token, { email })),
      ),
    ]);
    const accepted = emails.filter((_, i) => responses[i].status === 201);
    const refused = emails.filter((_, i) => responses[i].status !== 201);
    expect(accepted).toHaveLength(PER_PARTNER);
    for (const [i, response] of responses.entries()) {
      if (response.status !== 201) expectCapped(response, 3600);
      else expect((response.body as PartnershipRequestSent).email).toBe(emails[i]);
    }
    // The other partner is held back by nothing of the first one's cap.
    for (const [i, response] of strangerResponses.entries()) {
      expect(expectStatus<PartnershipRequestSent>(response, 201).email).toBe(strangerEmails[i]);
    }
    for (const email of [...accepted, ...strangerEmails]) {
      expect(await traces(email)).toEqual([1, 1, 1]);
    }
    for (const email of refused) expect(await traces(email)).toEqual([0, 0, 0]);
    // Each invitation is its sender's, counted under its sender's cap only.
    for (const [partner, own] of [
      [provider, accepted],
      [stranger, strangerEmails],
    ] as const) {
      const written = await dbRows<{ email: string; partner_seq: string }>(
        'relationships',
        `select i.email, s.partner_seq from invitation_email_send s
          join invitation i on i.id = s.invitation_id where i.partner_tenant_id = $1 order by 2`,
        [partner.tenantId],
      );
      expect(written.map((r) => Number(r.partner_seq))).toEqual([1, 2, 3]);
      expect(written.map((r) => r.email).sort()).toEqual([...own].sort());
      const listed = expectStatus<{ items: { email: string }[] }>(
        await request(capped.url)
          .get('/v1/partnership-requests')
          .query({ size: 50 })
          .set(bearer(partner.token)),
        200,
      );
      expect(listed.items.map((item) => item.email).sort()).toEqual([...own].sort());
    }
    // Each accepted request's email arrives, with its own link.
    for (const response of [...responses, ...strangerResponses].filter((r) => r.status === 201)) {
      const sent = response.body as PartnershipRequestSent;
      await waitForEmailCarrying(sent.email, sent.draft.link);
    }
  });

  it('caps the emails one address receives per day from every partner, resends included', async () => {
    const partners: EnrolledPartner[] = await Promise.all(
      [0, 1, 2].map((i) =>
        enrollPartner({ partnerType: 'direct', name: uniqueName(`Tailspin ${i}`) }),
      ),
    );
    const target = uniqueEmail('admin', 'northwind');
    const first = expectStatus<RelationshipRequestSent>(
      await relationshipRequest(capped.url, partners[0].token, {
        email: target,
        delegatedAdmin: false,
      }),
      201,
    );
    expectStatus(
      await relationshipRequest(capped.url, partners[1].token, {
        email: target.toUpperCase(),
        delegatedAdmin: false,
      }),
      201,
    );
    const before = await traces(target);
    expect(before).toEqual([2, 2, 2]);
    expectCapped(
      await relationshipRequest(capped.url, partners[2].token, {
        email: target,
        delegatedAdmin: false,
      }),
      24 * 3600,
    );
    const tokenHash = await dbRows(
      'relationships',
      'select token_hash from invitation where id = $1',
      [first.id],
    );
    expectCapped(
      await request(capped.url)
        .post(`/v1/customers/relationship-requests/${first.id}/resend`)
        .set(bearer(partners[0].token))
        .send({}),
      24 * 3600,
    );
    expect(await traces(target)).toEqual(before);
    // The refused resend kept the old link alive.
    expect(
      await dbRows('relationships', 'select token_hash from invitation where id = $1', [first.id]),
    ).toEqual(tokenHash);
  });
});

describe('the custom message', () => {
  let provider: EnrolledPartner;

  beforeAll(async () => {
    provider = await enrollPartner({
      partnerType: 'indirect_provider',
      name: uniqueName('Contoso Distribution'),
    });
  });

  it('caps one address under concurrent requests of several partners written together: exactly the cap answered 201, their other invitations all written', async () => {
    // Four partners invite the same customer admin at once, each also someone else: their
    // requests share statements, and a statement holding one over the recipient's cap is refused
    // whole and written again request by request.
    const partners: EnrolledPartner[] = await Promise.all(
      [0, 1, 2, 3].map((i) =>
        enrollPartner({ partnerType: 'direct', name: uniqueName(`Fourth Coffee ${i}`) }),
      ),
    );
    const target = uniqueEmail('admin', 'northwind');
    const others = partners.map(() => uniqueEmail('admin', 'woodgrove'));
    const sends = partners.flatMap((partner, i) => [
      { partner, email: target },
      { partner, email: others[i] },
    ]);
    const responses = await Promise.all(
      sends.map(({ partner, email }) =>
        relationshipRequest(capped.url, partner.token, { email, delegatedAdmin: false }),
      ),
    );
    const toTarget = responses.filter((_, i) => sends[i].email === target);
    expect(toTarget.filter((r) => r.status === 201)).toHaveLength(PER_RECIPIENT);
    for (const response of toTarget.filter((r) => r.status !== 201)) {
      expectCapped(response, 24 * 3600);
    }
    for (const response of responses.filter((_, i) => sends[i].email !== target)) {
      expectStatus(response, 201);
    }
    expect(await traces(target)).toEqual([PER_RECIPIENT, PER_RECIPIENT, PER_RECIPIENT]);
    for (const email of others) expect(await traces(email)).toEqual([1, 1, 1]);
  });

  it('is at most 1,000 characters of plain text', async () => {
    const email = uniqueEmail('reseller', 'fabrikam');
    for (const customMessage of ['x'.repeat(1001), 'Hello\u0000there', 'Bell\u0007']) {
      expectApiError(
        await api('relationships')
          .post('/v1/partnership-requests')
          .set(bearer(provider.token))
          .send({ email, customMessage, draftOnly: true }),
        400,
        'request.invalid',
      );
      expectApiError(
        await api('relationships')
          .post('/v1/customers/relationship-requests')
          .set(bearer(provider.token))
          .send({ email, customMessage, delegatedAdmin: true, draftOnly: true }),
        400,
        'request.invalid',
      );
    }
    expect((await traces(email))[0]).toBe(0);
    expectStatus(
      await api('relationships')
        .post('/v1/partnership-requests')
        .set(bearer(provider.token))
        .send({ email, customMessage: `${'x'.repeat(998)}\r\n`, draftOnly: true }),
      201,
    );
    expectStatus(
      await api('relationships')
        .post('/v1/partnership-requests')
        .set(bearer(provider.token))
        .send({ email, customMessage: `Line one\n\tLine two ${'y'.repeat(970)}`, draftOnly: true }),
      201,
    );
  });

  it('arrives escaped, with no link but the invitation’s own, in the delivered HTML and text', async () => {
    const to = uniqueEmail('reseller', 'fabrikam');
    const customMessage =
      'Urgent: re-enter your password at https://evil.example/login or www.evil.example,\nor write to billing@evil.example. <a href="https://evil.example/x">Sign in</a>';
    const sent = expectStatus<PartnershipRequestSent>(
      await api('relationships')
        .post('/v1/partnership-requests')
        .set(bearer(provider.token))
        .send({ email: to, customMessage }),
      201,
    );
    const email = await waitForEmailCarrying(to, sent.draft.link);
    const hrefs = [...email.html.matchAll(/<a\b[^>]*href="([^"]*)"/gi)].map((m) =>
      m[1].replace(/&amp;/g, '&'),
    );
    expect(hrefs.length).toBeGreaterThan(0);
    expect(hrefs.every((href) => href === sent.draft.link)).toBe(true);
    for (const part of [email.html, email.text, sent.draft.html, sent.draft.text]) {
      expect(part).not.toMatch(/evil\.example|https:\/\/evil|www\.evil|billing@evil/);
      expect(part).not.toContain('<a href="https://evil');
    }
    expect(email.html).toContain('&lt;a href');
    // Still readable: the words are all there, a word joiner after each dot, colon and at sign.
    expect(email.text.replace(/\u2060/g, '').replace(/\r\n/g, '\n')).toContain(
      'Urgent: re-enter your password at https://evil.example/login or www.evil.example,\nor write to billing@evil.example.',
    );
  });
});
