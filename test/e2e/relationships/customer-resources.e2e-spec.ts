import type { Response } from 'supertest';
import {
  acceptRelationship,
  activateUser,
  addActiveUser,
  addCustomerUser,
  api,
  bearer,
  billingProfileOf,
  createCustomer,
  dbCount,
  dbRows,
  draftRelationshipRequest,
  enrollPartner,
  establishPartnership,
  eventually,
  expectApiError,
  expectStatus,
  newCustomerBody,
  signUpCustomer,
  tokenOfLink,
  uniqueDomainPrefix,
  uniqueName,
  type BillingProfile,
  type CompanyProfile,
  type CreatedCustomer,
  type EnrolledPartner,
  type FullCustomer,
} from '../support';

/**
 * Partner Center's Customer resources (issue 11 "Resources to complete: Customers";
 * ../shared/reference/partner-center-api.md §5, §6): the create body's domain forms, `HEAD
 * /v1/domains/{domain}`, `GET /v1/customers/{id}` in full, `/profiles/company`,
 * `/profiles/billing` (GET, PUT with If-Match), and `PATCH` removing the relationship or only the
 * partner's own delegated admin privileges. Each read is refused to a stranger, to a partner
 * whose relationship ended and to an unknown id with the very same answer; a co-partner of the
 * same customer reads and updates what its own relationship allows.
 */

function expectError(response: Response, status: number, code: string) {
  return expectApiError(response, status, code, 'relationships');
}

const NO_SUCH_CUSTOMER = '00000000-0000-4000-8000-000000000000';

function get(path: string, token: string) {
  return api('relationships').get(path).set(bearer(token));
}

function putBilling(customerId: string, token: string, body: unknown, ifMatch?: string) {
  const request = api('relationships')
    .put(`/v1/customers/${customerId}/profiles/billing`)
    .set(bearer(token));
  return (ifMatch === undefined ? request : request.set('If-Match', ifMatch)).send(body as object);
}

function patchCustomer(customerId: string, token: string, body: unknown) {
  return api('relationships')
    .patch(`/v1/customers/${customerId}`)
    .set(bearer(token))
    .send(body as object);
}

/** The answer for a customer the caller may not see: the same as for an id that exists nowhere. */
async function expectHidden(path: (id: string) => string, token: string, customerId: string) {
  const hidden = await get(path(customerId), token);
  const unknown = await get(path(NO_SUCH_CUSTOMER), token);
  expectError(hidden, 404, 'customer.not_found');
  expect(hidden.status).toBe(unknown.status);
  expect(hidden.text.split(customerId).join('<id>')).toBe(
    unknown.text.split(NO_SUCH_CUSTOMER).join('<id>'),
  );
  expect(hidden.text).not.toContain(customerId);
}

const READS: [string, (id: string) => string][] = [
  ['the customer', (id) => `/v1/customers/${id}`],
  ['its company profile', (id) => `/v1/customers/${id}/profiles/company`],
  ['its billing profile', (id) => `/v1/customers/${id}/profiles/billing`],
];

describe('Partner Center customer resources (issue 11)', () => {
  let provider: EnrolledPartner;
  let reseller: EnrolledPartner;
  let stranger: EnrolledPartner;
  /** A direct partner that joins the customer later through a relationship request, without DAP. */
  let coPartner: EnrolledPartner;
  let customer: CreatedCustomer;
  let body: ReturnType<typeof newCustomerBody>;
  let customerAdmin: { token: string };
  let domainSuffix: string;

  beforeAll(async () => {
    [provider, reseller, stranger, coPartner] = await Promise.all([
      enrollPartner({ partnerType: 'indirect_provider', name: uniqueName('Contoso Distribution') }),
      enrollPartner({ partnerType: 'indirect_reseller', name: uniqueName('Fabrikam') }),
      enrollPartner({ partnerType: 'direct', name: uniqueName('Stranger') }),
      enrollPartner({ partnerType: 'direct', name: uniqueName('Tailspin') }),
    ]);
    await establishPartnership(provider, reseller);
    body = newCustomerBody({ indirectResellerId: reseller.tenantId });
    // Partner Center's body alone: no initial orders (our extension).
    delete (body as Partial<typeof body>).subscriptions;
    customer = await createCustomer(provider, body);
    domainSuffix = customer.companyProfile.domain.split('.').slice(1).join('.');
    customerAdmin = await activateUser(
      customer.userCredentials.userName,
      customer.userCredentials.password,
    );
    const sent = await draftRelationshipRequest(coPartner, {
      email: customer.userCredentials.userName,
      delegatedAdmin: false,
    });
    await acceptRelationship(customerAdmin, tokenOfLink(sent.draft.link));
  });

  describe('POST /v1/customers with Partner Center’s body', () => {
    it('answers 201 with the customer, its profiles and the admin credentials, and no subscriptions without an order', () => {
      expect(customer).toMatchObject({
        commerceId: customer.id,
        relationshipToPartner: 'reseller',
        allowDelegatedAccess: true,
        associatedPartnerId: reseller.tenantId,
        attributes: { objectType: 'Customer' },
        billingProfile: {
          email: body.billingProfile.email,
          culture: 'en-US',
          language: 'en',
          companyName: body.billingProfile.companyName,
          defaultAddress: body.billingProfile.defaultAddress,
        },
      });
      expect(customer.userCredentials).toEqual({
        userName: body.billingProfile.email,
        password: expect.any(String),
      });
      expect(customer).not.toHaveProperty('subscriptions');
    });

    it('accepts the whole default domain and what the SDK sends empty, in any case', async () => {
      const prefix = uniqueDomainPrefix('whole');
      const created = await createCustomer(provider, {
        ...newCustomerBody({ subscriptions: [] }),
        companyProfile: { domain: `${prefix.toUpperCase()}.${domainSuffix}` },
        ...{
          id: null,
          commerceId: null,
          relationshipToPartner: 'none',
          allowDelegatedAccess: null,
          userCredentials: null,
          customDomains: null,
          enableGDAPByDefault: false,
          attributes: { objectType: 'Customer' },
        },
      });
      expect(created.companyProfile.domain).toBe(`${prefix}.${domainSuffix}`);
      expect(created.relationshipToPartner).toBe('reseller');
    });

    it.each<[string, Record<string, unknown>, number, string, 'relationships' | 'identity']>([
      [
        'a domain under another suffix',
        { companyProfile: { domain: 'adatum.onmicrosoft.com' } },
        400,
        'customer.domain_invalid',
        'relationships',
      ],
      [
        'a password chosen by the partner',
        { userCredentials: { userName: 'admin', password: 'Chosen-by-partner-1' } },
        400,
        'request.invalid',
        'relationships',
      ],
      [
        'an address without the contact’s name',
        {
          billingProfile: {
            ...newCustomerBody().billingProfile,
            defaultAddress: {
              country: 'US',
              city: 'Redmond',
              addressLine1: '1 Main',
              postalCode: '98052',
            },
          },
        },
        400,
        'request.invalid',
        'relationships',
      ],
    ])('refuses %s and writes nothing', async (_what, change, status, code, service) => {
      const refused = { ...newCustomerBody({ subscriptions: [] }), ...change };
      const tenantsBefore = await dbCount('identity', 'tenant', "kind = 'customer'");
      const response = await api('relationships')
        .post('/v1/customers')
        .set(bearer(provider.token))
        .send(refused);
      expectApiError(response, status, code, service);
      expect(await dbCount('identity', 'tenant', "kind = 'customer'")).toBe(tenantsBefore);
    });
  });

  describe('HEAD /v1/domains/{domain}', () => {
    function head(domain: string, token?: string) {
      const request = api('identity').head(`/v1/domains/${encodeURIComponent(domain)}`);
      return token ? request.set(bearer(token)) : request;
    }

    it('answers 200 with no body for a taken domain, whole or by prefix, whoever asks', async () => {
      const domain = customer.companyProfile.domain;
      const signedUp = await signUpCustomer();
      for (const [name, token] of [
        ['its partner', provider.token],
        ['a stranger', stranger.token],
      ] as const) {
        for (const asked of [domain, domain.split('.')[0].toUpperCase(), signedUp.domain]) {
          const response = await head(asked, token);
          expect({ name, asked, status: response.status, text: response.text ?? '' }).toEqual({
            name,
            asked,
            status: 200,
            text: '',
          });
        }
      }
    });

    it('answers 404 for a free domain and for one under another suffix', async () => {
      expect(
        (await head(`${uniqueDomainPrefix('free')}.${domainSuffix}`, provider.token)).status,
      ).toBe(404);
      expect((await head(uniqueDomainPrefix('free'), stranger.token)).status).toBe(404);
      expect((await head('contoso.onmicrosoft.com', provider.token)).status).toBe(404);
    });

    it('refuses an anonymous caller (401) and a customer (403)', async () => {
      expect((await head(customer.companyProfile.domain)).status).toBe(401);
      expect((await head(customer.companyProfile.domain, customerAdmin.token)).status).toBe(403);
    });
  });

  describe('GET /v1/customers/{id} and its profiles', () => {
    it('shows the indirect provider the customer in full, with the company’s address and email (delegated admin privileges)', async () => {
      const full = expectStatus<FullCustomer>(
        await get(`/v1/customers/${customer.id}`, provider.token),
        200,
      );
      const created: Partial<CreatedCustomer> = { ...customer };
      delete created.userCredentials;
      expect(full).toEqual(created);
      expect(full.companyProfile).toMatchObject({
        email: body.billingProfile.email,
        address: { country: 'US', city: 'Springfield', postalCode: '12345' },
      });
      const company = expectStatus<CompanyProfile>(
        await get(`/v1/customers/${customer.id}/profiles/company`, provider.token),
        200,
      );
      expect(company).toEqual(full.companyProfile);
      const billing = expectStatus<BillingProfile>(
        await get(`/v1/customers/${customer.id}/profiles/billing`, provider.token),
        200,
      );
      expect(billing).toEqual(full.billingProfile);
    });

    it('shows the indirect reseller its own view (no associated partner)', async () => {
      const full = expectStatus<FullCustomer>(
        await get(`/v1/customers/${customer.id}`, reseller.token),
        200,
      );
      expect(full).toMatchObject({ relationshipToPartner: 'reseller', allowDelegatedAccess: true });
      expect(full).not.toHaveProperty('associatedPartnerId');
    });

    it('shows a co-partner without delegated admin privileges no company address or email', async () => {
      const full = expectStatus<FullCustomer>(
        await get(`/v1/customers/${customer.id}`, coPartner.token),
        200,
      );
      expect(full).toMatchObject({
        id: customer.id,
        relationshipToPartner: 'reseller',
        allowDelegatedAccess: false,
        billingProfile: { email: body.billingProfile.email },
      });
      expect(full.companyProfile).not.toHaveProperty('address');
      expect(full.companyProfile).not.toHaveProperty('email');
      expect(full).not.toHaveProperty('associatedPartnerId');
    });

    it.each(READS)(
      'answers a stranger for %s exactly as for an unknown id',
      async (_what, path) => {
        await expectHidden(path, stranger.token, customer.id);
      },
    );

    it('shows a customer that joined through a relationship request its company name and country until a billing profile is set', async () => {
      const joined = await signUpCustomer({ country: 'US' });
      const sent = await draftRelationshipRequest(coPartner, {
        email: joined.email,
        delegatedAdmin: true,
      });
      await acceptRelationship(joined, tokenOfLink(sent.draft.link));
      const billing = expectStatus<BillingProfile>(
        await get(`/v1/customers/${joined.tenantId}/profiles/billing`, coPartner.token),
        200,
      );
      expect(billing).toEqual({
        id: expect.any(String),
        companyName: joined.companyName,
        defaultAddress: { country: 'US' },
        links: {
          self: {
            uri: `/v1/customers/${joined.tenantId}/profiles/billing`,
            method: 'GET',
            headers: [],
          },
        },
        attributes: { etag: expect.any(String), objectType: 'CustomerBillingProfile' },
      });
      const company = expectStatus<CompanyProfile>(
        await get(`/v1/customers/${joined.tenantId}/profiles/company`, coPartner.token),
        200,
      );
      expect(company).toMatchObject({ tenantId: joined.tenantId, domain: joined.domain });
      expect(company).not.toHaveProperty('address');
    });
  });

  describe('PUT /v1/customers/{id}/profiles/billing', () => {
    function newProfile(city: string) {
      const profile = newCustomerBody().billingProfile;
      return { ...profile, defaultAddress: { ...profile.defaultAddress, city } };
    }

    it('needs If-Match (428), refuses a stale etag (412), and replaces the profile with a new etag', async () => {
      const before = await billingProfileOf(provider, customer.id);
      const eventsBefore = await dbCount(
        'relationships',
        'activity_log_entry',
        "type = 'customer.billing_profile_updated' and customer_id = $1",
        [customer.id],
      );
      expectError(
        await putBilling(customer.id, provider.token, newProfile('Nowhere')),
        428,
        'request.precondition_required',
      );
      expectError(
        await putBilling(customer.id, provider.token, newProfile('Nowhere'), '"stale"'),
        412,
        'request.etag_mismatch',
      );
      expect(await billingProfileOf(provider, customer.id)).toEqual(before);

      const profile = newProfile('Redmond');
      const updated = expectStatus<BillingProfile>(
        await putBilling(customer.id, provider.token, profile, `"${before.attributes.etag}"`),
        200,
      );
      expect(updated).toMatchObject({
        id: before.id,
        email: profile.email,
        companyName: profile.companyName,
        defaultAddress: { city: 'Redmond' },
      });
      expect(updated.attributes.etag).not.toBe(before.attributes.etag);
      expect(await billingProfileOf(reseller, customer.id)).toEqual(updated);
      // The old etag no longer matches.
      expectError(
        await putBilling(
          customer.id,
          provider.token,
          newProfile('X'),
          `"${before.attributes.etag}"`,
        ),
        412,
        'request.etag_mismatch',
      );
      expect(
        await dbCount(
          'relationships',
          'activity_log_entry',
          "type = 'customer.billing_profile_updated' and customer_id = $1",
          [customer.id],
        ),
      ).toBe(eventsBefore + 1);
    });

    it('lets a co-partner with its own relationship update the shared profile with the current etag', async () => {
      const current = await billingProfileOf(coPartner, customer.id);
      const updated = expectStatus<BillingProfile>(
        await putBilling(
          customer.id,
          coPartner.token,
          newProfile('Kirkland'),
          current.attributes.etag,
        ),
        200,
      );
      expect(updated.defaultAddress.city).toBe('Kirkland');
    });

    it('answers a stranger 404 as for an unknown id, and changes nothing', async () => {
      const before = await billingProfileOf(provider, customer.id);
      const hidden = await putBilling(
        customer.id,
        stranger.token,
        newProfile('Evil'),
        before.attributes.etag,
      );
      const unknown = await putBilling(
        NO_SUCH_CUSTOMER,
        stranger.token,
        newProfile('Evil'),
        before.attributes.etag,
      );
      expectError(hidden, 404, 'customer.not_found');
      expect(hidden.text.split(customer.id).join('<id>')).toBe(
        unknown.text.split(NO_SUCH_CUSTOMER).join('<id>'),
      );
      expect(await billingProfileOf(provider, customer.id)).toEqual(before);
    });

    it.each<[string, number]>([
      ['AdminAgent', 200],
      ['SalesAgent', 403],
      ['HelpdeskAgent', 403],
    ])('answers a %s %i', async (role, status) => {
      const user = await addActiveUser(provider.token, [role]);
      const current = await billingProfileOf(provider, customer.id);
      const response = await putBilling(
        customer.id,
        user.token,
        newProfile(`City ${role}`),
        current.attributes.etag,
      );
      if (status === 403) expectError(response, 403, 'auth.forbidden');
      else expect(response.status).toBe(status);
      // Every role reads the profile.
      expect((await get(`/v1/customers/${customer.id}/profiles/billing`, user.token)).status).toBe(
        200,
      );
    });
  });

  describe('PATCH /v1/customers/{id}', () => {
    it('with allowDelegatedAccess false removes only the caller’s delegated admin privileges and disables the users it created there', async () => {
      const own = await createCustomer(provider, newCustomerBody({ subscriptions: [] }));
      const minted = await addCustomerUser(provider, own.id);
      const answer = expectStatus<FullCustomer>(
        await patchCustomer(own.id, provider.token, {
          allowDelegatedAccess: false,
          attributes: { objectType: 'Customer' },
        }),
        200,
      );
      expect(answer).toMatchObject({
        id: own.id,
        relationshipToPartner: 'reseller',
        allowDelegatedAccess: false,
      });
      expect(answer.companyProfile).not.toHaveProperty('address');
      expect(
        await dbRows(
          'relationships',
          'select status, delegated_admin_status from reseller_relationship where partner_tenant_id = $1 and customer_id = $2',
          [provider.tenantId, own.id],
        ),
      ).toEqual([{ status: 'active', delegated_admin_status: 'revoked' }]);
      expect(
        await dbRows(
          'relationships',
          "select type from activity_log_entry where customer_id = $1 and type like 'delegated_admin.%'",
          [own.id],
        ),
      ).toEqual([{ type: 'delegated_admin.removed' }]);
      // The customer stays readable; the user the provider created under the grant is disabled.
      expect((await get(`/v1/customers/${own.id}`, provider.token)).status).toBe(200);
      await eventually('the minted user disabled', async () => {
        const [row] = await dbRows<{ disabled: boolean }>(
          'identity',
          'select disabled from user_account where id = $1',
          [minted.user.id],
        );
        return row?.disabled ? row : undefined;
      });
      // Giving up what it no longer holds changes nothing more.
      expect(
        (await patchCustomer(own.id, provider.token, { allowDelegatedAccess: false })).status,
      ).toBe(200);
      expect(
        await dbCount(
          'relationships',
          'activity_log_entry',
          "customer_id = $1 and type = 'delegated_admin.removed'",
          [own.id],
        ),
      ).toBe(1);
    });

    it('with relationshipToPartner none ends the relationship: every read answers 404 as for an unknown id', async () => {
      const leaving = await createCustomer(provider, newCustomerBody({ subscriptions: [] }));
      const answer = expectStatus<FullCustomer>(
        await patchCustomer(leaving.id, provider.token, { relationshipToPartner: 'none' }),
        200,
      );
      expect(answer).toMatchObject({ relationshipToPartner: 'none', allowDelegatedAccess: false });
      for (const [, path] of READS) await expectHidden(path, provider.token, leaving.id);
      const etag = leaving.billingProfile.attributes.etag;
      expectError(
        await putBilling(leaving.id, provider.token, newCustomerBody().billingProfile, etag),
        404,
        'customer.not_found',
      );
      expectError(
        await patchCustomer(leaving.id, provider.token, { allowDelegatedAccess: false }),
        404,
        'customer.not_found',
      );
    });

    it.each<[string, Record<string, unknown>]>([
      ['neither change', {}],
      ['both changes', { relationshipToPartner: 'none', allowDelegatedAccess: false }],
      ['allowDelegatedAccess true', { allowDelegatedAccess: true }],
    ])('refuses %s with 400 and changes nothing', async (_what, patch) => {
      expectError(await patchCustomer(customer.id, provider.token, patch), 400, 'request.invalid');
      expect(
        await dbRows(
          'relationships',
          'select status, delegated_admin_status from reseller_relationship where partner_tenant_id = $1 and customer_id = $2',
          [provider.tenantId, customer.id],
        ),
      ).toEqual([{ status: 'active', delegated_admin_status: 'active' }]);
    });

    it('answers a stranger 404 and a Sales agent 403', async () => {
      expectError(
        await patchCustomer(customer.id, stranger.token, { allowDelegatedAccess: false }),
        404,
        'customer.not_found',
      );
      const sales = await addActiveUser(provider.token, ['SalesAgent']);
      expectError(
        await patchCustomer(customer.id, sales.token, { allowDelegatedAccess: false }),
        403,
        'auth.forbidden',
      );
    });
  });
});
