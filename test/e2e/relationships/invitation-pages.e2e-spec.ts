import {
  api,
  bearer,
  customerAgreementOf,
  recordedCustomerAgreementOf,
  dbRows,
  enrollPartner,
  expectStatus,
  linkIn,
  partnerRelationships,
  sendPartnershipRequest,
  signUpCustomer,
  system,
  uniqueName,
  waitForEmailCarrying,
  type Customer,
  type EnrolledPartner,
  type PartnerRelationship,
  type RelationshipRequestSent,
  type SignedUpCustomer,
} from '../support';

/**
 * The invitation pages of relationships, opened where the emailed links point (seed 004 steps
 * 2–3: the indirect reseller authorizes an indirect provider; seed 001 steps 5–6: the customer's
 * Global admin accepts a reseller relationship). A person follows the link in the delivered email,
 * reads the page, and submits its form as a browser does (`application/x-www-form-urlencoded`).
 */

// ---------------------------------------------------------------------------------------------
// A browser's view of a page: status, content type, the visible text and the form.

interface Page {
  status: number;
  contentType: string;
  html: string;
  /** The visible text: tags removed, entities decoded, whitespace collapsed. */
  text: string;
}

interface PageForm {
  method: string;
  action: string;
  /** Values of the hidden inputs (what the form sends without the person typing it). */
  hidden: Record<string, string>;
  /** The names of every input, in order. */
  inputs: string[];
}

function decodeEntities(value: string): string {
  return value
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_, code: string) => String.fromCodePoint(parseInt(code, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function attributesOf(tag: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [, name, value] of tag.matchAll(/([a-zA-Z-]+)="([^"]*)"/g)) {
    attributes[name.toLowerCase()] = decodeEntities(value);
  }
  return attributes;
}

async function pageOf(response: Response): Promise<Page> {
  const html = await response.text();
  const body = /<body>([\s\S]*)<\/body>/.exec(html)?.[1] ?? html;
  const text = decodeEntities(body.replace(/<[^>]+>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    html,
    text,
  };
}

/** The page's form, or undefined when it shows none. */
function formIn(page: Page): PageForm | undefined {
  const match = /<form\b([^>]*)>([\s\S]*?)<\/form>/.exec(page.html);
  if (!match) return undefined;
  const form = attributesOf(match[1]);
  const hidden: Record<string, string> = {};
  const inputs: string[] = [];
  for (const [, tag] of match[2].matchAll(/<input\b([^>]*)>/g)) {
    const input = attributesOf(tag);
    if (!input.name) continue;
    inputs.push(input.name);
    if (input.type === 'hidden') hidden[input.name] = input.value ?? '';
  }
  return { method: form.method ?? 'get', action: form.action ?? '', hidden, inputs };
}

/** `GET` the link as a browser follows it. */
async function open(link: string): Promise<Page> {
  return pageOf(await fetch(link, { headers: { accept: 'text/html' } }));
}

/**
 * Submits the form of `page` (opened at `pageUrl`) as a browser does: its hidden inputs plus
 * `fields`, `application/x-www-form-urlencoded`, to its action resolved against the page's URL.
 */
async function submit(pageUrl: string, page: Page, fields: Record<string, string>): Promise<Page> {
  const form = formIn(page);
  if (!form) throw new Error(`The page at ${pageUrl} has no form: ${page.text}`);
  const response = await fetch(new URL(form.action, pageUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body: new URLSearchParams({ ...form.hidden, ...fields }).toString(),
  });
  return pageOf(response);
}

/** Asserts an HTML page with `status` and returns it. */
function expectPage(page: Page, status: number): Page {
  if (page.status !== status) {
    throw new Error(`Expected a ${status} page, got ${page.status}: ${page.text}`);
  }
  expect(page.contentType).toContain('text/html');
  return page;
}

// ---------------------------------------------------------------------------------------------
// Partnerships.

/** `provider` requests a partnership with `reseller`; returns the link of the delivered email. */
async function invitePartner(
  provider: EnrolledPartner,
  reseller: EnrolledPartner,
): Promise<{ id: string; link: string }> {
  const { request, email } = await sendPartnershipRequest(provider, reseller.email);
  return { id: request.id, link: linkIn(email) };
}

/** The reseller's indirect providers (`IsIndirectResellerOf`). */
async function providersOf(reseller: EnrolledPartner): Promise<PartnerRelationship[]> {
  return (await partnerRelationships(reseller.token, 'IsIndirectResellerOf')).items;
}

/** What the relationships database holds for a partnership request and its pair of partners. */
async function partnershipState(
  provider: EnrolledPartner,
  reseller: EnrolledPartner,
  invitationId: string,
): Promise<{ partnerships: Record<string, unknown>[]; invitation: Record<string, unknown>[] }> {
  return {
    partnerships: await dbRows(
      'relationships',
      'select status from partnership where provider_tenant_id = $1 and reseller_tenant_id = $2',
      [provider.tenantId, reseller.tenantId],
    ),
    invitation: await dbRows('relationships', 'select status from invitation where id = $1', [
      invitationId,
    ]),
  };
}

const NOTHING_WRITTEN = { partnerships: [], invitation: [{ status: 'pending' }] };

describe('the partnership invitation page', () => {
  let provider: EnrolledPartner;

  beforeAll(async () => {
    provider = await enrollPartner({
      partnerType: 'indirect_provider',
      name: uniqueName('Contoso Distribution'),
    });
  });

  it('opens where the emailed link points: an HTML page naming the provider and its Partner ID, with a sign-in and authorize form', async () => {
    const reseller = await enrollPartner({ partnerType: 'indirect_reseller' });
    const { link } = await invitePartner(provider, reseller);
    expect(link.startsWith(`${system().urls.relationships}/invitations/partnership?token=`)).toBe(
      true,
    );

    const page = expectPage(await open(link), 200);
    expect(page.text).toContain(`${provider.name} invites your organisation to a partnership`);
    expect(page.text).toContain(`Indirect provider ${provider.name}`);
    expect(page.text).toContain(`Partner ID (MPN ID) ${provider.mpnId}`);
    expect(formIn(page)).toEqual({
      method: 'post',
      action: '/invitations/partnership/accept',
      hidden: { token: new URL(link).searchParams.get('token') },
      inputs: ['token', 'email', 'password', 'organization', 'authorize'],
    });
  });

  it('refuses the form without the authorize box (400, the form again, nothing written), accepts it with the box checked, then answers the used link with 409', async () => {
    const reseller = await enrollPartner({ partnerType: 'indirect_reseller' });
    const { id, link } = await invitePartner(provider, reseller);
    const page = expectPage(await open(link), 200);
    const credentials = { email: reseller.email, password: reseller.password };

    const unchecked = expectPage(await submit(link, page, credentials), 400);
    expect(unchecked.text).toContain('Check the box to authorize the indirect provider.');
    expect(formIn(unchecked)?.action).toBe('/invitations/partnership/accept');
    expect((await providersOf(reseller)).map((item) => item.id)).not.toContain(provider.tenantId);
    expect(await partnershipState(provider, reseller, id)).toEqual(NOTHING_WRITTEN);

    const accepted = expectPage(await submit(link, page, { ...credentials, authorize: 'on' }), 200);
    expect(accepted.text).toContain(
      `${provider.name} (Partner ID ${provider.mpnId}) is now your indirect provider.`,
    );
    expect(formIn(accepted)).toBeUndefined();
    expect(await providersOf(reseller)).toContainEqual(
      expect.objectContaining({
        id: provider.tenantId,
        name: provider.name,
        mpnId: provider.mpnId,
        relationshipType: 'is_indirect_reseller_of',
      }),
    );

    // The link is single use: the page and its form now answer 409 without a form.
    const used = expectPage(await open(link), 409);
    expect(formIn(used)).toBeUndefined();
    const again = expectPage(await submit(link, page, { ...credentials, authorize: 'on' }), 409);
    expect(formIn(again)).toBeUndefined();
    expect(
      (await providersOf(reseller)).filter((item) => item.id === provider.tenantId),
    ).toHaveLength(1);
  });

  it('answers a wrong password with a 401 page and writes nothing; the link still works afterwards', async () => {
    const reseller = await enrollPartner({ partnerType: 'indirect_reseller' });
    const { id, link } = await invitePartner(provider, reseller);
    const page = expectPage(await open(link), 200);

    const refused = expectPage(
      await submit(link, page, {
        email: reseller.email,
        password: `${reseller.password}x`,
        authorize: 'on',
      }),
      401,
    );
    expect(formIn(refused)?.action).toBe('/invitations/partnership/accept');
    expect(refused.html).not.toContain(`${reseller.password}x`);
    expect((await providersOf(reseller)).map((item) => item.id)).not.toContain(provider.tenantId);
    expect(await partnershipState(provider, reseller, id)).toEqual(NOTHING_WRITTEN);

    expectPage(
      await submit(link, page, {
        email: reseller.email,
        password: reseller.password,
        authorize: 'on',
      }),
      200,
    );
    expect((await providersOf(reseller)).map((item) => item.id)).toContain(provider.tenantId);
  });

  it('shows a provider name with markup as text, escaped', async () => {
    const marked = await enrollPartner({
      partnerType: 'indirect_provider',
      name: uniqueName('Contoso <b>x</b>'),
    });
    expect(marked.name).toContain('<b>x</b>');
    const reseller = await enrollPartner({ partnerType: 'indirect_reseller' });
    const { link } = await invitePartner(marked, reseller);

    const page = expectPage(await open(link), 200);
    expect(page.html).not.toContain('<b>x</b>');
    expect(page.text).toContain(`Indirect provider ${marked.name}`);

    const accepted = expectPage(
      await submit(link, page, {
        email: reseller.email,
        password: reseller.password,
        authorize: 'on',
      }),
      200,
    );
    expect(accepted.html).not.toContain('<b>x</b>');
    expect(accepted.text).toContain(`${marked.name} (Partner ID ${marked.mpnId})`);
  });
});

// ---------------------------------------------------------------------------------------------
// Reseller relationships.

/** `partner` requests a reseller relationship with delegated admin; returns the emailed link. */
async function inviteCustomer(
  partner: EnrolledPartner,
  customer: SignedUpCustomer,
): Promise<{ id: string; link: string }> {
  const sent = expectStatus<RelationshipRequestSent>(
    await api('relationships')
      .post('/v1/customers/relationship-requests')
      .set(bearer(partner.token))
      .send({ email: customer.email, delegatedAdmin: true }),
    201,
  );
  const email = await waitForEmailCarrying(customer.email, sent.draft.link);
  return { id: sent.id, link: linkIn(email) };
}

async function customersOf(partner: EnrolledPartner): Promise<Customer[]> {
  return expectStatus<{ items: Customer[] }>(
    await api('relationships').get('/v1/customers').query({ size: 500 }).set(bearer(partner.token)),
    200,
  ).items;
}

describe('the reseller relationship invitation page', () => {
  let partner: EnrolledPartner;

  beforeAll(async () => {
    partner = await enrollPartner({
      partnerType: 'direct',
      country: 'US',
      name: uniqueName('Fabrikam'),
    });
  });

  it('opens where the emailed link points: an HTML page naming the partner and the delegated admin privileges, with a sign-in and accept form', async () => {
    const customer = await signUpCustomer({ country: 'US' });
    const { link } = await inviteCustomer(partner, customer);
    expect(
      link.startsWith(`${system().urls.relationships}/invitations/reseller-relationship?token=`),
    ).toBe(true);

    const page = expectPage(await open(link), 200);
    expect(page.text).toContain(
      `${partner.name} invites your organisation to establish a reseller relationship, with delegated administration privileges`,
    );
    expect(page.text).toContain(`Partner ID (MPN ID) ${partner.mpnId}`);
    expect(page.text).toContain('Delegated admin privileges Requested');
    expect(formIn(page)).toEqual({
      method: 'post',
      action: '/invitations/reseller-relationship/accept',
      hidden: {
        token: new URL(link).searchParams.get('token'),
        customerAgreementVersion: '2026-12',
      },
      inputs: [
        'token',
        'email',
        'password',
        'organization',
        'customerAgreementVersion',
        'acceptCustomerAgreement',
      ],
    });
    // The Customer Agreement it asks to accept: its version, and a link to that version's text.
    expect(page.text).toContain('Customer Agreement (version 2026-12)');
    expect(page.html).toContain('href="/agreements/customer-agreement/2026-12"');
  });

  it('refuses the form without the Customer Agreement (422, the form again, nothing written), then accepts it with the box checked: the customer is on the partner’s list with delegated access', async () => {
    const customer = await signUpCustomer({ country: 'US' });
    const { id, link } = await inviteCustomer(partner, customer);
    const page = expectPage(await open(link), 200);
    const credentials = { email: customer.email, password: customer.password };

    const unchecked = expectPage(await submit(link, page, credentials), 422);
    expect(unchecked.text).toContain('Accept the Customer Agreement');
    expect(formIn(unchecked)?.action).toBe('/invitations/reseller-relationship/accept');
    expect((await customersOf(partner)).map((item) => item.id)).not.toContain(customer.tenantId);
    expect((await customerAgreementOf(customer)).customerAgreementAcceptedAt).toBeNull();
    expect(
      await dbRows('relationships', 'select id from reseller_relationship where customer_id = $1', [
        customer.tenantId,
      ]),
    ).toEqual([]);
    expect(
      await dbRows('relationships', 'select status from invitation where id = $1', [id]),
    ).toEqual([{ status: 'pending' }]);

    const accepted = expectPage(
      await submit(link, page, { ...credentials, acceptCustomerAgreement: 'on' }),
      200,
    );
    expect(accepted.text).toContain(`${partner.name} is now your reseller of record.`);
    expect(formIn(accepted)).toBeUndefined();
    expect((await recordedCustomerAgreementOf(customer)).customerAgreementAcceptedAt).toEqual(
      expect.any(String),
    );
    expect((await customersOf(partner)).filter((item) => item.id === customer.tenantId)).toEqual([
      expect.objectContaining({
        id: customer.tenantId,
        relationshipToPartner: 'reseller',
        allowDelegatedAccess: true,
      }),
    ]);

    // The link is single use.
    expect(formIn(expectPage(await open(link), 409))).toBeUndefined();
  });
});
