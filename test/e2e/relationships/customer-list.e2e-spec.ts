import {
  api,
  bearer,
  customerFilter,
  enrollPartner,
  establishPartnership,
  expectApiError,
  expectStatus,
  uniqueDomainPrefix,
  uniqueEmail,
  uniqueSuffix,
  type Collection,
  type CreatedCustomer,
  type Customer,
  type EnrolledPartner,
  newCustomerBody,
  linkHeaders,
  type Link,
} from '../support';

/**
 * Seed 000 "Customers" page (DESIGN.md "API conventions": every list paginates by keyset):
 * `GET /v1/customers?size=&seek=&filter=` walks an indirect provider's customers by
 * company name, page by page through `links.next.uri`, each customer once, with its company
 * profile, delegated admin privileges and associated indirect reseller; Partner Center's filters
 * (issue 11) keep those whose company name or domain starts with a text, ignoring case, and those
 * associated with one indirect reseller. Seed 004 "Connect with an indirect provider" step 5 ("View
 * customers"): the `IndirectCloudSolutionProvider` filter shows an indirect reseller the customers it shares with one
 * of its indirect providers, and nothing for a provider whose partnership ended, a stranger's
 * provider or an unknown id.
 */

/** `&filter=` of Partner Center's URL-encoded JSON filter `{ Field, Value, Operator }`. */
function filterQuery(field: string, value: string, operator = 'starts_with'): string {
  return `&${customerFilter(field, value, operator)}`;
}

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
      .send(
        newCustomerBody({
          companyName,
          domainPrefix: uniqueDomainPrefix('listed'),
          email: uniqueEmail('lee', 'listed'),
          indirectResellerId,
          subscriptions: [],
        }),
      ),
    201,
  );
}

/** Every page of `GET /v1/customers?size=1…`, following `links.next.uri`. */
async function walk(token: string, query = ''): Promise<Collection<Customer>[]> {
  const pages: Collection<Customer>[] = [];
  let next: Link | undefined = { uri: `/v1/customers?size=1${query}`, method: 'GET', headers: [] };
  while (next && pages.length < 20) {
    const page: Collection<Customer> = expectStatus<Collection<Customer>>(
      await api('relationships').get(next.uri).set(bearer(token)).set(linkHeaders(next)),
      200,
    );
    pages.push(page);
    next = page.links.next;
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
    expect(pages[2].links.next).toBeUndefined();
    expect(pages[2]).not.toHaveProperty('continuationToken');
    expect(pages[0].links.next?.uri).toMatch(/^\/v1\/customers\?size=1&seekOperation=Next$/);
    expect(pages[1].items[0]).toEqual({
      id: mid.id,
      companyProfile: {
        tenantId: mid.id,
        domain: mid.companyProfile.domain,
        companyName: `Mid Market ${suffix}`,
        country: 'US',
      },
      relationshipToPartner: 'reseller',
      allowDelegatedAccess: true,
      associatedPartnerId: reseller.tenantId,
      attributes: { objectType: 'Customer' },
    });
    expect(pages[0].items[0]).toMatchObject({ id: alpha.id, associatedPartnerId: null });
  });

  it('keeps only the customers associated with one indirect reseller, page by page', async () => {
    const pages = await walk(provider.token, filterQuery('IndirectReseller', reseller.tenantId));

    expect(pages.map((page) => page.items.map((c) => c.id))).toEqual([[mid.id], [zeta.id]]);
    expect(pages[0].links.next?.uri).toContain(filterQuery('IndirectReseller', reseller.tenantId));
  });

  it("shows the indirect reseller its own customers, not the provider's other ones", async () => {
    const pages = await walk(reseller.token);

    expect(pages.flatMap((page) => page.items.map((c) => c.id))).toEqual([mid.id, zeta.id]);
    expect(pages[0].items[0]).toMatchObject({
      allowDelegatedAccess: true,
      associatedPartnerId: null,
    });
  });
});

describe('GET /v1/customers?filter=IndirectCloudSolutionProvider: the customers a reseller shares with one provider (seed 004 "View customers")', () => {
  let provider: EnrolledPartner;
  let coProvider: EnrolledPartner;
  let formerProvider: EnrolledPartner;
  let stranger: EnrolledPartner;
  let reseller: EnrolledPartner;
  let otherReseller: EnrolledPartner;
  const suffix = uniqueSuffix();
  let shared: CreatedCustomer[];
  let viaCoProvider: CreatedCustomer;
  let viaFormer: CreatedCustomer;
  let othersCustomer: CreatedCustomer;
  let providersOwn: CreatedCustomer;

  beforeAll(async () => {
    [provider, coProvider, formerProvider, stranger, reseller, otherReseller] = await Promise.all([
      enrollPartner({ partnerType: 'indirect_provider' }),
      enrollPartner({ partnerType: 'indirect_provider' }),
      enrollPartner({ partnerType: 'indirect_provider' }),
      enrollPartner({ partnerType: 'indirect_provider' }),
      enrollPartner({ partnerType: 'indirect_reseller' }),
      enrollPartner({ partnerType: 'indirect_reseller' }),
    ]);
    await establishPartnership(provider, reseller);
    await establishPartnership(coProvider, reseller);
    await establishPartnership(formerProvider, reseller);
    await establishPartnership(provider, otherReseller);
    shared = [
      await createCustomer(provider, `Beta Shared ${suffix}`, reseller.tenantId),
      await createCustomer(provider, `Alpha Shared ${suffix}`, reseller.tenantId),
    ];
    providersOwn = await createCustomer(provider, `Own ${suffix}`);
    othersCustomer = await createCustomer(provider, `Other ${suffix}`, otherReseller.tenantId);
    viaCoProvider = await createCustomer(coProvider, `Co ${suffix}`, reseller.tenantId);
    viaFormer = await createCustomer(formerProvider, `Former ${suffix}`, reseller.tenantId);
    // The former provider's partnership ends; both relationships with its customer stay.
    expectStatus(
      await api('relationships')
        .delete(`/v1/relationships/${formerProvider.tenantId}`)
        .set(bearer(reseller.token))
        .send({ confirm: true }),
      204,
    );
  });

  const ids = (pages: Collection<Customer>[]) => pages.flatMap((p) => p.items.map((c) => c.id));

  it('lists the customers shared with that provider, by company name, page by page', async () => {
    const pages = await walk(
      reseller.token,
      filterQuery('IndirectCloudSolutionProvider', provider.tenantId),
    );

    expect(pages.map((page) => page.items.map((c) => c.id))).toEqual([
      [shared[1].id],
      [shared[0].id],
    ]);
    expect(pages[0].links.next?.uri).toContain(
      filterQuery('IndirectCloudSolutionProvider', provider.tenantId),
    );
    expect(pages[0].items[0]).toMatchObject({
      relationshipToPartner: 'reseller',
      allowDelegatedAccess: true,
    });
    // All of the reseller's customers, for comparison: the filter really filters.
    expect(new Set(ids(await walk(reseller.token)))).toEqual(
      new Set([...shared.map((c) => c.id), viaCoProvider.id, viaFormer.id]),
    );
    expect(
      ids(
        await walk(
          reseller.token,
          filterQuery('IndirectCloudSolutionProvider', coProvider.tenantId),
        ),
      ),
    ).toEqual([viaCoProvider.id]);
  });

  it("never shows the provider's other customers, nor another reseller's shared ones", async () => {
    const mine = ids(
      await walk(reseller.token, filterQuery('IndirectCloudSolutionProvider', provider.tenantId)),
    );
    expect(mine).not.toContain(providersOwn.id);
    expect(mine).not.toContain(othersCustomer.id);
    // The co-partner reseller of the same provider sees only its own shared customer.
    expect(
      ids(
        await walk(
          otherReseller.token,
          filterQuery('IndirectCloudSolutionProvider', provider.tenantId),
        ),
      ),
    ).toEqual([othersCustomer.id]);
  });

  it('answers an empty list for an ended partnership, a stranger provider and an unknown id alike', async () => {
    for (const providerId of [
      formerProvider.tenantId,
      stranger.tenantId,
      otherReseller.tenantId,
      '00000000-0000-4000-8000-000000000000',
    ]) {
      const page = expectStatus<Collection<Customer>>(
        await api('relationships')
          .get(`/v1/customers?${filterQuery('IndirectCloudSolutionProvider', providerId).slice(1)}`)
          .set(bearer(reseller.token)),
        200,
      );
      expect(page).toEqual({
        totalCount: 0,
        items: [],
        links: {
          self: {
            uri: `/v1/customers?${filterQuery('IndirectCloudSolutionProvider', providerId).slice(1)}`,
            method: 'GET',
            headers: [],
          },
        },
        attributes: { objectType: 'Collection' },
      });
    }
    // The customer of the ended partnership is still the reseller's (seed 002: removal keeps them).
    expect(ids(await walk(reseller.token))).toContain(viaFormer.id);
    // The provider itself filtering by a provider id sees nothing of the reseller's.
    expect(
      ids(
        await walk(
          provider.token,
          filterQuery('IndirectCloudSolutionProvider', coProvider.tenantId),
        ),
      ),
    ).toEqual([]);
  });

  it('refuses the former parameters and an unknown parameter (400 request.invalid)', async () => {
    for (const query of [
      `indirect_provider_id=${provider.tenantId}`,
      `indirect_reseller_id=${reseller.tenantId}`,
      `indirect_provider=${provider.tenantId}`,
    ]) {
      expectApiError(
        await api('relationships').get(`/v1/customers?${query}`).set(bearer(reseller.token)),
        400,
        'request.invalid',
      );
    }
  });
});

describe('GET /v1/customers?filter=: Partner Center filters by company name and domain (issue 11)', () => {
  let provider: EnrolledPartner;
  let coPartner: EnrolledPartner;
  const suffix = uniqueSuffix();
  let alpha: CreatedCustomer;
  let beta: CreatedCustomer;
  let other: CreatedCustomer;

  beforeAll(async () => {
    [provider, coPartner] = await Promise.all([
      enrollPartner({ partnerType: 'indirect_provider' }),
      enrollPartner({ partnerType: 'indirect_provider' }),
    ]);
    alpha = await createCustomer(provider, `Northwind Alpha ${suffix}`);
    beta = await createCustomer(provider, `northwind beta ${suffix}`);
    other = await createCustomer(provider, `Contoso ${suffix}`);
    // A co-partner's customer with the same name: never on the provider's list.
    await createCustomer(coPartner, `Northwind Gamma ${suffix}`);
  });

  it('keeps the company names that start with the value, ignoring case, page by page', async () => {
    const pages = await walk(provider.token, filterQuery('CompanyName', 'NORTHWIND'));
    expect(pages.map((page) => page.items.map((c) => c.id))).toEqual([[alpha.id], [beta.id]]);
    expect(pages[0].links.next?.uri).toContain(filterQuery('CompanyName', 'NORTHWIND'));
    // Field and operator in Partner Center's other spellings; the property names in any case.
    const spelled = encodeURIComponent(
      JSON.stringify({ field: 'companyName', value: 'contoso', operator: 'StartsWith' }),
    );
    expect(
      expectStatus<Collection<Customer>>(
        await api('relationships')
          .get(`/v1/customers?filter=${spelled}`)
          .set(bearer(provider.token)),
        200,
      ).items.map((c) => c.id),
    ).toEqual([other.id]);
    // Not a substring search, and LIKE's wildcards are plain characters.
    expect(
      (await walk(provider.token, filterQuery('CompanyName', 'Alpha'))).flatMap((p) => p.items),
    ).toEqual([]);
    expect(
      (await walk(provider.token, filterQuery('CompanyName', '%'))).flatMap((p) => p.items),
    ).toEqual([]);
    expect(
      (await walk(provider.token, filterQuery('CompanyName', '_orthwind'))).flatMap((p) => p.items),
    ).toEqual([]);
    // The co-partner sees only its own customer of that name.
    expect(
      (await walk(coPartner.token, filterQuery('CompanyName', 'northwind'))).flatMap((p) =>
        p.items.map((c) => c.companyProfile.companyName),
      ),
    ).toEqual([`Northwind Gamma ${suffix}`]);
  });

  it('keeps the default domains that start with the value, ignoring case', async () => {
    const domain = beta.companyProfile.domain;
    const pages = await walk(
      provider.token,
      filterQuery('Domain', domain.slice(0, -3).toUpperCase()),
    );
    expect(pages.flatMap((page) => page.items.map((c) => c.id))).toEqual([beta.id]);
    // Another partner filtering by the same domain learns nothing.
    expect(
      (await walk(coPartner.token, filterQuery('Domain', domain))).flatMap((p) => p.items),
    ).toEqual([]);
  });

  it('answers 400 customer.filter_invalid naming what is wrong, never an unfiltered list', async () => {
    const cases: [string, string][] = [
      ['not json', 'not valid JSON'],
      [JSON.stringify(['CompanyName']), 'JSON object'],
      [JSON.stringify({ Field: 'Name', Value: 'x', Operator: 'starts_with' }), '"Name"'],
      [JSON.stringify({ Field: 'CompanyName', Value: 'x', Operator: 'equals' }), '"equals"'],
      [JSON.stringify({ Field: 'CompanyName', Value: 'x' }), 'operator'],
      [JSON.stringify({ Field: 'CompanyName', Value: '', Operator: 'starts_with' }), 'CompanyName'],
      [JSON.stringify({ Field: 'IndirectReseller', Value: 'x', Operator: 'starts_with' }), 'GUID'],
      [
        JSON.stringify({
          LeftFilter: { Field: 'CompanyName', Value: 'a', Operator: 'starts_with' },
          Operator: 'and',
          RightFilter: { Field: 'Domain', Value: 'a', Operator: 'starts_with' },
        }),
        '"LeftFilter"',
      ],
    ];
    for (const [filter, named] of cases) {
      const res = await api('relationships')
        .get(`/v1/customers?filter=${encodeURIComponent(filter)}`)
        .set(bearer(provider.token));
      expectApiError(res, 400, 'customer.filter_invalid');
      expect((res.body as { description: string }).description).toContain(named);
    }
  });
});
