import {
  addressIn,
  api,
  bearer,
  enrollPartner,
  establishPartnership,
  expectStatus,
  uniqueDomainPrefix,
  uniqueEmail,
  uniqueSuffix,
  type Collection,
  type CreatedCustomer,
  type Customer,
  type EnrolledPartner,
} from '../support';

/**
 * Seed 000 "Customers" page (DESIGN.md "API conventions": every list paginates by keyset):
 * `GET /v1/customers?size=&seek=&indirect_reseller_id=` walks an indirect provider's customers by
 * company name, page by page through `links.next.uri`, each customer once, with its company
 * profile, delegated admin privileges and associated indirect reseller; the filter keeps those
 * associated with one indirect reseller.
 */

/** `POST /v1/customers` of a new customer named `companyName`; 201. */
async function createCustomer(
  provider: EnrolledPartner,
  companyName: string,
  indirectResellerId?: string,
): Promise<CreatedCustomer> {
  return expectStatus<CreatedCustomer>(
    await api('relationships')
      .post('/v1/customers')
      .set(bearer(provider.token))
      .send({
        companyProfile: { companyName, domainPrefix: uniqueDomainPrefix('listed') },
        address: addressIn('US'),
        admin: { firstName: 'Lee', lastName: 'Listed', email: uniqueEmail('lee', 'listed') },
        ...(indirectResellerId ? { indirectResellerId } : {}),
        subscriptions: [],
      }),
    201,
  );
}

/** Every page of `GET /v1/customers?size=1…`, following `links.next.uri`. */
async function walk(token: string, query = ''): Promise<Collection<Customer>[]> {
  const pages: Collection<Customer>[] = [];
  let next: string | undefined = `/v1/customers?size=1${query}`;
  while (next && pages.length < 20) {
    const page: Collection<Customer> = expectStatus<Collection<Customer>>(
      await api('relationships').get(next).set(bearer(token)),
      200,
    );
    pages.push(page);
    next = page.links.next?.uri;
  }
  return pages;
}

describe('GET /v1/customers: a partner customer list page by page (seed 000)', () => {
  let provider: EnrolledPartner;
  let reseller: EnrolledPartner;
  const suffix = uniqueSuffix();
  let zeta: CreatedCustomer;
  let alpha: CreatedCustomer;
  let mid: CreatedCustomer;

  beforeAll(async () => {
    [provider, reseller] = await Promise.all([
      enrollPartner({ partnerType: 'indirect_provider' }),
      enrollPartner({ partnerType: 'indirect_reseller' }),
    ]);
    await establishPartnership(provider, reseller);
    zeta = await createCustomer(provider, `Zeta Traders ${suffix}`, reseller.tenantId);
    alpha = await createCustomer(provider, `Alpha Works ${suffix}`);
    mid = await createCustomer(provider, `Mid Market ${suffix}`, reseller.tenantId);
  });

  it('walks every customer once, by company name, with its profile and relationship', async () => {
    const pages = await walk(provider.token);

    expect(pages.map((page) => page.items.map((c) => c.companyProfile.companyName))).toEqual([
      [`Alpha Works ${suffix}`],
      [`Mid Market ${suffix}`],
      [`Zeta Traders ${suffix}`],
    ]);
    expect(pages.map((page) => page.totalCount)).toEqual([1, 1, 1]);
    expect(pages[2].links).toEqual({});
    expect(pages[0].links.next?.uri).toMatch(/^\/v1\/customers\?size=1&seek=/);
    expect(pages[1].items[0]).toEqual({
      id: mid.customer.id,
      companyProfile: {
        tenantId: mid.customer.id,
        domain: mid.customer.companyProfile.domain,
        companyName: `Mid Market ${suffix}`,
        country: 'US',
      },
      relationshipToPartner: 'reseller',
      allowDelegatedAccess: true,
      associatedPartnerId: reseller.tenantId,
      attributes: { objectType: 'Customer' },
    });
    expect(pages[0].items[0]).toMatchObject({ id: alpha.customer.id, associatedPartnerId: null });
  });

  it('keeps only the customers associated with one indirect reseller, page by page', async () => {
    const pages = await walk(provider.token, `&indirect_reseller_id=${reseller.tenantId}`);

    expect(pages.map((page) => page.items.map((c) => c.id))).toEqual([
      [mid.customer.id],
      [zeta.customer.id],
    ]);
    expect(pages[0].links.next?.uri).toContain(`indirect_reseller_id=${reseller.tenantId}`);
  });

  it("shows the indirect reseller its own customers, not the provider's other ones", async () => {
    const pages = await walk(reseller.token);

    expect(pages.flatMap((page) => page.items.map((c) => c.id))).toEqual([
      mid.customer.id,
      zeta.customer.id,
    ]);
    expect(pages[0].items[0]).toMatchObject({
      allowDelegatedAccess: true,
      associatedPartnerId: null,
    });
  });
});
