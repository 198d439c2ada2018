import {
  addActiveUser,
  api,
  bearer,
  countRows,
  enrollPartner,
  establishPartnership,
  expectApiError,
  expectStatus,
  fetchPage,
  signUpCustomer,
  system,
  type Collection,
  type Customer,
  type EnrolledPartner,
  type SignedUpCustomer,
} from '../support';
import {
  expectHtmlPage,
  htmlFormOf,
  languageSwitchOf,
  latinWordsOf,
  openHtmlPage,
  submitHtmlForm,
} from '../support/html-pages';

/**
 * Issue 11, Partner Center's "Request a reseller relationship": `GET
 * /v1/customers/relationshiprequests` answers the partner's reusable link (with or without
 * delegated admin privileges), the same on every call; any customer's Global admin accepts it on
 * our page (Customer Agreement shown and recorded with its version), never a customer user of
 * another role nor a partner; a rotation (audited) makes a new link and the old one is refused.
 * Also `GET /v1/relationships?relationship_type=` with Partner Center's meaning.
 */

interface RelationshipRequest {
  url: string;
  attributes: { objectType: string };
}

const linkOf = async (token: string, query = '') =>
  expectStatus<RelationshipRequest>(
    await api('relationships').get(`/v1/customers/relationshiprequests${query}`).set(bearer(token)),
    200,
  );

/** The hidden token of the page's form (the link's partner, variant and code). */
function formToken(html: string): string {
  const match = /name="token" value="([^"]+)"/.exec(html);
  if (!match) throw new Error(`no form token in ${html}`);
  return match[1];
}

/** Posts the partner link page's form as a browser does. */
async function submitPartnerLink(
  fields: Record<string, string>,
): Promise<{ status: number; html: string }> {
  const response = await fetch(
    `${system().urls.relationships}/invitations/reseller-relationship/partner-link/accept`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: new URLSearchParams(fields).toString(),
    },
  );
  return { status: response.status, html: await response.text() };
}

async function customerIds(partner: EnrolledPartner): Promise<Map<string, Customer>> {
  const page = expectStatus<Collection<Customer>>(
    await api('relationships').get('/v1/customers?size=500').set(bearer(partner.token)),
    200,
  );
  return new Map(page.items.map((c) => [c.id, c]));
}

const relationshipRows = (customerId: string) =>
  countRows(
    'relationships',
    'select count(*) as n from reseller_relationship where customer_id = $1',
    [customerId],
  );

describe("a partner's reusable reseller relationship link (GET /v1/customers/relationshiprequests)", () => {
  let partner: EnrolledPartner;
  let other: EnrolledPartner;
  let first: SignedUpCustomer;
  let second: SignedUpCustomer;

  beforeAll(async () => {
    [partner, other, first, second] = await Promise.all([
      enrollPartner({ partnerType: 'direct' }),
      enrollPartner({ partnerType: 'direct' }),
      signUpCustomer({ country: 'US' }),
      signUpCustomer({ country: 'US' }),
    ]);
  });

  it('answers the same URL on every call, per variant, personalized to the partner', async () => {
    const one = await linkOf(partner.token);
    expect(one.attributes).toEqual({ objectType: 'RelationshipRequest' });
    expect(await linkOf(partner.token)).toEqual(one);
    const url = new URL(one.url);
    expect(`${url.origin}${url.pathname}`).toBe(
      `${system().urls.relationships}/invitations/reseller-relationship`,
    );
    expect(url.searchParams.get('partnerId')).toBe(partner.tenantId);
    expect(url.searchParams.get('DAP')).toBe('false');
    expect(url.searchParams.get('invType')).toBe('ResellerRelationship');
    const withDap = await linkOf(partner.token, '?delegatedAdmin=true');
    expect(new URL(withDap.url).searchParams.get('DAP')).toBe('true');
    expect(withDap.url).not.toBe(one.url);
    expect((await linkOf(other.token)).url).not.toBe(one.url);
    expectApiError(
      await api('relationships')
        .get('/v1/customers/relationshiprequests?delegatedAdmin=maybe')
        .set(bearer(partner.token)),
      400,
      'request.invalid',
    );
  });

  it('is for Global admins and Admin agents of partners only', async () => {
    const [sales, helpdesk] = await Promise.all([
      addActiveUser(partner.token, ['SalesAgent']),
      addActiveUser(partner.token, ['HelpdeskAgent']),
    ]);
    for (const token of [sales.token, helpdesk.token, first.token]) {
      expectApiError(
        await api('relationships').get('/v1/customers/relationshiprequests').set(bearer(token)),
        403,
        'auth.forbidden',
      );
    }
    const agent = await addActiveUser(partner.token, ['AdminAgent']);
    expect((await linkOf(agent.token)).url).toBe((await linkOf(partner.token)).url);
  });

  it("lets any customer's Global admin accept it on our page, with the Customer Agreement's version; the link stays usable", async () => {
    const { url } = await linkOf(partner.token, '?delegatedAdmin=true');
    const page = await fetchPage(url);
    expect(page.status).toBe(200);
    expect(page.html).toContain(partner.name);
    expect(page.html).toContain('Delegated admin privileges</dt><dd>Requested');
    expect(page.html).toContain('Customer Agreement (version 2026-12)');
    expect(page.html).toContain('action="/invitations/reseller-relationship/partner-link/accept"');
    const token = formToken(page.html);

    // Without the Customer Agreement: refused, the form again, nothing written.
    const unchecked = await submitPartnerLink({
      token,
      email: first.email,
      password: first.password,
    });
    expect(unchecked.status).toBe(422);
    expect(await relationshipRows(first.tenantId)).toBe(0);

    for (const customer of [first, second]) {
      const accepted = await submitPartnerLink({
        token,
        email: customer.email,
        password: customer.password,
        acceptCustomerAgreement: 'true',
        customerAgreementVersion: '2026-12',
      });
      expect(accepted.status).toBe(200);
      expect(accepted.html).toContain(`${partner.name} is now your reseller of record`);
    }
    const customers = await customerIds(partner);
    expect(customers.get(first.tenantId)).toMatchObject({
      relationshipToPartner: 'reseller',
      allowDelegatedAccess: true,
    });
    expect(customers.has(second.tenantId)).toBe(true);
    // The customer's acceptance is recorded as an Agreement with the version shown.
    const agreements = expectStatus<Collection<{ source: string; version: string }>>(
      await api('relationships')
        .get(`/v1/customers/${first.tenantId}/agreements`)
        .set(bearer(partner.token)),
      200,
    );
    expect(agreements.items).toEqual([
      expect.objectContaining({ source: 'customer_acceptance', version: '2026-12' }),
    ]);
  });

  it("speaks the browser's language or the link's lang (Japanese), switches to English and accepts in Japanese", async () => {
    const customer = await signUpCustomer({ country: 'US' });
    const { url } = await linkOf(partner.token, '?delegatedAdmin=true');
    const withLang = new URL(url);
    withLang.searchParams.set('lang', 'ja');
    const action = `${system().urls.relationships}/invitations/reseller-relationship/partner-link/accept?lang=ja`;
    const data = [partner.name, partner.mpnId, '2026-12', 'ISO'];
    for (const page of [
      expectHtmlPage(await openHtmlPage(url, 'ja-JP,ja;q=0.9,en;q=0.8'), 200),
      expectHtmlPage(await openHtmlPage(withLang.toString()), 200),
    ]) {
      expect(page.html).toContain('<html lang="ja">');
      expect(page.text).toContain(
        `${partner.name} が、あなたの組織に再販業者との関係の確立を依頼しています`,
      );
      expect(page.text).toContain('委任された管理者特権 要求あり');
      expect(page.text).toContain('顧客契約 (バージョン 2026-12)');
      expect(
        latinWordsOf(page, data, ['MPN', 'ID', 'Azure', 'Active', 'Directory', 'Office']),
      ).toEqual([]);
      expect(htmlFormOf(page).action).toBe(action);
      const english = expectHtmlPage(await openHtmlPage(languageSwitchOf(page, 'en'), 'ja'), 200);
      expect(english.html).toContain('<html lang="en">');
      expect(english.text).toContain(
        `${partner.name} invites your organisation to establish a reseller relationship`,
      );
      expect(htmlFormOf(english).action).toBe(
        `${system().urls.relationships}/invitations/reseller-relationship/partner-link/accept`,
      );
    }
    const page = await openHtmlPage(withLang.toString());
    // A refusal in Japanese, worded by its code, with the form again.
    const unchecked = expectHtmlPage(
      await submitHtmlForm(page, { email: customer.email, password: customer.password }),
      422,
    );
    expect(unchecked.text).toContain(
      'この再販業者との関係を承認するには、顧客契約に同意してください。',
    );
    expect(htmlFormOf(unchecked).action).toBe(action);
    const accepted = expectHtmlPage(
      await submitHtmlForm(unchecked, {
        email: customer.email,
        password: customer.password,
        acceptCustomerAgreement: 'true',
      }),
      200,
    );
    expect(accepted.html).toContain('<html lang="ja">');
    expect(accepted.text).toContain(`${partner.name} があなたの記録上の再販業者になりました。`);
    expect((await customerIds(partner)).get(customer.tenantId)).toMatchObject({
      relationshipToPartner: 'reseller',
    });
    // An unknown link in Japanese: the reason in Japanese.
    const forged = new URL(withLang.toString());
    forged.searchParams.set('partnerId', other.tenantId);
    const refused = expectHtmlPage(await openHtmlPage(forged.toString()), 404);
    expect(refused.text).toContain('この関係リンクは無効です。');
  });

  it('never lets a customer user of another role, nor a partner, act on it', async () => {
    const customer = await signUpCustomer({ country: 'US' });
    const billing = await addActiveUser(customer.token, ['BillingAdmin']);
    const { url } = await linkOf(partner.token);
    const token = formToken((await fetchPage(url)).html);
    const asBilling = await submitPartnerLink({
      token,
      email: billing.user.email,
      password: billing.password,
      acceptCustomerAgreement: 'true',
    });
    expect(asBilling.status).toBe(403);
    const asPartner = await submitPartnerLink({
      token,
      email: other.email,
      password: other.password,
      acceptCustomerAgreement: 'true',
    });
    expect(asPartner.status).toBe(403);
    expect(await relationshipRows(customer.tenantId)).toBe(0);
    expect((await customerIds(other)).has(customer.tenantId)).toBe(false);
  });

  it('refuses a forged link (another partner id with this code, or a changed variant)', async () => {
    const { url } = await linkOf(partner.token);
    const forged = new URL(url);
    forged.searchParams.set('partnerId', other.tenantId);
    expect((await fetchPage(forged.toString())).status).toBe(404);
    const flipped = new URL(url);
    flipped.searchParams.set('DAP', 'true');
    expect((await fetchPage(flipped.toString())).status).toBe(404);
  });

  it('rotates: a new URL, the old one refused on the page and on its form', async () => {
    const customer = await signUpCustomer({ country: 'US' });
    const old = await linkOf(partner.token);
    const oldToken = formToken((await fetchPage(old.url)).html);
    const rotated = expectStatus<RelationshipRequest>(
      await api('relationships')
        .post('/v1/customers/relationshiprequests/rotate')
        .set(bearer(partner.token)),
      200,
    );
    expect(rotated.url).not.toBe(old.url);
    expect(await linkOf(partner.token)).toEqual(rotated);
    expect((await fetchPage(old.url)).status).toBe(404);
    const refused = await submitPartnerLink({
      token: oldToken,
      email: customer.email,
      password: customer.password,
      acceptCustomerAgreement: 'true',
    });
    expect(refused.status).toBe(404);
    expect(await relationshipRows(customer.tenantId)).toBe(0);
    // The rotation is in the partner's trail, without the link.
    const events = await countRows(
      'relationships',
      "select count(*) as n from activity_log_entry where type = 'relationship_request.link_rotated' and resource_id = $1",
      [partner.tenantId],
    );
    expect(events).toBe(1);
    // A Sales agent cannot rotate.
    const sales = await addActiveUser(partner.token, ['SalesAgent']);
    expectApiError(
      await api('relationships')
        .post('/v1/customers/relationshiprequests/rotate')
        .set(bearer(sales.token)),
      403,
      'auth.forbidden',
    );
  });
});

describe("GET /v1/relationships?relationship_type= with Partner Center's meaning", () => {
  let provider: EnrolledPartner;
  let reseller: EnrolledPartner;

  beforeAll(async () => {
    [provider, reseller] = await Promise.all([
      enrollPartner({ partnerType: 'indirect_provider' }),
      enrollPartner({ partnerType: 'indirect_reseller' }),
    ]);
    await establishPartnership(provider, reseller);
  });

  const list = (token: string, query: string) =>
    api('relationships').get(`/v1/relationships${query}`).set(bearer(token));

  it('gives a provider asking IsIndirectCloudSolutionProviderOf its indirect resellers', async () => {
    for (const type of [
      'IsIndirectCloudSolutionProviderOf',
      'is_indirect_cloud_solution_provider_of',
    ]) {
      const page = expectStatus<Collection<{ id: string; relationshipType: string }>>(
        await list(provider.token, `?relationship_type=${type}`),
        200,
      );
      expect(page.items).toEqual([
        expect.objectContaining({
          id: reseller.tenantId,
          relationshipType: 'is_indirect_cloud_solution_provider_of',
        }),
      ]);
    }
    // The other side's question answers nothing for the provider.
    expect(
      expectStatus<Collection<unknown>>(
        await list(provider.token, '?relationship_type=IsIndirectResellerOf'),
        200,
      ).items,
    ).toEqual([]);
  });

  it('gives a reseller asking IsIndirectResellerOf its indirect providers', async () => {
    const page = expectStatus<Collection<{ id: string; relationshipType: string }>>(
      await list(reseller.token, '?relationship_type=IsIndirectResellerOf'),
      200,
    );
    expect(page.items).toEqual([
      expect.objectContaining({
        id: provider.tenantId,
        relationshipType: 'is_indirect_reseller_of',
      }),
    ]);
  });

  it('answers 400 for a missing or unknown type', async () => {
    for (const query of ['', '?relationship_type=', '?relationship_type=IsCustomerOf']) {
      expectApiError(await list(provider.token, query), 400, 'relationship.type_invalid');
    }
  });
});
