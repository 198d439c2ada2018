import type { Response } from 'supertest';
import {
  customerFilter,
  activateUser,
  addActiveUser,
  api,
  bearer,
  dbCount,
  dbRows,
  enrollPartner,
  establishPartnership,
  expectApiError,
  expectStatus,
  newCustomerBody,
  OFFER_ID,
  signIn,
  signUpCustomer,
  strongPassword,
  uniqueName,
  type ApiError,
  type Collection,
  type CreatedCustomer,
  type Customer,
  type CustomerPartner,
  type EnrolledPartner,
  linkHeaders,
  type Link,
} from '../support';

/**
 * Seed 002 "Add new customers and associate them with indirect resellers" (DESIGN.md "New
 * customer"): `POST /v1/customers`, with initial subscriptions ordered in the same call. Later
 * orders are in subscriptions.e2e-spec.ts.
 */

const OFFER = OFFER_ID;

type CustomerBody = ReturnType<typeof newCustomerBody>;

function createCustomer(token: string, body: unknown) {
  return api('relationships')
    .post('/v1/customers')
    .set(bearer(token))
    .send(body as object);
}

/** The default domain of a prefix in this deployment (read from a created customer's domain). */
let domainSuffix = '';
function domainOf(prefix: string): string {
  return `${prefix}.${domainSuffix}`;
}

/** Rows anywhere that a refused creation of `body` must not have written. */
async function traceOf(body: CustomerBody) {
  const domain = domainOf(body.companyProfile.domain.trim().toLowerCase());
  return {
    identityTenants: await dbCount('identity', 'tenant', 'domain = $1', [domain]),
    identityUsers: await dbCount('identity', 'user_account', 'email = $1', [
      body.billingProfile.email.toLowerCase(),
    ]),
    customers: await dbCount('relationships', 'customer', 'domain = $1', [domain]),
  };
}

async function expectNothingWritten(body: CustomerBody): Promise<void> {
  expect(await traceOf(body)).toEqual({ identityTenants: 0, identityUsers: 0, customers: 0 });
}

/** Expects an API error of relationships with this status and code, in the error format. */
function expectError(response: Response, status: number, code: string): ApiError {
  return expectApiError(response, status, code, 'relationships');
}

async function listCustomers(token: string, query = ''): Promise<Customer[]> {
  const items: Customer[] = [];
  let next: Link | undefined = {
    uri: `/v1/customers?size=100${query}`,
    method: 'GET',
    headers: [],
  };
  while (next) {
    const page: Collection<Customer> = expectStatus<Collection<Customer>>(
      await api('relationships').get(next.uri).set(bearer(token)).set(linkHeaders(next)),
      200,
    );
    items.push(...page.items);
    next = page.links.next;
  }
  return items;
}

describe('new customers (seed 002)', () => {
  let provider: EnrolledPartner;
  let reseller: EnrolledPartner;
  /** An indirect reseller without a partnership with `provider`. */
  let strayReseller: EnrolledPartner;
  let direct: EnrolledPartner;
  let helpdeskToken: string;
  /** A customer the provider created for `reseller`. */
  let shared: CreatedCustomer;

  beforeAll(async () => {
    [provider, reseller, strayReseller, direct] = await Promise.all([
      enrollPartner({ partnerType: 'indirect_provider', name: uniqueName('Contoso Distribution') }),
      enrollPartner({ partnerType: 'indirect_reseller', name: uniqueName('Fabrikam') }),
      enrollPartner({ partnerType: 'indirect_reseller', name: uniqueName('Litware') }),
      enrollPartner({ partnerType: 'direct', name: uniqueName('Tailspin') }),
    ]);
    await establishPartnership(provider, reseller);
    helpdeskToken = (await addActiveUser(provider.token, ['HelpdeskAgent'])).token;
    shared = expectStatus<CreatedCustomer>(
      await createCustomer(
        provider.token,
        newCustomerBody({ indirectResellerId: reseller.tenantId }),
      ),
      201,
    );
    domainSuffix = shared.companyProfile.domain.split('.').slice(1).join('.');
  });

  describe('POST /v1/customers', () => {
    it('lets an indirect provider create a customer for its reseller with a subscription; the admin must change the temporary password, then sees both partners', async () => {
      const body = newCustomerBody({
        indirectResellerId: reseller.tenantId,
        subscriptions: [
          {
            offerId: OFFER,
            quantity: 25,
            associatedResellerMpnId: reseller.mpnId,
            designatedSupportContactId: reseller.tenantId,
          },
        ],
      });
      const created = expectStatus<CreatedCustomer>(
        await createCustomer(provider.token, body),
        201,
      );
      const domain = `${body.companyProfile.domain}.${domainSuffix}`;
      const { userCredentials, ...customer } = created;
      expect(customer).toEqual({
        id: expect.any(String),
        commerceId: created.id,
        companyProfile: {
          tenantId: created.id,
          domain,
          companyName: body.billingProfile.companyName,
          address: {
            country: 'US',
            city: 'Springfield',
            addressLine1: '1 Main Street',
            postalCode: '12345',
            phoneNumber: '4255550101',
          },
          email: body.billingProfile.email,
          links: {
            self: {
              uri: `/v1/customers/${created.id}/profiles/company`,
              method: 'GET',
              headers: [],
            },
          },
          attributes: { objectType: 'CustomerCompanyProfile' },
        },
        billingProfile: {
          id: expect.any(String),
          firstName: 'Ada',
          lastName: 'Adatum',
          email: body.billingProfile.email,
          culture: 'en-US',
          language: 'en',
          companyName: body.billingProfile.companyName,
          defaultAddress: body.billingProfile.defaultAddress,
          links: {
            self: {
              uri: `/v1/customers/${created.id}/profiles/billing`,
              method: 'GET',
              headers: [],
            },
          },
          attributes: { etag: expect.any(String), objectType: 'CustomerBillingProfile' },
        },
        relationshipToPartner: 'reseller',
        allowDelegatedAccess: true,
        associatedPartnerId: reseller.tenantId,
        links: { self: { uri: `/v1/customers/${created.id}`, method: 'GET', headers: [] } },
        attributes: { objectType: 'Customer' },
        subscriptions: expect.any(Array),
      });
      expect(userCredentials.userName).toBe(body.billingProfile.email.toLowerCase());
      expect(created.userCredentials.password).toEqual(expect.any(String));
      expect(created.userCredentials.password.length).toBeGreaterThanOrEqual(12);
      expect(created.subscriptions).toEqual([
        expect.objectContaining({
          offerId: OFFER,
          quantity: 25,
          status: 'active',
          partnerId: reseller.mpnId,
          associatedResellerMpnId: reseller.mpnId,
          designatedSupportContact: {
            id: reseller.tenantId,
            name: reseller.name,
            mpnId: reseller.mpnId,
          },
          attributes: expect.objectContaining({ objectType: 'Subscription' }) as unknown,
        }),
      ]);

      // Exactly one tenant and one admin in identity, one customer row in relationships.
      expect(
        await dbRows('identity', 'select kind, country, name from tenant where domain = $1', [
          domain,
        ]),
      ).toEqual([{ kind: 'customer', country: 'US', name: body.billingProfile.companyName }]);
      expect(await dbCount('relationships', 'customer', 'domain = $1', [domain])).toBe(1);

      // On the provider's list, associated with the reseller (also through the reseller filter).
      const providerView = (await listCustomers(provider.token)).find((c) => c.id === created.id);
      expect(providerView).toMatchObject({
        associatedPartnerId: reseller.tenantId,
        relationshipToPartner: 'reseller',
      });
      expect(
        (
          await listCustomers(
            provider.token,
            `&${customerFilter('IndirectReseller', reseller.tenantId)}`,
          )
        ).map((c) => c.id),
      ).toContain(created.id);
      // On the reseller's list with delegated admin privileges.
      const resellerView = (await listCustomers(reseller.token)).find((c) => c.id === created.id);
      expect(resellerView).toMatchObject({
        relationshipToPartner: 'reseller',
        allowDelegatedAccess: true,
        associatedPartnerId: null,
      });

      // The temporary password is shown once: no read shows it again.
      const reads = [
        await api('relationships').get(`/v1/customers/${created.id}`).set(bearer(provider.token)),
        await api('relationships').get('/v1/customers?size=100').set(bearer(provider.token)),
        await api('relationships').get('/v1/customers?size=100').set(bearer(reseller.token)),
        await api('relationships')
          .get(`/v1/customers/${created.id}/subscriptions`)
          .set(bearer(provider.token)),
        await api('relationships').get('/v1/activity-logs?size=100').set(bearer(provider.token)),
      ];
      for (const read of reads) {
        expect(read.status).toBe(200);
        expect(read.text).not.toContain(created.userCredentials.password);
      }

      // The admin signs in with the temporary password and must change it first.
      const first = await signIn(
        created.userCredentials.userName,
        created.userCredentials.password,
      );
      expect(first.passwordChangeRequired).toBe(true);
      expectError(
        await api('relationships').get('/v1/partners').set(bearer(first.accessToken)),
        403,
        'auth.password_change_required',
      );
      const changed = expectStatus<{ accessToken: string; passwordChangeRequired: boolean }>(
        await api('identity').post('/v1/auth/password').set(bearer(first.accessToken)).send({
          currentPassword: created.userCredentials.password,
          newPassword: strongPassword(),
        }),
        200,
      );
      expect(changed.passwordChangeRequired).toBe(false);
      const partners = expectStatus<Collection<CustomerPartner>>(
        await api('relationships').get('/v1/partners').set(bearer(changed.accessToken)),
        200,
      );
      const byId = new Map(partners.items.map((p) => [p.id, p]));
      expect([...byId.keys()].sort()).toEqual([provider.tenantId, reseller.tenantId].sort());
      for (const p of [provider, reseller]) {
        expect(byId.get(p.tenantId)).toMatchObject({
          name: p.name,
          mpnId: p.mpnId,
          relationshipActive: true,
          delegatedAdminPrivileges: { active: true },
        });
      }
      // The temporary password no longer signs in.
      const stale = await api('identity').post('/v1/auth/token').send({
        email: created.userCredentials.userName,
        password: created.userCredentials.password,
      });
      expect(stale.status).toBe(401);
    });

    it.each<['direct' | 'reseller']>([['direct'], ['reseller']])(
      'lets a %s partner create a customer for itself (no indirect reseller)',
      async (who) => {
        const creator = who === 'direct' ? direct : reseller;
        const body = newCustomerBody();
        const created = expectStatus<CreatedCustomer>(
          await createCustomer(creator.token, body),
          201,
        );
        expect(created).toMatchObject({
          relationshipToPartner: 'reseller',
          allowDelegatedAccess: true,
        });
        expect(created).not.toHaveProperty('associatedPartnerId');
        expect(created.subscriptions).toEqual([
          expect.objectContaining({ offerId: OFFER, quantity: 10, partnerId: creator.mpnId }),
        ]);
        expect((await listCustomers(creator.token)).map((c) => c.id)).toContain(created.id);
        expect((await listCustomers(provider.token)).map((c) => c.id)).not.toContain(created.id);
        const admin = await activateUser(
          created.userCredentials.userName,
          created.userCredentials.password,
        );
        const partners = expectStatus<Collection<CustomerPartner>>(
          await api('relationships').get('/v1/partners').set(bearer(admin.token)),
          200,
        );
        expect(partners.items.map((p) => p.id)).toEqual([creator.tenantId]);
      },
    );

    it('refuses an indirect reseller without an active partnership with 422 and writes nothing', async () => {
      const body = newCustomerBody({ indirectResellerId: strayReseller.tenantId });
      expectError(await createCustomer(provider.token, body), 422, 'partnership.required');
      await expectNothingWritten(body);
    });

    it('refuses a reseller naming an indirect reseller with 422 and writes nothing', async () => {
      const body = newCustomerBody({ indirectResellerId: strayReseller.tenantId });
      expectError(
        await createCustomer(reseller.token, body),
        422,
        'customer.indirect_reseller_not_allowed',
      );
      await expectNothingWritten(body);
    });

    it('refuses a taken default domain with 409 customer.domain_taken and writes nothing anywhere', async () => {
      const existing = await signUpCustomer();
      const prefix = existing.domain.split('.')[0];
      // Upper case and spaces are normalized: the same prefix.
      const body = newCustomerBody({
        indirectResellerId: reseller.tenantId,
        domainPrefix: ` ${prefix.toUpperCase()} `,
      });
      /** What the creation may have written, anywhere. */
      const trace = async () => ({
        tenants: await dbCount('identity', 'tenant', 'domain = $1', [existing.domain]),
        users: await dbCount('identity', 'user_account', 'email = $1', [body.billingProfile.email]),
        customers: await dbCount('relationships', 'customer', 'domain = $1', [existing.domain]),
        relationships: await dbCount(
          'relationships',
          'reseller_relationship',
          'partner_tenant_id = any($1::uuid[])',
          [[provider.tenantId, reseller.tenantId]],
        ),
        subscriptions: await dbCount('relationships', 'subscription', 'partner_tenant_id = $1', [
          provider.tenantId,
        ]),
        activity: await dbCount('relationships', 'activity_log_entry', 'actor_tenant_id = $1', [
          provider.tenantId,
        ]),
      });
      const before = await trace();
      expect(before).toMatchObject({ tenants: 1, users: 0, customers: 0 });
      const error = expectError(
        await createCustomer(provider.token, body),
        409,
        'customer.domain_taken',
      );
      expect(error.description).toContain(existing.domain);
      expect(await trace()).toEqual(before);
    });

    it('refuses a customer outside the partner’s market with 403 and writes nothing', async () => {
      const body = newCustomerBody({ country: 'DE', indirectResellerId: reseller.tenantId });
      expectError(
        await createCustomer(provider.token, body),
        403,
        'relationship_request.region_mismatch',
      );
      await expectNothingWritten(body);
    });

    it('refuses a Helpdesk agent with 403 and writes nothing', async () => {
      const body = newCustomerBody({ indirectResellerId: reseller.tenantId });
      expectError(await createCustomer(helpdeskToken, body), 403, 'auth.forbidden');
      await expectNothingWritten(body);
      // The Helpdesk agent still reads the customers (the permission is only to create).
      expect((await listCustomers(helpdeskToken)).map((c) => c.id)).toContain(shared.id);
    });

    it.each<[string, (body: CustomerBody) => Record<string, unknown>, string]>([
      ['a missing billing profile', ({ billingProfile: _b, ...rest }) => rest, 'request.invalid'],
      [
        'a bad default domain prefix',
        (body) => ({
          ...body,
          companyProfile: { domain: 'bad_prefix!' },
        }),
        'request.invalid',
      ],
      [
        'a quantity of 0',
        (body) => ({ ...body, subscriptions: [{ offerId: OFFER, quantity: 0 }] }),
        'subscription.invalid_quantity',
      ],
      [
        'an unknown offer',
        (body) => ({ ...body, subscriptions: [{ offerId: 'no-such-offer', quantity: 1 }] }),
        'subscription.unknown_offer',
      ],
      [
        'an unknown field',
        (body) => ({ ...body, password: 'Chosen-by-partner-1' }),
        'request.invalid',
      ],
    ])('refuses %s with 400 and writes nothing', async (_what, change, code) => {
      const body = newCustomerBody({ indirectResellerId: reseller.tenantId });
      expectError(await createCustomer(provider.token, change(body)), 400, code);
      await expectNothingWritten(body);
    });
  });
});
