import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import {
  api,
  bearer,
  customerAgreementOf,
  dbRows,
  draftPartnershipRequest,
  draftRelationshipRequest,
  enrollPartner,
  expectApiError,
  expectStatus,
  newCustomerBody,
  postInvitationForm,
  signUpCustomer,
  tokenOfLink,
  uniqueName,
  type EnrolledPartner,
  type PartnerRelationship,
  type SignedUpCustomer,
} from '../support';

/**
 * Region and cloud rules at every door (issue "Trust between partners who share a customer", point
 * 5; seed 001: a partner works with customers of its own country or CSP market region, a customer
 * accepts only partners of its own cloud, partners in us-gov and germany must request delegated
 * admin privileges). One set of rule functions (`relationship-rules.ts`, `market-regions.ts`) at
 * each door, proven here with a Japanese indirect reseller and a US-government-cloud indirect
 * reseller against a US public-cloud customer:
 * - partnership acceptance (provider ↔ reseller: same region, same cloud), through the API and
 *   the page;
 * - a customer an indirect provider creates on a reseller's behalf (the provider's and the
 *   reseller's market and cloud);
 * - a reseller relationship request's acceptance, through the API and the page;
 * - a joint request's acceptance (both partners against the customer), and the delegated admin
 *   rule for the joint provider.
 * The reseller cannot partner with the provider any more; a partnership made before the rule
 * (written straight into the database) stands in for one.
 */

function acceptPartnership(token: string, requestToken: string): Promise<Response> {
  return api('relationships')
    .post('/v1/partnership-requests/accept')
    .set(bearer(token))
    .send({ token: requestToken, authorize: true });
}

function acceptRelationship(token: string, requestToken: string): Promise<Response> {
  return api('relationships')
    .post('/v1/customers/relationship-requests/accept')
    .set(bearer(token))
    .send({ token: requestToken, acceptCustomerAgreement: true });
}

async function invitationStatus(id: string): Promise<string | undefined> {
  const rows = await dbRows<{ status: string }>(
    'relationships',
    'select status from invitation where id = $1',
    [id],
  );
  return rows[0]?.status;
}

async function partnershipRows(providerId: string, resellerId: string): Promise<unknown[]> {
  return dbRows(
    'relationships',
    'select status from partnership where provider_tenant_id = $1 and reseller_tenant_id = $2',
    [providerId, resellerId],
  );
}

async function relationshipRows(customerId: string): Promise<unknown[]> {
  return dbRows(
    'relationships',
    'select partner_tenant_id from reseller_relationship where customer_id = $1',
    [customerId],
  );
}

/**
 * A partnership made before the region and cloud rule (an active row as an acceptance wrote it),
 * for the doors that read partnerships.
 */
async function legacyPartnership(
  provider: EnrolledPartner,
  reseller: EnrolledPartner,
): Promise<void> {
  await dbRows(
    'relationships',
    `insert into partnership (id, provider_tenant_id, reseller_tenant_id, provider_name, provider_mpn_id,
       provider_country, reseller_name, reseller_mpn_id, reseller_country, status, established_at,
       authorized_by_user_id)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'active', now(), $10)`,
    [
      randomUUID(),
      provider.tenantId,
      reseller.tenantId,
      provider.name,
      provider.mpnId,
      provider.country,
      reseller.name,
      reseller.mpnId,
      reseller.country,
      randomUUID(),
    ],
  );
}

describe('region and cloud rules at every door', () => {
  let provider: EnrolledPartner;
  let japanReseller: EnrolledPartner;
  let govReseller: EnrolledPartner;
  let usReseller: EnrolledPartner;
  let japanProvider: EnrolledPartner;

  beforeAll(async () => {
    [provider, japanReseller, govReseller, usReseller, japanProvider] = await Promise.all([
      enrollPartner({ partnerType: 'indirect_provider', name: uniqueName('Contoso Distribution') }),
      enrollPartner({
        partnerType: 'indirect_reseller',
        name: uniqueName('Sakura Resellers'),
        country: 'JP',
      }),
      enrollPartner({
        partnerType: 'indirect_reseller',
        name: uniqueName('Federal Resellers'),
        country: 'US',
        cloud: 'us-gov',
      }),
      enrollPartner({ partnerType: 'indirect_reseller', name: uniqueName('Fabrikam') }),
      enrollPartner({
        partnerType: 'indirect_provider',
        name: uniqueName('Fuji Distribution'),
        country: 'JP',
      }),
    ]);
  });

  describe('partnership acceptance', () => {
    it.each([
      ['a Japanese reseller', () => japanReseller, 'partnership.region_mismatch'],
      ['a US-government-cloud reseller', () => govReseller, 'partnership.cloud_mismatch'],
    ])(
      'refuses %s a US public-cloud provider, through the API and the page, leaving the request pending',
      async (_label, resellerOf, code) => {
        const reseller = resellerOf();
        const sent = await draftPartnershipRequest(provider, reseller.email);
        const token = tokenOfLink(sent.draft.link);
        expectApiError(await acceptPartnership(reseller.token, token), 403, code, 'relationships');
        const page = await postInvitationForm('partnership', {
          token,
          email: reseller.email,
          password: reseller.password,
          authorize: 'true',
        });
        expect(page.status).toBe(403);
        expect(page.html).toContain(
          code === 'partnership.region_mismatch' ? 'market region' : 'cloud',
        );
        expect(await invitationStatus(sent.id)).toBe('pending');
        expect(await partnershipRows(provider.tenantId, reseller.tenantId)).toEqual([]);
      },
    );

    it('lets a reseller of the same cloud and market region partner', async () => {
      const canadian = await enrollPartner({
        partnerType: 'indirect_reseller',
        name: uniqueName('Maple Resellers'),
        country: 'CA',
      });
      const sent = await draftPartnershipRequest(provider, canadian.email);
      expect(
        expectStatus<PartnerRelationship>(
          await acceptPartnership(canadian.token, tokenOfLink(sent.draft.link)),
          200,
        ).id,
      ).toBe(provider.tenantId);
    });
  });

  describe('a new customer created on a reseller’s behalf', () => {
    beforeAll(async () => {
      await legacyPartnership(provider, japanReseller);
      await legacyPartnership(provider, govReseller);
    });

    it.each([
      ['a Japanese reseller', () => japanReseller, 'relationship_request.region_mismatch'],
      ['a US-government-cloud reseller', () => govReseller, 'relationship_request.cloud_mismatch'],
    ])(
      'refuses a US public-cloud customer for %s before anything is written anywhere',
      async (_label, resellerOf, code) => {
        const body = newCustomerBody({ indirectResellerId: resellerOf().tenantId, country: 'US' });
        expectApiError(
          await api('relationships').post('/v1/customers').set(bearer(provider.token)).send(body),
          403,
          code,
          'relationships',
        );
        const name = body.billingProfile.companyName;
        expect(await dbRows('identity', 'select id from tenant where name = $1', [name])).toEqual(
          [],
        );
        expect(
          await dbRows('relationships', 'select id from customer where company_name = $1', [name]),
        ).toEqual([]);
      },
    );

    it("refuses a customer outside the provider's own market", async () => {
      const body = newCustomerBody({ country: 'JP' });
      expectApiError(
        await api('relationships').post('/v1/customers').set(bearer(provider.token)).send(body),
        403,
        'relationship_request.region_mismatch',
      );
    });
  });

  describe('reseller relationship request acceptance', () => {
    it.each([
      ['a Japanese reseller', () => japanReseller, 'relationship_request.region_mismatch'],
      ['a US-government-cloud reseller', () => govReseller, 'relationship_request.cloud_mismatch'],
    ])(
      'lets no US public-cloud customer accept %s, through the API or the page, writing nothing',
      async (_label, resellerOf, code) => {
        const reseller = resellerOf();
        const customer: SignedUpCustomer = await signUpCustomer({ country: 'US' });
        const sent = await draftRelationshipRequest(reseller, {
          email: customer.email,
          delegatedAdmin: true,
        });
        const token = tokenOfLink(sent.draft.link);
        expectApiError(await acceptRelationship(customer.token, token), 403, code, 'relationships');
        const page = await postInvitationForm('reseller-relationship', {
          token,
          email: customer.email,
          password: customer.password,
          acceptCustomerAgreement: 'true',
        });
        expect(page.status).toBe(403);
        expect(await invitationStatus(sent.id)).toBe('pending');
        expect(await relationshipRows(customer.tenantId)).toEqual([]);
        expect((await customerAgreementOf(customer)).customerAgreementAcceptedAt).toBeNull();
      },
    );
  });

  describe('joint request acceptance: both partners against the customer', () => {
    beforeAll(async () => {
      await legacyPartnership(japanProvider, usReseller);
    });

    it.each([
      [
        'a Japanese reseller with a US provider',
        () => japanReseller,
        () => provider,
        'relationship_request.region_mismatch',
      ],
      [
        'a US-government-cloud reseller with a US public-cloud provider',
        () => govReseller,
        () => provider,
        'relationship_request.cloud_mismatch',
      ],
      [
        'a US reseller with a Japanese provider',
        () => usReseller,
        () => japanProvider,
        'relationship_request.region_mismatch',
      ],
    ])(
      'lets no US public-cloud customer accept %s, writing nothing',
      async (_label, resellerOf, providerOf, code) => {
        const customer = await signUpCustomer({ country: 'US' });
        const sent = await draftRelationshipRequest(resellerOf(), {
          email: customer.email,
          delegatedAdmin: true,
          indirectProviderId: providerOf().tenantId,
        });
        expectApiError(
          await acceptRelationship(customer.token, tokenOfLink(sent.draft.link)),
          403,
          code,
          'relationships',
        );
        expect(await invitationStatus(sent.id)).toBe('pending');
        expect(await relationshipRows(customer.tenantId)).toEqual([]);
      },
    );

    it('refuses a joint request without delegated admin privileges when the joint provider is in the US government cloud', async () => {
      const govProvider = await enrollPartner({
        partnerType: 'indirect_provider',
        name: uniqueName('Federal Distribution'),
        cloud: 'us-gov',
      });
      await legacyPartnership(govProvider, usReseller);
      const email = `admin.${randomUUID()}@northwind.example`;
      expectApiError(
        await api('relationships')
          .post('/v1/customers/relationship-requests')
          .set(bearer(usReseller.token))
          .send({
            email,
            delegatedAdmin: false,
            indirectProviderId: govProvider.tenantId,
            draftOnly: true,
          }),
        422,
        'relationship_request.delegated_admin_required',
        'relationships',
      );
      expect(
        await dbRows('relationships', 'select id from invitation where email = $1', [email]),
      ).toEqual([]);
    });
  });
});
