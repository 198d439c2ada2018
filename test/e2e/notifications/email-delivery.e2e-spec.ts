import { Queue } from 'bullmq';
import {
  addressIn,
  api,
  bearer,
  dbRows,
  emailsTo,
  enrollPartner,
  establishPartnership,
  expectStatus,
  harnessSettings,
  linkIn,
  signIn,
  signUpCustomer,
  strongPassword,
  system,
  tokenIn,
  uniqueEmail,
  uniqueMpnId,
  uniqueName,
  waitForEmail,
  type EnrolledPartner,
  type ReceivedEmail,
  eventually,
  followLinkPage,
  expectApiError,
  waitForEmailWhere,
  errorCode,
} from '../support';

/**
 * The email pipeline (DESIGN.md "Communication"): a state change writes an outbox row in its
 * transaction, the relay adds it to BullMQ with `jobId` = the row id, and the notifications worker
 * renders it (English or Japanese), delivers it over SMTP once per idempotency key with the
 * Message-ID `<key@MESSAGE_ID_DOMAIN>`, and records the delivery. Every email type is checked as
 * it arrives in MailDev, and no CR/LF of a name reaches a header. The consumer's idempotency,
 * proven by driving the queue directly, is in worker.e2e-spec.ts.
 */

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The Message-ID of a delivered email, asserted to be `<uuid@MESSAGE_ID_DOMAIN>`; returns the uuid. */
function messageKeyOf(email: ReceivedEmail): string {
  const messageId = email.headers['message-id'];
  const match = new RegExp(`^<(${UUID})@${escapeRegExp(harnessSettings().messageIdDomain)}>$`).exec(
    messageId ?? '',
  );
  if (!match) {
    throw new Error(
      `The Message-ID of "${email.subject}" is ${JSON.stringify(messageId)}, not <uuid@${harnessSettings().messageIdDomain}>.`,
    );
  }
  return match[1];
}

/** The enrollment body of a partner on a company domain whose admin is the primary contact. */
function enrollmentBodyFor(options: {
  name: string;
  email: string;
  password: string;
  locale?: 'en' | 'ja';
}) {
  return {
    legalBusinessName: options.name,
    address: addressIn('US'),
    cloud: 'public',
    partnerType: 'indirect_reseller',
    mpnId: uniqueMpnId(),
    primaryContact: { name: 'Pat Primary', email: options.email, phone: '+1 555 0100' },
    supportContact: { name: 'Sam Support', email: uniqueEmail('support', 'fabrikam') },
    ...(options.locale ? { locale: options.locale } : {}),
    globalAdmin: {
      firstName: 'Alex',
      lastName: 'Admin',
      email: options.email,
      password: options.password,
    },
  };
}

describe('email delivery', () => {
  let provider: EnrolledPartner;
  /** Receives the partnership request of the partnership test. */
  let reseller: EnrolledPartner;
  /** Already partnered with `provider` (for the joint request). */
  let partneredReseller: EnrolledPartner;

  beforeAll(async () => {
    [provider, reseller, partneredReseller] = await Promise.all([
      enrollPartner({ partnerType: 'indirect_provider', name: uniqueName('Contoso Distribution') }),
      enrollPartner({ partnerType: 'indirect_reseller', name: uniqueName('Fabrikam') }),
      enrollPartner({ partnerType: 'indirect_reseller', name: uniqueName('Wingtip Toys') }),
    ]);
    await establishPartnership(provider, partneredReseller);
  });

  describe('enrollment', () => {
    it('emails the primary contact an English verification link that verifies, then the status', async () => {
      const name = uniqueName('Fabrikam Verify');
      const email = uniqueEmail('pat', 'fabrikam');
      const password = strongPassword();
      const created = expectStatus<{ enrollmentId: string; tenantId: string }>(
        await api('identity')
          .post('/v1/enrollments')
          .send(enrollmentBodyFor({ name, email, password })),
        201,
      );

      const verification = await waitForEmail({ to: email, subjectIncludes: 'Verify your email' });
      expect(verification.to).toEqual([email.toLowerCase()]);
      expect(verification.subject).toBe(
        `Verify your email address to continue the enrollment of ${name}`,
      );
      expect(verification.headers['content-language']).toBe('en');
      expect(verification.html).toContain('<html lang="en">');
      expect(verification.text).toContain('Hello Pat Primary,');
      messageKeyOf(verification);
      const link = linkIn(verification);
      expect(link).toMatch(
        new RegExp(
          `^${escapeRegExp(system().urls.identity)}/v1/enrollments/verify\\?token=[^&]+&lang=en$`,
        ),
      );
      expect(verification.html).toContain(`href="${link.replace(/&/g, '&amp;')}"`);

      // Before the link is followed nobody signs in: the admin's address (the primary contact's)
      // is not proved yet (issue 9 point 7).
      expectApiError(
        await api('identity').post('/v1/auth/token').send({ email, password }),
        403,
        'auth.email_unverified',
      );

      const page = await followLinkPage(link);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');

      const status = await waitForEmail({ to: email, subjectIncludes: 'partner account' });
      expect(status.subject).toBe(`Your partner account for ${name} is ready`);
      expect(status.text).toContain(`The enrollment of ${name} has been approved`);
      expect(status.headers['content-language']).toBe('en');
      expect(messageKeyOf(status)).not.toBe(messageKeyOf(verification));
      expect(status.text).not.toMatch(/https?:\/\//);

      const after = expectStatus<{ tenant: { id: string; partner: { status: string } } }>(
        await api('identity')
          .get('/v1/me')
          .set(bearer((await signIn(email, password)).accessToken)),
        200,
      );
      expect(after.tenant.id).toBe(created.tenantId);
      expect(after.tenant.partner.status).toBe('active');

      // The link is single use.
      expect((await fetch(link)).status).toBe(410);
    });

    it('emails a Japanese verification and status to a partner enrolled with locale ja', async () => {
      const name = uniqueName('Fabrikam Japan');
      const email = uniqueEmail('pat', 'fabrikam-jp');
      const password = strongPassword();
      expectStatus(
        await api('identity')
          .post('/v1/enrollments')
          .send(enrollmentBodyFor({ name, email, password, locale: 'ja' })),
        201,
      );

      const verification = await waitForEmail({ to: email });
      expect(verification.subject).toBe(
        `${name} の登録を続けるために、メール アドレスを確認してください`,
      );
      expect(verification.headers['content-language']).toBe('ja');
      expect(verification.html).toContain('<html lang="ja">');
      expect(verification.text).toMatch(/\d{4}年\d{1,2}月\d{1,2}日/);
      expect(verification.text).not.toContain('Verify your email address');
      messageKeyOf(verification);
      const link = linkIn(verification);
      expect(link.startsWith(`${system().urls.identity}/v1/enrollments/verify?token=`)).toBe(true);

      expect((await followLinkPage(link)).status).toBe(200);
      const status = await waitForEmail({ to: email, subjectIncludes: 'パートナー アカウント' });
      expect(status.subject).toBe(`${name} のパートナー アカウントの準備ができました`);
      expect(status.headers['content-language']).toBe('ja');
    });
  });

  describe('partnership request', () => {
    it('delivers the request with a working token link, then notes the acceptance to the inviter', async () => {
      const sent = expectStatus<{
        id: string;
        queued: boolean;
        draft: { subject: string; link: string };
      }>(
        await api('relationships')
          .post('/v1/partnership-requests')
          .set(bearer(provider.token))
          .send({ email: reseller.email }),
        201,
      );
      expect(sent.queued).toBe(true);

      const request = await waitForEmail({
        to: reseller.email,
        subjectIncludes: 'indirect provider',
      });
      expect(request.to).toEqual([reseller.email.toLowerCase()]);
      expect(request.subject).toBe(
        `${provider.name} invites you to authorize it as your indirect provider`,
      );
      expect(request.subject).toBe(sent.draft.subject);
      expect(request.text).toContain(`(Partner ID ${provider.mpnId})`);
      expect(request.headers['content-language']).toBe('en');
      const requestKey = messageKeyOf(request);
      const link = linkIn(request);
      expect(link).toBe(sent.draft.link);
      expect(link).toMatch(
        new RegExp(
          `^${escapeRegExp(system().urls.relationships)}/invitations/partnership\\?token=[A-Za-z0-9_-]{22,}$`,
        ),
      );

      const accepted = expectStatus<{ id: string; relationshipType: string }>(
        await api('relationships')
          .post('/v1/partnership-requests/accept')
          .set(bearer(reseller.token))
          .send({ token: tokenIn(request), authorize: true }),
        200,
      );
      expect(accepted).toMatchObject({
        id: provider.tenantId,
        relationshipType: 'is_indirect_reseller_of',
      });

      const note = await waitForEmail({
        to: provider.email,
        subjectIncludes: `${reseller.name} accepted your partnership request`,
      });
      expect(note.subject).toBe(`${reseller.name} accepted your partnership request`);
      expect(note.text).toContain('It now appears on your Indirect resellers page.');
      expect(note.headers['content-language']).toBe('en');
      expect(note.text).not.toMatch(/token=/);
      expect(messageKeyOf(note)).not.toBe(requestKey);
    });

    it('writes the request in Japanese for locale ja and in English for locale en', async () => {
      const japanese = uniqueEmail('kenji', 'fabrikam-jp');
      const english = uniqueEmail('kim', 'fabrikam-en');
      for (const [email, locale] of [
        [japanese, 'ja'],
        [english, 'en'],
      ] as const) {
        expectStatus(
          await api('relationships')
            .post('/v1/partnership-requests')
            .set(bearer(provider.token))
            .send({ email, locale }),
          201,
        );
      }

      const ja = await waitForEmail({ to: japanese });
      expect(ja.subject).toBe(
        `${provider.name} から間接プロバイダーとしての承認を依頼されています`,
      );
      expect(ja.headers['content-language']).toBe('ja');
      expect(ja.html).toContain('<html lang="ja">');
      expect(ja.text).toContain('こんにちは。');
      expect(ja.html).toContain('パートナーシップの依頼を確認する');
      expect(ja.text).not.toContain('Hello');
      expect(linkIn(ja)).toContain('/invitations/partnership?token=');
      messageKeyOf(ja);

      const en = await waitForEmail({ to: english });
      expect(en.subject).toBe(
        `${provider.name} invites you to authorize it as your indirect provider`,
      );
      expect(en.headers['content-language']).toBe('en');
      expect(en.html).toContain('<html lang="en">');
      expect(en.text).toContain('Hello,');
      expect(en.text).not.toContain('こんにちは');
      expect(linkIn(en)).toContain('/invitations/partnership?token=');
    });

    it('escapes a custom message in the HTML part and keeps the link', async () => {
      const email = uniqueEmail('eve', 'fabrikam');
      const customMessage = 'Hi <script>alert(1)</script> {{link}} {{{providerName}}} & "you"';
      const sent = expectStatus<{ draft: { html: string; link: string } }>(
        await api('relationships')
          .post('/v1/partnership-requests')
          .set(bearer(provider.token))
          .send({ email, customMessage }),
        201,
      );

      const delivered = await waitForEmail({ to: email });
      for (const html of [delivered.html, sent.draft.html]) {
        expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
        expect(html).not.toMatch(/<script/i);
        // Handlebars syntax inside the message is text, never evaluated.
        expect(html).toContain('{{link}} {{{providerName}}} &amp; &quot;you&quot;');
      }
      expect(delivered.text).toContain(customMessage);
      expect(linkIn(delivered)).toBe(sent.draft.link);
      expect(delivered.html).toContain(`href="${sent.draft.link}"`);
      messageKeyOf(delivered);
    });
  });

  describe('reseller relationship request', () => {
    async function requestAndAccept(options: {
      from: EnrolledPartner;
      delegatedAdmin: boolean;
      indirectProviderId?: string;
      subject: string;
      acceptBy?: 'customer';
    }) {
      const customer = await signUpCustomer();
      const sent = expectStatus<{ queued: boolean; draft: { subject: string; link: string } }>(
        await api('relationships')
          .post('/v1/customers/relationship-requests')
          .set(bearer(options.from.token))
          .send({
            email: customer.email,
            delegatedAdmin: options.delegatedAdmin,
            ...(options.indirectProviderId
              ? { indirectProviderId: options.indirectProviderId }
              : {}),
          }),
        201,
      );
      expect(sent.queued).toBe(true);

      const request = await waitForEmail({ to: customer.email, subjectIncludes: options.subject });
      expect(request.to).toEqual([customer.email.toLowerCase()]);
      expect(request.subject).toBe(options.subject);
      expect(request.subject).toBe(sent.draft.subject);
      expect(request.headers['content-language']).toBe('en');
      messageKeyOf(request);
      const link = linkIn(request);
      expect(link).toBe(sent.draft.link);
      expect(link).toMatch(
        new RegExp(
          `^${escapeRegExp(system().urls.relationships)}/invitations/reseller-relationship\\?token=[A-Za-z0-9_-]{22,}$`,
        ),
      );

      const accepted = expectStatus<{
        customerId: string;
        relationships: { partnerId: string; delegatedAdmin: boolean }[];
      }>(
        await api('relationships')
          .post('/v1/customers/relationship-requests/accept')
          .set(bearer(customer.token))
          .send({ token: tokenIn(request), acceptCustomerAgreement: true }),
        200,
      );
      expect(accepted.customerId).toBe(customer.tenantId);

      const note = await waitForEmail({
        to: options.from.email,
        subjectIncludes: `${customer.companyName} accepted your reseller relationship request`,
      });
      expect(note.headers['content-language']).toBe('en');
      expect(note.text).toContain('It now appears on your Customers page');
      expect(messageKeyOf(note)).not.toBe(messageKeyOf(request));
      return { request, accepted };
    }

    it('delivers a plain request (no delegated admin) whose token the accept endpoint takes', async () => {
      const { request, accepted } = await requestAndAccept({
        from: reseller,
        delegatedAdmin: false,
        subject: `${reseller.name} invites you to make it your reseller of record`,
      });
      expect(request.text).toContain('This request does not include administrator permissions');
      expect(request.text).not.toContain('includes delegated admin privileges');
      expect(accepted.relationships).toEqual([
        expect.objectContaining({ partnerId: reseller.tenantId, delegatedAdmin: false }),
      ]);
    });

    it('delivers a request with delegated admin privileges that says so', async () => {
      const { request, accepted } = await requestAndAccept({
        from: provider,
        delegatedAdmin: true,
        subject: `${provider.name} invites you to make it your reseller of record`,
      });
      expect(request.text).toContain('This request includes delegated admin privileges');
      expect(request.html).toContain(
        'This request includes <strong>delegated admin privileges</strong>',
      );
      expect(accepted.relationships).toEqual([
        expect.objectContaining({ partnerId: provider.tenantId, delegatedAdmin: true }),
      ]);
    });

    it('delivers a joint request for the reseller and its indirect provider', async () => {
      const { request, accepted } = await requestAndAccept({
        from: partneredReseller,
        delegatedAdmin: true,
        indirectProviderId: provider.tenantId,
        subject: `${partneredReseller.name} and ${provider.name} invite you to make them your resellers of record`,
      });
      expect(request.text).toContain(`(Partner ID ${partneredReseller.mpnId})`);
      expect(request.text).toContain(`(Partner ID ${provider.mpnId})`);
      expect(accepted.relationships.map((r) => r.partnerId).sort()).toEqual(
        [partneredReseller.tenantId, provider.tenantId].sort(),
      );
    });
  });

  describe('the acceptance note', () => {
    it("is written in the inviter's language, not the invitation's", async () => {
      const japanesePartner = await enrollPartner({
        partnerType: 'direct',
        name: uniqueName('Tailspin Japan'),
        locale: 'ja',
      });
      const cases = [
        { inviter: japanesePartner, invitationLocale: 'en', noteLocale: 'ja' },
        { inviter: reseller, invitationLocale: 'ja', noteLocale: 'en' },
      ] as const;
      for (const { inviter, invitationLocale, noteLocale } of cases) {
        const customer = await signUpCustomer();
        expectStatus(
          await api('relationships')
            .post('/v1/customers/relationship-requests')
            .set(bearer(inviter.token))
            .send({ email: customer.email, delegatedAdmin: false, locale: invitationLocale }),
          201,
        );
        // The invitation, not the sign-in address verification the customer received before.
        const request = await waitForEmailWhere({ to: customer.email }, (email) =>
          email.text.includes('/invitations/reseller-relationship'),
        );
        expect(request.headers['content-language']).toBe(invitationLocale);
        expectStatus(
          await api('relationships')
            .post('/v1/customers/relationship-requests/accept')
            .set(bearer(customer.token))
            .send({ token: tokenIn(request), acceptCustomerAgreement: true }),
          200,
        );
        const note = await waitForEmail({
          to: inviter.email,
          subjectIncludes: customer.companyName,
        });
        expect(note.headers['content-language']).toBe(noteLocale);
        expect(note.subject).toBe(
          noteLocale === 'ja'
            ? `${customer.companyName} が再販業者関係の依頼を承認しました`
            : `${customer.companyName} accepted your reseller relationship request`,
        );
        messageKeyOf(note);
      }
    });
  });

  describe('header injection', () => {
    type Enrollment = ReturnType<typeof enrollmentBodyFor>;
    it.each<[string, (body: Enrollment) => Enrollment]>([
      [
        'a legal business name',
        (b) => ({ ...b, legalBusinessName: 'Evil Corp\r\nBcc: victim@evil.example' }),
      ],
      [
        'a primary contact name',
        (b) => ({
          ...b,
          primaryContact: { ...b.primaryContact, name: 'Pat\nBcc: victim@evil.example' },
        }),
      ],
      [
        'an admin first name',
        (b) => ({ ...b, globalAdmin: { ...b.globalAdmin, firstName: 'Alex\r\nX-Injected: 1' } }),
      ],
    ])('refuses %s with CR/LF at enrollment (400, nothing written, no email)', async (_, spoil) => {
      const email = uniqueEmail('pat', 'evil');
      const password = strongPassword();
      const body = spoil(enrollmentBodyFor({ name: uniqueName('Evil Corp'), email, password }));
      const response = await api('identity').post('/v1/enrollments').send(body);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({
        code: errorCode('request.invalid'),
        source: 'identity',
      });
      const rows = await dbRows('identity', `select 1 from "tenant" where "mpn_id" = $1`, [
        body.mpnId,
      ]);
      expect(rows).toHaveLength(0);

      // A later, valid enrollment with the same contact is the marker: only its email arrives.
      const good = enrollmentBodyFor({ name: uniqueName('Good Corp'), email, password });
      expectStatus(await api('identity').post('/v1/enrollments').send(good), 201);
      await waitForEmail({ to: email, subjectIncludes: good.legalBusinessName });
      expect(await emailsTo({ to: email })).toHaveLength(1);
    });

    it('refuses a customer company name with CR/LF at sign-up', async () => {
      const companyName = uniqueName('Northwind');
      const response = await api('identity')
        .post('/v1/customer-signups')
        .send({
          companyName: `${companyName}\r\nBcc: victim@evil.example`,
          address: addressIn('US'),
          country: 'US',
          cloud: 'public',
          domainPrefix: `nw${Date.now().toString(36)}`,
          globalAdmin: {
            firstName: 'Casey',
            lastName: 'Customer',
            email: uniqueEmail('admin', 'northwind'),
            password: strongPassword(),
          },
        });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({
        code: errorCode('request.invalid'),
        source: 'identity',
      });
      expect(
        await dbRows('identity', `select 1 from "tenant" where "name" like $1`, [
          `${companyName}%`,
        ]),
      ).toHaveLength(0);
    });

    it('refuses a new customer with CR/LF in its company or admin name (nothing written)', async () => {
      const companyName = uniqueName('Adatum');
      for (const [company, firstName] of [
        [`${companyName}\r\nBcc: victim@evil.example`, 'Ada'],
        [companyName, 'Ada\nBcc: victim@evil.example'],
      ]) {
        const response = await api('relationships')
          .post('/v1/customers')
          .set(bearer(provider.token))
          .send({
            companyProfile: { domain: `adatum${Date.now().toString(36)}` },
            billingProfile: {
              email: uniqueEmail('ada', 'adatum'),
              culture: 'en-US',
              language: 'en',
              companyName: company,
              defaultAddress: { ...addressIn('US'), firstName, lastName: 'Adatum' },
            },
          });
        expect(response.status).toBe(400);
        expect(response.body).toMatchObject({
          code: errorCode('request.invalid'),
          source: 'relationships',
        });
      }
      expect(
        await dbRows('relationships', `select 1 from "customer" where "company_name" like $1`, [
          `${companyName}%`,
        ]),
      ).toHaveLength(0);
    });

    it('refuses a user whose name has CR/LF (the inviter name of every invitation)', async () => {
      const response = await api('identity')
        .post('/v1/users')
        .set(bearer(provider.token))
        .send({
          firstName: 'Mallory\r\nBcc: victim@evil.example',
          lastName: 'Agent',
          email: uniqueEmail('mallory', 'contoso'),
          roles: ['AdminAgent'],
        });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({
        code: errorCode('request.invalid'),
        source: 'identity',
      });
    });
  });

  describe('the pipeline', () => {
    it('relays the outbox row of a sent invitation with only the sealed link, delivered under its id', async () => {
      const email = uniqueEmail('olive', 'fabrikam');
      expectStatus(
        await api('relationships')
          .post('/v1/partnership-requests')
          .set(bearer(provider.token))
          .send({ email }),
        201,
      );
      const delivered = await waitForEmail({ to: email });
      const token = tokenIn(delivered);
      const key = messageKeyOf(delivered);

      const rows = await dbRows<{
        id: string;
        payload_text: string;
        relayed_at: Date | null;
        settled_at: Date | null;
      }>(
        'relationships',
        `select "id", "payload"::text as "payload_text", "relayed_at", "settled_at"
          from "outbox_message" where "name" = 'email.send' and "payload"->>'to' = $1`,
        [email],
      );
      expect(rows).toHaveLength(1);
      const [row] = rows;
      // The outbox row id is the idempotency key and so the Message-ID.
      expect(row.id).toBe(key);
      expect(row.relayed_at).not.toBeNull();
      const payload = JSON.parse(row.payload_text) as Record<string, unknown>;
      expect(payload).toMatchObject({
        template: 'partnership-request',
        to: email,
        idempotencyKey: row.id,
      });
      // The sealed link rests in the row until the relay has confirmed the delivery, then it goes.
      expect(typeof payload.sealedLink === 'string').toBe(row.settled_at === null);
      expect(row.payload_text).not.toContain(token);
      expect(row.payload_text).not.toContain('token=');
      expect(row.payload_text).not.toContain('/invitations/');

      // BullMQ held it under jobId = the outbox row id and drops it (and its sealed link) once it
      // completes: the worker's delivery record below is the receipt.
      const queue = notificationsQueue();
      try {
        await eventually(`job ${row.id} to leave Redis`, async () =>
          (await queue.getJob(row.id)) === undefined ? true : undefined,
        );
      } finally {
        await queue.close();
      }

      const deliveries = await dbRows<{ status: string; recipient: string; message_id: string }>(
        'notifications',
        `select "status", "recipient", "message_id" from "delivery" where "idempotency_key" = $1`,
        [row.id],
      );
      expect(deliveries).toEqual([
        { status: 'sent', recipient: email, message_id: delivered.headers['message-id'] },
      ]);
    });
  });
});

/** The run's `notifications` BullMQ queue (its own prefix and Redis). Close it after use. */
function notificationsQueue(): Queue {
  const s = harnessSettings();
  const url = new URL(s.redisUrl);
  return new Queue('notifications', {
    connection: {
      host: url.hostname,
      port: Number(url.port || 6379),
      db: Number(url.pathname.replace('/', '') || 0),
      maxRetriesPerRequest: null,
    },
    prefix: s.bullmqPrefix,
  });
}
