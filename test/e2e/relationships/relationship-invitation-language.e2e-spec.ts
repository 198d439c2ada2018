import {
  api,
  bearer,
  dbRows,
  enrollPartner,
  expectStatus,
  linkIn,
  signUpCustomer,
  strongPassword,
  system,
  uniqueDomainPrefix,
  uniqueEmail,
  uniqueName,
  verifySignInEmail,
  waitForEmailCarrying,
  type Customer,
  type EnrolledPartner,
  type RelationshipRequestSent,
} from '../support';
import {
  decodeEntities,
  expectHtmlPage,
  htmlFormOf,
  languageSwitchOf,
  openHtmlPage,
  submitHtmlForm,
} from '../support/html-pages';

/**
 * The customer's reseller relationship invitation page without dead ends (issue 12): in the
 * email's language with a language switch, the Customer Agreement's text and version on the page
 * (the version recorded on acceptance), refusals worded in the page's language, and an invitee
 * without an account creating it from the invitation. Pages are fetched and their forms posted
 * as a browser does (`application/x-www-form-urlencoded`).
 */

/** `partner` requests a reseller relationship of `email` in `locale`; the delivered email's link. */
async function invite(
  partner: EnrolledPartner,
  email: string,
  locale: 'en' | 'ja',
): Promise<{ link: string; subject: string }> {
  const sent = expectStatus<RelationshipRequestSent>(
    await api('relationships')
      .post('/v1/customers/relationship-requests')
      .set(bearer(partner.token))
      .send({ email, delegatedAdmin: true, locale }),
    201,
  );
  const delivered = await waitForEmailCarrying(email, sent.draft.link);
  return { link: linkIn(delivered), subject: delivered.subject };
}

async function customersOf(partner: EnrolledPartner): Promise<Customer[]> {
  return expectStatus<{ items: Customer[] }>(
    await api('relationships').get('/v1/customers').query({ size: 500 }).set(bearer(partner.token)),
    200,
  ).items;
}

describe('the reseller relationship invitation page in the email’s language, without dead ends', () => {
  let partner: EnrolledPartner;

  beforeAll(async () => {
    partner = await enrollPartner({
      partnerType: 'direct',
      country: 'JP',
      name: uniqueName('Fabrikam'),
    });
  });

  it('opens a Japanese invitation in Japanese with the agreement’s text, switches to English, refuses in Japanese and records the version accepted', async () => {
    const customer = await signUpCustomer({ country: 'JP' });
    const { link, subject } = await invite(partner, customer.email, 'ja');
    expect(subject).toBe(`${partner.name} から再販業者関係の依頼が届いています`);

    const ja = expectHtmlPage(await openHtmlPage(link), 200);
    expect(ja.html).toContain('<html lang="ja">');
    expect(ja.text).toContain('再販業者との関係の承認');
    expect(ja.text).toContain(
      `${partner.name} が、あなたの組織に再販業者との関係の確立を依頼しています (Azure Active Directory と Office 365 の委任された管理者特権を含む)。`,
    );
    expect(ja.text).toContain('委任された管理者特権 要求あり');
    // The agreement's own text and its version, in Japanese, and the version the form posts back.
    expect(ja.text).toContain('顧客契約 (バージョン 2026-12)');
    expect(ja.text).toContain('この顧客契約は、これに同意する顧客組織と');
    expect(htmlFormOf(ja)).toEqual({
      action: new URL('/invitations/reseller-relationship/accept?lang=ja', link).toString(),
      hidden: {
        token: new URL(link).searchParams.get('token'),
        customerAgreementVersion: '2026-12',
      },
    });

    // The language switch: the same invitation in English.
    const en = expectHtmlPage(await openHtmlPage(languageSwitchOf(ja, 'en')), 200);
    expect(en.html).toContain('<html lang="en">');
    expect(en.text).toContain('Customer Agreement (version 2026-12)');
    expect(en.text).toContain('This Customer Agreement is between the customer organisation');
    expect(htmlFormOf(en).action).toBe(
      new URL('/invitations/reseller-relationship/accept', link).toString(),
    );

    const credentials = { email: customer.email, password: customer.password };
    const wrong = expectHtmlPage(
      await submitHtmlForm(ja, { ...credentials, password: `${customer.password}x` }),
      401,
    );
    expect(wrong.text).toContain('メール アドレスまたはパスワードが正しくありません。');
    expect(wrong.html).toContain('<html lang="ja">');

    const unchecked = expectHtmlPage(await submitHtmlForm(ja, credentials), 422);
    expect(unchecked.text).toContain(
      'この再販業者との関係を承認するには、顧客契約に同意してください。',
    );

    const accepted = expectHtmlPage(
      await submitHtmlForm(ja, { ...credentials, acceptCustomerAgreement: 'true' }),
      200,
    );
    expect(accepted.text).toContain(`${partner.name} があなたの記録上の再販業者になりました。`);
    // The way on: the portal's partners page (the gateway's /portal).
    expect(decodeEntities(accepted.html)).toContain(
      `href="${system().urls.gateway}/portal/customer/partners"`,
    );
    expect(
      await dbRows(
        'relationships',
        'select version from customer_agreement where customer_id = $1',
        [customer.tenantId],
      ),
    ).toEqual([{ version: '2026-12' }]);
    expect((await customersOf(partner)).map((c) => c.id)).toContain(customer.tenantId);
  });

  it('lets an invitee without an account create it from the invitation, verify the address and accept', async () => {
    const email = uniqueEmail('nina', 'northwind');
    const { link } = await invite(partner, email, 'en');
    const page = expectHtmlPage(await openHtmlPage(link), 200);
    expect(page.text).toContain('No account yet?');
    expect(page.text).toContain(`the address this invitation was sent to (${email})`);
    expect(htmlFormOf(page, 1).action).toBe(
      new URL('/invitations/reseller-relationship/sign-up', link).toString(),
    );

    const companyName = uniqueName('Northwind Traders');
    const fields = {
      companyName,
      domainPrefix: uniqueDomainPrefix('northwind'),
      firstName: 'Nina',
      lastName: 'Northwind',
      addressLine1: '1 Main Street',
      city: 'Tokyo',
      postalCode: '100-0001',
      // The partner is in Japan: a customer of its own market region (lower case is accepted).
      country: 'jp',
    };
    // A weak password: the invitation page again with the reason, nothing created.
    const weak = expectHtmlPage(
      await submitHtmlForm(page, { ...fields, newPassword: 'short' }, 1),
      400,
    );
    expect(weak.text).toContain('No account yet?');
    expect(weak.html).toContain('role="alert"');
    expect(
      await dbRows('identity', 'select id from tenant where name = $1', [companyName]),
    ).toEqual([]);

    const password = strongPassword();
    const created = expectHtmlPage(
      await submitHtmlForm(page, { ...fields, newPassword: password }, 1),
      200,
    );
    expect(created.text).toContain(`${companyName} (`);
    expect(created.text).toContain(`We have emailed ${email} a link to verify the address`);
    const [tenant] = await dbRows<{ id: string }>(
      'identity',
      'select id from tenant where name = $1',
      [companyName],
    );
    expect(tenant).toBeDefined();

    // Before the address is verified, signing in says so (not "email or password incorrect").
    const unverified = expectHtmlPage(
      await submitHtmlForm(page, { email, password, acceptCustomerAgreement: 'true' }),
      401,
    );
    expect(unverified.text).toContain('Your email address is not verified yet');

    await verifySignInEmail(email);
    const accepted = expectHtmlPage(
      await submitHtmlForm(page, { email, password, acceptCustomerAgreement: 'true' }),
      200,
    );
    expect(accepted.text).toContain(`${partner.name} is now your reseller of record.`);
    expect((await customersOf(partner)).map((c) => c.id)).toContain(tenant.id);
  });

  it('refuses a taken domain prefix on the page (409), and answers an unknown invitation’s sign-up with its 404 page', async () => {
    const existing = await signUpCustomer({ country: 'US' });
    const { link } = await invite(partner, uniqueEmail('other', 'northwind'), 'en');
    const page = expectHtmlPage(await openHtmlPage(link), 200);
    const taken = expectHtmlPage(
      await submitHtmlForm(
        page,
        {
          companyName: uniqueName('Taken'),
          domainPrefix: existing.domain.split('.')[0],
          firstName: 'Oli',
          lastName: 'Other',
          addressLine1: '1 Main Street',
          city: 'Redmond',
          postalCode: '98052',
          country: 'US',
          newPassword: strongPassword(),
        },
        1,
      ),
      409,
    );
    expect(taken.text).toContain('This domain prefix is taken');

    const unknown = await fetch(
      `${system().urls.relationships}/invitations/reseller-relationship/sign-up`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
        body: new URLSearchParams({
          token: 'x'.repeat(43),
          companyName: 'Nobody',
          domainPrefix: uniqueDomainPrefix('nobody'),
          firstName: 'No',
          lastName: 'Body',
          addressLine1: '1 Main Street',
          city: 'Redmond',
          postalCode: '98052',
          country: 'US',
          newPassword: strongPassword(),
        }).toString(),
      },
    );
    expect(unknown.status).toBe(404);
  });
});
