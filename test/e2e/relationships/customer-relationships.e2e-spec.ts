import type { Response } from 'supertest';
import {
  customerFilter,
  addActiveUser,
  api,
  bearer,
  customerAgreementOf,
  recordedCustomerAgreementOf,
  dbRows,
  emailsTo,
  enrollPartner,
  establishPartnership,
  expectApiError,
  expectStatus,
  linkIn,
  sendPartnershipRequest,
  signUpCustomer,
  system,
  tokenIn,
  waitForEmail,
  type ApiError,
  type Collection,
  type Customer,
  type CustomerPartner,
  type EnrolledPartner,
  type ReceivedEmail,
  type RelationshipRequestSent,
  type SignedUpCustomer,
} from '../support';

/**
 * Reseller relationships with customers (seeds 000, 001, 004; DESIGN.md "Customer relationship"):
 * requests with and without delegated admin privileges, the customer's acceptance (and the
 * Customer Agreement), the joint request with an indirect provider, the market and cloud rules,
 * removal by the partner and revocation of delegated admin privileges by the customer.
 */

// ---------------------------------------------------------------------------------------------
// The run's relationships database, to prove what was (not) written.

async function rows(sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  return dbRows('relationships', sql, params);
}

/** The reseller relationship rows of a customer (every partner, every status). */
async function relationshipRows(customerId: string): Promise<Record<string, unknown>[]> {
  return rows(
    'select partner_tenant_id, status, delegated_admin_status, indirect_reseller_id from reseller_relationship where customer_id = $1',
    [customerId],
  );
}

// ---------------------------------------------------------------------------------------------
// API shapes and small flows.

interface Accepted {
  customerId: string;
  customerAgreementAcceptedAt: string | null;
  relationships: {
    partnerId: string;
    partnerName: string;
    relationshipToCustomer: string;
    delegatedAdmin: boolean;
    indirectResellerId: string | null;
  }[];
}

const PLAIN_PHRASE = 'This request does not include administrator permissions';
const DAP_PHRASE = 'This request includes delegated admin privileges';

/** `POST /v1/customers/relationship-requests` as `partner`; expects 201. */
async function requestRelationship(
  partner: EnrolledPartner,
  body: { email: string; delegatedAdmin: boolean; indirectProviderId?: string },
): Promise<RelationshipRequestSent> {
  return expectStatus<RelationshipRequestSent>(
    await api('relationships')
      .post('/v1/customers/relationship-requests')
      .set(bearer(partner.token))
      .send(body),
    201,
  );
}

/** The delivered invitation email of a request (its subject is the draft's). */
async function invitationEmail(
  customer: SignedUpCustomer,
  sent: RelationshipRequestSent,
): Promise<ReceivedEmail> {
  return waitForEmail({ to: customer.email, subjectIncludes: sent.draft.subject });
}

/** `POST /v1/customers/relationship-requests/accept` with `accessToken`; returns the response. */
function accept(accessToken: string, body: { token: string; acceptCustomerAgreement?: boolean }) {
  return api('relationships')
    .post('/v1/customers/relationship-requests/accept')
    .set(bearer(accessToken))
    .send(body);
}

/** Requests a relationship, reads the token from the delivered email, and accepts it (200). */
async function establish(
  partner: EnrolledPartner,
  customer: SignedUpCustomer,
  body: { delegatedAdmin: boolean; indirectProviderId?: string },
): Promise<Accepted> {
  const sent = await requestRelationship(partner, { email: customer.email, ...body });
  const email = await invitationEmail(customer, sent);
  return expectStatus<Accepted>(
    await accept(customer.token, { token: tokenIn(email), acceptCustomerAgreement: true }),
    200,
  );
}

async function customersOf(partner: EnrolledPartner, query = ''): Promise<Collection<Customer>> {
  return expectStatus<Collection<Customer>>(
    await api('relationships').get(`/v1/customers${query}`).set(bearer(partner.token)),
    200,
  );
}

async function partnersOf(customer: SignedUpCustomer): Promise<CustomerPartner[]> {
  return expectStatus<Collection<CustomerPartner>>(
    await api('relationships').get('/v1/partners').set(bearer(customer.token)),
    200,
  ).items;
}

/** Expects an API error of relationships with this status and code, in the error format. */
function expectError(response: Response, status: number, code: string): ApiError {
  return expectApiError(response, status, code, 'relationships');
}

async function emailIds(to: string): Promise<Set<string>> {
  return new Set((await emailsTo({ to })).map((email) => email.id));
}

// ---------------------------------------------------------------------------------------------

describe('reseller relationships with customers', () => {
  /** A direct partner in the US (public cloud). */
  let partner: EnrolledPartner;
  /** Another direct partner in the US, which asks for delegated admin privileges. */
  let dapPartner: EnrolledPartner;
  let usGovPartner: EnrolledPartner;
  let germanyPartner: EnrolledPartner;
  /** A direct partner in Germany (public cloud). */
  let dePartner: EnrolledPartner;
  /** An indirect provider and an indirect reseller with an active partnership. */
  let provider: EnrolledPartner;
  let reseller: EnrolledPartner;
  /** An indirect reseller without any partnership. */
  let loneReseller: EnrolledPartner;

  beforeAll(async () => {
    [
      partner,
      dapPartner,
      usGovPartner,
      germanyPartner,
      dePartner,
      provider,
      reseller,
      loneReseller,
    ] = await Promise.all([
      enrollPartner({ partnerType: 'direct', country: 'US' }),
      enrollPartner({ partnerType: 'direct', country: 'US' }),
      enrollPartner({ partnerType: 'direct', country: 'US', cloud: 'us-gov' }),
      enrollPartner({ partnerType: 'direct', country: 'DE', cloud: 'germany' }),
      enrollPartner({ partnerType: 'direct', country: 'DE' }),
      enrollPartner({ partnerType: 'indirect_provider', country: 'US' }),
      enrollPartner({ partnerType: 'indirect_reseller', country: 'US' }),
      enrollPartner({ partnerType: 'indirect_reseller', country: 'US' }),
    ]);

    // The partnership, through the partnership API and the delivered email's token (seed 004).
    await establishPartnership(provider, reseller);
  }, 120_000);

  it('establishes a relationship without delegated admin: draft, email, Customer Agreement, Customer list, note to the inviter', async () => {
    const customer = await signUpCustomer({ country: 'US' });

    const sent = await requestRelationship(partner, {
      email: customer.email,
      delegatedAdmin: false,
    });
    expect(sent).toMatchObject({
      email: customer.email,
      status: 'pending',
      delegatedAdmin: false,
      indirectProviderId: null,
      queued: true,
    });
    expect(sent.draft.subject).toContain(partner.name);
    expect(sent.draft.link).toMatch(
      new RegExp(`^${system().urls.relationships}/invitations/reseller-relationship\\?token=`),
    );
    expect(sent.draft.text).toContain(sent.draft.link);
    expect(sent.draft.text).toContain(PLAIN_PHRASE);

    // The email arrives, personalized with the same link.
    const email = await invitationEmail(customer, sent);
    expect(email.recipient).toBe(customer.email);
    expect(email.subject).toBe(sent.draft.subject);
    expect(linkIn(email)).toBe(sent.draft.link);
    expect(email.text).toContain(PLAIN_PHRASE);
    expect(email.text).not.toContain(DAP_PHRASE);
    expect(email.headers['content-language']).toBe('en');
    const token = tokenIn(email);

    // The link opens the acceptance page, which names the inviting partner.
    const page = await fetch(linkIn(email));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain(partner.mpnId);

    // Without the Customer Agreement: refused, nothing written, and the token still works.
    expectError(await accept(customer.token, { token }), 422, 'customer_agreement.required');
    expectError(
      await accept(customer.token, { token, acceptCustomerAgreement: false }),
      422,
      'customer_agreement.required',
    );
    expect(await relationshipRows(customer.tenantId)).toEqual([]);
    expect(await customerAgreementOf(customer)).toEqual({
      customerAgreementAcceptedAt: null,
      customerAgreementAcceptedBy: null,
    });

    const accepted = expectStatus<Accepted>(
      await accept(customer.token, { token, acceptCustomerAgreement: true }),
      200,
    );
    expect(accepted.customerId).toBe(customer.tenantId);
    expect(accepted.customerAgreementAcceptedAt).toEqual(expect.any(String));
    expect(await recordedCustomerAgreementOf(customer)).toEqual({
      customerAgreementAcceptedAt: accepted.customerAgreementAcceptedAt,
      customerAgreementAcceptedBy: customer.userId,
    });
    expect(accepted.relationships).toEqual([
      {
        partnerId: partner.tenantId,
        partnerName: partner.name,
        relationshipToCustomer: 'reseller',
        delegatedAdmin: false,
        indirectResellerId: null,
      },
    ]);
    expect(await relationshipRows(customer.tenantId)).toEqual([
      {
        partner_tenant_id: partner.tenantId,
        status: 'active',
        delegated_admin_status: 'none',
        indirect_reseller_id: null,
      },
    ]);

    // The customer is on the partner's Customers page, in Partner Center's Customer shape.
    const list = await customersOf(partner);
    expect(list).toMatchObject({ attributes: { objectType: 'Collection' } });
    expect(list.totalCount).toBe(list.items.length);
    const expected: Customer = {
      id: customer.tenantId,
      companyProfile: {
        tenantId: customer.tenantId,
        domain: customer.domain,
        companyName: customer.companyName,
        country: 'US',
      },
      relationshipToPartner: 'reseller',
      allowDelegatedAccess: false,
      associatedPartnerId: null,
      attributes: { objectType: 'Customer' },
    };
    expect(list.items.filter((item) => item.id === customer.tenantId)).toEqual([expected]);
    // Read alone, in full (Partner Center "Get a customer by ID"): no billing profile yet.
    expect(
      expectStatus(
        await api('relationships')
          .get(`/v1/customers/${customer.tenantId}`)
          .set(bearer(partner.token)),
        200,
      ),
    ).toMatchObject({
      id: customer.tenantId,
      commerceId: customer.tenantId,
      companyProfile: {
        tenantId: customer.tenantId,
        domain: customer.domain,
        companyName: customer.companyName,
      },
      billingProfile: { companyName: customer.companyName, defaultAddress: { country: 'US' } },
      relationshipToPartner: 'reseller',
      allowDelegatedAccess: false,
      attributes: { objectType: 'Customer' },
    });

    // The inviter is told.
    const note = await waitForEmail({
      to: partner.email,
      subjectIncludes: `${customer.companyName} accepted your reseller relationship request`,
    });
    expect(note.text).toContain(customer.companyName);
    expect(note.headers['content-language']).toBe('en');

    // The link is single use.
    expectError(
      await accept(customer.token, { token, acceptCustomerAgreement: true }),
      409,
      'invitation.already_accepted',
    );
    expect(await relationshipRows(customer.tenantId)).toHaveLength(1);
  });

  it('establishes a relationship with delegated admin privileges; a later request needs no second Customer Agreement', async () => {
    const customer = await signUpCustomer({ country: 'US' });
    const sent = await requestRelationship(dapPartner, {
      email: customer.email,
      delegatedAdmin: true,
    });
    expect(sent.delegatedAdmin).toBe(true);
    const email = await invitationEmail(customer, sent);
    expect(email.text).toContain(DAP_PHRASE);
    expect(email.text).not.toContain(PLAIN_PHRASE);
    expect(email.html).toContain('delegated admin privileges');

    const first = expectStatus<Accepted>(
      await accept(customer.token, { token: tokenIn(email), acceptCustomerAgreement: true }),
      200,
    );
    expect(first.relationships).toMatchObject([
      { partnerId: dapPartner.tenantId, delegatedAdmin: true },
    ]);
    const listed = (await customersOf(dapPartner)).items.find(
      (item) => item.id === customer.tenantId,
    );
    expect(listed).toMatchObject({ relationshipToPartner: 'reseller', allowDelegatedAccess: true });
    const [dap] = (await partnersOf(customer)).filter((p) => p.id === dapPartner.tenantId);
    expect(dap).toMatchObject({
      relationshipActive: true,
      mpnId: dapPartner.mpnId,
      delegatedAdminPrivileges: { active: true, grantedAt: expect.any(String) as unknown },
    });

    // A second partner's request, accepted later, without the Customer Agreement again.
    const second = await requestRelationship(partner, {
      email: customer.email,
      delegatedAdmin: false,
    });
    const secondEmail = await invitationEmail(customer, second);
    const accepted = expectStatus<Accepted>(
      await accept(customer.token, { token: tokenIn(secondEmail) }),
      200,
    );
    expect(accepted.customerAgreementAcceptedAt).toBe(first.customerAgreementAcceptedAt);
    expect((await recordedCustomerAgreementOf(customer)).customerAgreementAcceptedAt).toBe(
      first.customerAgreementAcceptedAt,
    );
    expect(accepted.relationships).toMatchObject([
      { partnerId: partner.tenantId, delegatedAdmin: false },
    ]);
    expect(
      (await customersOf(partner)).items.find((item) => item.id === customer.tenantId),
    ).toMatchObject({ allowDelegatedAccess: false });
  });

  it('refuses a customer outside the partner’s country or region at acceptance, writing nothing', async () => {
    const refuse = async (country: string): Promise<void> => {
      const customer = await signUpCustomer({ country });
      const sent = await requestRelationship(partner, {
        email: customer.email,
        delegatedAdmin: false,
      });
      const token = tokenIn(await invitationEmail(customer, sent));
      const refused = await accept(customer.token, { token, acceptCustomerAgreement: true });
      expectError(refused, 403, 'relationship_request.region_mismatch');
      expect(await relationshipRows(customer.tenantId)).toEqual([]);
      expect((await customerAgreementOf(customer)).customerAgreementAcceptedAt).toBeNull();
      expect(await rows('select id from customer where id = $1', [customer.tenantId])).toEqual([]);
      expect(await rows('select status from invitation where id = $1', [sent.id])).toEqual([
        { status: 'pending' },
      ]);
      expect((await customersOf(partner)).items.some((item) => item.id === customer.tenantId)).toBe(
        false,
      );
    };
    await Promise.all([refuse('DE'), refuse('JP')]);
  });

  it('accepts a customer of another country in the same region (US partner and CA customer, DE partner and FR customer)', async () => {
    const canadian = await signUpCustomer({ country: 'CA' });
    const french = await signUpCustomer({ country: 'FR' });
    const [withCanadian, withFrench] = await Promise.all([
      establish(partner, canadian, { delegatedAdmin: false }),
      establish(dePartner, french, { delegatedAdmin: false }),
    ]);
    expect(withCanadian.relationships).toMatchObject([{ partnerId: partner.tenantId }]);
    expect(withFrench.relationships).toMatchObject([{ partnerId: dePartner.tenantId }]);
    expect(
      (await customersOf(partner)).items.find((item) => item.id === canadian.tenantId),
    ).toMatchObject({ companyProfile: { country: 'CA' } });
    expect(
      (await customersOf(dePartner)).items.find((item) => item.id === french.tenantId),
    ).toMatchObject({ companyProfile: { country: 'FR' } });
  });

  it.each<['us-gov' | 'germany', string]>([
    ['us-gov', 'US'],
    ['germany', 'DE'],
  ])(
    'requires delegated admin privileges from a partner in the %s cloud, and its customers accept',
    async (cloud, country) => {
      const national = cloud === 'us-gov' ? usGovPartner : germanyPartner;
      const customer = await signUpCustomer({ country, cloud });
      const refused = await api('relationships')
        .post('/v1/customers/relationship-requests')
        .set(bearer(national.token))
        .send({ email: customer.email, delegatedAdmin: false });
      expectError(refused, 422, 'relationship_request.delegated_admin_required');
      expect(
        await rows('select id from invitation where partner_tenant_id = $1', [national.tenantId]),
      ).toEqual([]);

      const accepted = await establish(national, customer, { delegatedAdmin: true });
      expect(accepted.relationships).toMatchObject([
        { partnerId: national.tenantId, delegatedAdmin: true },
      ]);
    },
  );

  it('refuses an invitation from a partner of another cloud at acceptance', async () => {
    const customer = await signUpCustomer({ country: 'US', cloud: 'public' });
    const sent = await requestRelationship(usGovPartner, {
      email: customer.email,
      delegatedAdmin: true,
    });
    const token = tokenIn(await invitationEmail(customer, sent));
    expectError(
      await accept(customer.token, { token, acceptCustomerAgreement: true }),
      403,
      'relationship_request.cloud_mismatch',
    );
    expect(await relationshipRows(customer.tenantId)).toEqual([]);
  });

  it('refuses a joint request without an active partnership, or from a partner that is not an indirect reseller', async () => {
    const customer = await signUpCustomer({ country: 'US' });
    expectError(
      await api('relationships')
        .post('/v1/customers/relationship-requests')
        .set(bearer(loneReseller.token))
        .send({
          email: customer.email,
          delegatedAdmin: true,
          indirectProviderId: provider.tenantId,
        }),
      422,
      'partnership.required',
    );
    expect(
      await rows('select id from invitation where partner_tenant_id = $1', [loneReseller.tenantId]),
    ).toEqual([]);

    const before = await rows(
      'select count(*)::int as n from invitation where partner_tenant_id = $1',
      [partner.tenantId],
    );
    expectError(
      await api('relationships')
        .post('/v1/customers/relationship-requests')
        .set(bearer(partner.token))
        .send({
          email: customer.email,
          delegatedAdmin: true,
          indirectProviderId: provider.tenantId,
        }),
      422,
      'relationship_request.joint_not_allowed',
    );
    expect(
      await rows('select count(*)::int as n from invitation where partner_tenant_id = $1', [
        partner.tenantId,
      ]),
    ).toEqual(before);
  });

  it('refuses an unknown token, a customer user who is not a Global admin, and a partner', async () => {
    const customer = await signUpCustomer({ country: 'US' });
    const sent = await requestRelationship(partner, {
      email: customer.email,
      delegatedAdmin: false,
    });
    const token = tokenIn(await invitationEmail(customer, sent));

    expectError(
      await accept(customer.token, {
        token: `${token.slice(0, -4)}${token.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`,
        acceptCustomerAgreement: true,
      }),
      404,
      'invitation.not_found',
    );
    const userAdmin = await addActiveUser(customer.token, ['UserManagementAdmin'], {
      company: 'northwind',
    });
    expectError(
      await accept(userAdmin.token, { token, acceptCustomerAgreement: true }),
      403,
      'auth.forbidden',
    );
    expectError(
      await accept(partner.token, { token, acceptCustomerAgreement: true }),
      403,
      'auth.forbidden',
    );
    expect(await relationshipRows(customer.tenantId)).toEqual([]);

    // None of these consumed the link: the Global admin still accepts with it.
    expectStatus(await accept(customer.token, { token, acceptCustomerAgreement: true }), 200);
  });

  it('establishes both relationships of a joint request with one acceptance (seeds 000/004)', async () => {
    const customer = await signUpCustomer({ country: 'US' });
    const sent = await requestRelationship(reseller, {
      email: customer.email,
      delegatedAdmin: true,
      indirectProviderId: provider.tenantId,
    });
    expect(sent).toMatchObject({ delegatedAdmin: true, indirectProviderId: provider.tenantId });
    const email = await invitationEmail(customer, sent);
    expect(email.subject).toContain(reseller.name);
    expect(email.subject).toContain(provider.name);
    expect(email.text).toContain(DAP_PHRASE);

    const accepted = expectStatus<Accepted>(
      await accept(customer.token, { token: tokenIn(email), acceptCustomerAgreement: true }),
      200,
    );
    expect(accepted.relationships).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          partnerId: reseller.tenantId,
          delegatedAdmin: true,
          indirectResellerId: null,
        }),
        expect.objectContaining({
          partnerId: provider.tenantId,
          delegatedAdmin: false,
          indirectResellerId: reseller.tenantId,
        }),
      ]),
    );
    expect(accepted.relationships).toHaveLength(2);

    const ofReseller = (await customersOf(reseller)).items.find(
      (item) => item.id === customer.tenantId,
    );
    expect(ofReseller).toMatchObject({
      relationshipToPartner: 'reseller',
      allowDelegatedAccess: true,
    });
    const ofProvider = (await customersOf(provider)).items.find(
      (item) => item.id === customer.tenantId,
    );
    expect(ofProvider).toMatchObject({
      relationshipToPartner: 'reseller',
      associatedPartnerId: reseller.tenantId,
    });
    const viaReseller = await customersOf(
      provider,
      `?${customerFilter('IndirectReseller', reseller.tenantId)}`,
    );
    expect(viaReseller.items.map((item) => item.id)).toContain(customer.tenantId);
    const viaOther = await customersOf(
      provider,
      `?${customerFilter('IndirectReseller', loneReseller.tenantId)}`,
    );
    expect(viaOther.items.map((item) => item.id)).not.toContain(customer.tenantId);

    for (const viewer of [provider, reseller]) {
      const relationships = expectStatus<Collection<Record<string, unknown>>>(
        await api('relationships')
          .get(`/v1/customers/${customer.tenantId}/relationships`)
          .set(bearer(viewer.token)),
        200,
      );
      expect(relationships.items).toEqual([
        expect.objectContaining({
          id: reseller.tenantId,
          name: reseller.name,
          mpnId: reseller.mpnId,
          relationshipType: 'is_indirect_reseller_of',
        }),
      ]);
    }
  });

  it('lists to each partner of a customer only the indirect resellers it partners with: a co-partner and an ended partnership see none of them', async () => {
    const [rivalProvider, rivalReseller, ownProvider, ownReseller] = await Promise.all([
      enrollPartner({ partnerType: 'indirect_provider', country: 'US' }),
      enrollPartner({ partnerType: 'indirect_reseller', country: 'US' }),
      enrollPartner({ partnerType: 'indirect_provider', country: 'US' }),
      enrollPartner({ partnerType: 'indirect_reseller', country: 'US' }),
    ]);
    await Promise.all([
      establishPartnership(rivalProvider, rivalReseller),
      establishPartnership(ownProvider, ownReseller),
    ]);
    const customer = await signUpCustomer({ country: 'US' });
    // Two competing channels and a direct partner on the same customer.
    await establish(ownReseller, customer, {
      delegatedAdmin: false,
      indirectProviderId: ownProvider.tenantId,
    });
    await establish(rivalReseller, customer, {
      delegatedAdmin: false,
      indirectProviderId: rivalProvider.tenantId,
    });
    await establish(dapPartner, customer, { delegatedAdmin: false });

    const resellersSeenBy = async (viewer: EnrolledPartner): Promise<string[]> =>
      expectStatus<Collection<{ id: string }>>(
        await api('relationships')
          .get(`/v1/customers/${customer.tenantId}/relationships`)
          .set(bearer(viewer.token)),
        200,
      ).items.map((item) => item.id);

    expect(await resellersSeenBy(ownProvider)).toEqual([ownReseller.tenantId]);
    expect(await resellersSeenBy(ownReseller)).toEqual([ownReseller.tenantId]);
    expect(await resellersSeenBy(rivalProvider)).toEqual([rivalReseller.tenantId]);
    expect(await resellersSeenBy(rivalReseller)).toEqual([rivalReseller.tenantId]);
    expect(await resellersSeenBy(dapPartner)).toEqual([]);

    // The partnership ends: the provider no longer sees that reseller; the reseller still sees itself.
    expectStatus(
      await api('relationships')
        .delete(`/v1/relationships/${ownReseller.tenantId}`)
        .set(bearer(ownProvider.token))
        .send({ confirm: true }),
      204,
    );
    expect(await resellersSeenBy(ownProvider)).toEqual([]);
    expect(await resellersSeenBy(ownReseller)).toEqual([ownReseller.tenantId]);
    // A stranger tenant: exactly the answer for a customer that exists nowhere.
    expectError(
      await api('relationships')
        .get(`/v1/customers/${customer.tenantId}/relationships`)
        .set(bearer(loneReseller.token)),
      404,
      'customer.not_found',
    );
  });

  it('removes a relationship: the customer leaves the list, delegated admin privileges stay, no email is sent (seed 000)', async () => {
    const customer = await signUpCustomer({ country: 'US' });
    await establish(dapPartner, customer, { delegatedAdmin: true });
    // Everything the acceptance sends has arrived before the removal.
    await waitForEmail({
      to: dapPartner.email,
      subjectIncludes: `${customer.companyName} accepted your reseller relationship request`,
    });
    const customerInbox = await emailIds(customer.email);
    const partnerInbox = await emailIds(dapPartner.email);

    const removed = expectStatus<Customer>(
      await api('relationships')
        .patch(`/v1/customers/${customer.tenantId}`)
        .set(bearer(dapPartner.token))
        .send({ relationshipToPartner: 'none' }),
      200,
    );
    expect(removed).toMatchObject({ id: customer.tenantId, relationshipToPartner: 'none' });

    expect(
      (await customersOf(dapPartner)).items.some((item) => item.id === customer.tenantId),
    ).toBe(false);
    expectError(
      await api('relationships')
        .get(`/v1/customers/${customer.tenantId}`)
        .set(bearer(dapPartner.token)),
      404,
      'customer.not_found',
    );
    const [seen] = (await partnersOf(customer)).filter((p) => p.id === dapPartner.tenantId);
    expect(seen).toMatchObject({
      relationshipActive: false,
      delegatedAdminPrivileges: { active: true, revokedAt: null },
    });
    expect(await relationshipRows(customer.tenantId)).toEqual([
      expect.objectContaining({ status: 'removed', delegated_admin_status: 'active' }),
    ]);

    // Later markers to both parties arrive; nothing else did.
    const customerMarker = await requestRelationship(partner, {
      email: customer.email,
      delegatedAdmin: false,
    });
    const { request: partnerMarker } = await sendPartnershipRequest(provider, dapPartner.email);
    await invitationEmail(customer, customerMarker);
    const newToCustomer = (await emailsTo({ to: customer.email })).filter(
      (email) => !customerInbox.has(email.id),
    );
    const newToPartner = (await emailsTo({ to: dapPartner.email })).filter(
      (email) => !partnerInbox.has(email.id),
    );
    expect(newToCustomer.map((email) => email.subject)).toEqual([customerMarker.draft.subject]);
    expect(newToPartner.map((email) => email.subject)).toEqual([partnerMarker.draft.subject]);
  });

  it('lets the customer’s Global admin revoke delegated admin privileges while the relationship stays (seed 001)', async () => {
    const customer = await signUpCustomer({ country: 'US' });
    const [userAdmin] = await Promise.all([
      addActiveUser(customer.token, ['UserManagementAdmin'], { company: 'northwind' }),
      establish(dapPartner, customer, { delegatedAdmin: true }).then(() =>
        establish(partner, customer, { delegatedAdmin: false }),
      ),
    ]);

    expectError(
      await api('relationships')
        .delete(`/v1/partners/${dapPartner.tenantId}/delegated-admin`)
        .set(bearer(userAdmin.token)),
      403,
      'auth.forbidden',
    );
    expectError(
      await api('relationships')
        .delete(`/v1/partners/${partner.tenantId}/delegated-admin`)
        .set(bearer(customer.token)),
      404,
      'delegated_admin.not_found',
    );
    expect(
      (await customersOf(dapPartner)).items.find((item) => item.id === customer.tenantId),
    ).toMatchObject({ allowDelegatedAccess: true });

    const revoked = expectStatus<CustomerPartner>(
      await api('relationships')
        .delete(`/v1/partners/${dapPartner.tenantId}/delegated-admin`)
        .set(bearer(customer.token)),
      200,
    );
    expect(revoked).toMatchObject({
      id: dapPartner.tenantId,
      relationshipActive: true,
      delegatedAdminPrivileges: { active: false, revokedAt: expect.any(String) as unknown },
    });

    expect(
      (await customersOf(dapPartner)).items.find((item) => item.id === customer.tenantId),
    ).toMatchObject({ relationshipToPartner: 'reseller', allowDelegatedAccess: false });
    expect((await partnersOf(customer)).find((p) => p.id === dapPartner.tenantId)).toMatchObject({
      relationshipActive: true,
      delegatedAdminPrivileges: { active: false },
    });

    // Revoking again: there is nothing left to revoke.
    expectError(
      await api('relationships')
        .delete(`/v1/partners/${dapPartner.tenantId}/delegated-admin`)
        .set(bearer(customer.token)),
      404,
      'delegated_admin.not_found',
    );
  });

  it('answers 404 for another partner’s customer', async () => {
    const customer = await signUpCustomer({ country: 'US' });
    await establish(partner, customer, { delegatedAdmin: false });
    for (const path of [
      `/v1/customers/${customer.tenantId}`,
      `/v1/customers/${customer.tenantId}/relationships`,
    ]) {
      expectError(
        await api('relationships').get(path).set(bearer(dapPartner.token)),
        404,
        'customer.not_found',
      );
    }
    expectError(
      await api('relationships')
        .patch(`/v1/customers/${customer.tenantId}`)
        .set(bearer(dapPartner.token))
        .send({ relationshipToPartner: 'none' }),
      404,
      'customer.not_found',
    );
    // The owner still sees it, unchanged.
    expect(await relationshipRows(customer.tenantId)).toEqual([
      expect.objectContaining({ partner_tenant_id: partner.tenantId, status: 'active' }),
    ]);
  });
});
