import {
  OFFER_ID,
  activateUser,
  addActiveUser,
  api,
  bearer,
  createCustomer,
  customerAgreementBody,
  countRows,
  dbRows,
  draftRelationshipRequest,
  enrollPartner,
  establishPartnership,
  expectApiError,
  expectStatus,
  fetchPage,
  newCustomerBody,
  tokenOfLink,
  type Collection,
  type CreatedCustomer,
  type EnrolledPartner,
} from '../support';

/**
 * Issue 11, the Customer Agreement as Partner Center serves it (§14 of the contract notes): its
 * metadata and text, a partner's confirmation of a customer's acceptance (`POST`/`GET
 * /v1/customers/{id}/agreements`), and Partner Center's rule that an order for a customer without a
 * confirmed acceptance is refused with 13605 (403), in the order path and in a new customer with
 * initial subscriptions. An acceptance on a relationship request records the same Agreement, with
 * the version shown. Whose confirmation counts: the partner's own and its channel's for that
 * customer (the provider that created it for its reseller), and the customer's own; never a
 * co-partner's, which the co-partner does not even see.
 */

interface Agreement {
  id: string;
  userId?: string;
  primaryContact?: { firstName: string; lastName: string; email: string; phoneNumber?: string };
  dateAgreed: string;
  templateId: string;
  type: string;
  version: string;
  agreementLink: string;
  source: 'partner_confirmation' | 'customer_acceptance';
  attributes: { objectType: string };
}

interface AgreementMetadata {
  templateId: string;
  agreementType: string;
  agreementLink: string;
  versionRank: number;
  version: string;
}

const confirm = (token: string, customerId: string, body: object) =>
  api('relationships').post(`/v1/customers/${customerId}/agreements`).set(bearer(token)).send(body);
const agreementsOf = (token: string, customerId: string) =>
  api('relationships').get(`/v1/customers/${customerId}/agreements`).set(bearer(token));
const order = (token: string, customerId: string) =>
  api('relationships')
    .post(`/v1/customers/${customerId}/subscriptions`)
    .set(bearer(token))
    .send({ offerId: OFFER_ID, quantity: 2 });
const subscriptionRows = (customerId: string) =>
  countRows('relationships', 'select count(*) as n from subscription where customer_id = $1', [
    customerId,
  ]);

describe('the Customer Agreement (Partner Center agreements, issue 11)', () => {
  let provider: EnrolledPartner;
  let reseller: EnrolledPartner;
  let coPartner: EnrolledPartner;
  let stranger: EnrolledPartner;
  let metadata: AgreementMetadata;

  beforeAll(async () => {
    [provider, reseller, coPartner, stranger] = await Promise.all([
      enrollPartner({ partnerType: 'indirect_provider' }),
      enrollPartner({ partnerType: 'indirect_reseller' }),
      enrollPartner({ partnerType: 'direct' }),
      enrollPartner({ partnerType: 'direct' }),
    ]);
    await establishPartnership(provider, reseller);
  });

  it('serves the template (id, version, rank) and its text at the link, per version', async () => {
    const page = expectStatus<Collection<AgreementMetadata>>(
      await api('relationships')
        .get('/v1/agreements?agreementType=MicrosoftCustomerAgreement')
        .set(bearer(provider.token)),
      200,
    );
    expect(page.totalCount).toBe(1);
    metadata = page.items[0];
    expect(metadata).toMatchObject({
      templateId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      agreementType: 'MicrosoftCustomerAgreement',
      versionRank: 1,
      version: '2026-12',
      attributes: { objectType: 'AgreementMetaData' },
    });
    expect(new URL(metadata.agreementLink).pathname).toBe('/agreements/customer-agreement/2026-12');
    const text = await fetchPage(metadata.agreementLink);
    expect(text.status).toBe(200);
    expect(text.html).toContain('Customer Agreement (version 2026-12)');
    expect(text.html).toContain(metadata.templateId);
    expect((await fetchPage(metadata.agreementLink.replace('2026-12', '1999-01'))).status).toBe(
      404,
    );

    expectApiError(
      await api('relationships')
        .get('/v1/agreements?agreementType=MicrosoftCloudAgreement')
        .set(bearer(provider.token)),
      400,
      'customer_agreement.type_invalid',
    );
    expectApiError(
      await api('relationships').get('/v1/agreements?other=1').set(bearer(provider.token)),
      400,
      'request.invalid',
    );
  });

  it('refuses a new customer with subscriptions and no confirmation (403 13605), nothing written', async () => {
    const body = newCustomerBody({ customerAgreement: false });
    expectApiError(
      await api('relationships').post('/v1/customers').set(bearer(provider.token)).send(body),
      403,
      'customer_agreement.confirmation_required',
    );
    expect(
      await countRows(
        'relationships',
        'select count(*) as n from customer where company_name = $1',
        [body.billingProfile.companyName],
      ),
    ).toBe(0);
    expect(
      await countRows('identity', 'select count(*) as n from tenant where name = $1', [
        body.billingProfile.companyName,
      ]),
    ).toBe(0);
    // An unknown template is refused before anything is written too.
    const unknown = {
      ...newCustomerBody(),
      customerAgreement: { ...customerAgreementBody(), templateId: 'not-the-template' },
    };
    expectApiError(
      await api('relationships').post('/v1/customers').set(bearer(provider.token)).send(unknown),
      400,
      'customer_agreement.template_unknown',
    );
  });

  describe('a customer created without subscriptions nor confirmation', () => {
    let created: CreatedCustomer;
    let customerId: string;

    beforeAll(async () => {
      created = await createCustomer(
        provider,
        newCustomerBody({
          indirectResellerId: reseller.tenantId,
          subscriptions: [],
          customerAgreement: false,
        }),
      );
      customerId = created.id;
    });

    it('refuses every order with 403 13605 until confirmed, then orders; its reseller too', async () => {
      for (const partner of [provider, reseller]) {
        const refused = expectApiError(
          await order(partner.token, customerId),
          403,
          'customer_agreement.confirmation_required',
        );
        expect(refused.description).toContain('Customer Agreement');
      }
      expect(await subscriptionRows(customerId)).toBe(0);
      expect(
        expectStatus<Collection<Agreement>>(await agreementsOf(provider.token, customerId), 200)
          .items,
      ).toEqual([]);

      const body = {
        ...customerAgreementBody('ada.contact@adatum.example'),
        primaryContact: {
          firstName: 'Ada',
          lastName: 'Adatum',
          email: 'ada.contact@adatum.example',
          phoneNumber: '+1 425 555 0100',
        },
      };
      const confirmed = expectStatus<Agreement>(
        await confirm(provider.token, customerId, body),
        201,
      );
      expect(confirmed).toEqual({
        id: expect.any(String),
        userId: expect.any(String),
        primaryContact: body.primaryContact,
        dateAgreed: body.dateAgreed,
        templateId: metadata.templateId,
        type: 'MicrosoftCustomerAgreement',
        version: '2026-12',
        agreementLink: metadata.agreementLink,
        source: 'partner_confirmation',
        attributes: { objectType: 'Agreement' },
      });
      expect(
        expectStatus<Collection<Agreement>>(await agreementsOf(provider.token, customerId), 200)
          .items,
      ).toEqual([confirmed]);

      expectStatus(await order(provider.token, customerId), 201);
      // The provider acted for its reseller: its confirmation counts for the reseller's orders.
      expectStatus(await order(reseller.token, customerId), 201);
      expect(
        expectStatus<Collection<Agreement>>(
          await agreementsOf(reseller.token, customerId),
          200,
        ).items.map((a) => a.id),
      ).toEqual([confirmed.id]);
    });

    it('refuses bad confirmations (400) and writes nothing', async () => {
      const before = await countRows(
        'relationships',
        'select count(*) as n from customer_agreement where customer_id = $1',
        [customerId],
      );
      const good = customerAgreementBody();
      const cases: [Record<string, unknown>, string][] = [
        [
          { ...good, templateId: '00000000-0000-4000-8000-000000000000' },
          'customer_agreement.template_unknown',
        ],
        [{ ...good, type: 'MicrosoftCloudAgreement' }, 'request.invalid'],
        [{ ...good, dateAgreed: '2999-01-01T00:00:00Z' }, 'request.invalid'],
        [{ ...good, dateAgreed: 'yesterday' }, 'request.invalid'],
        [{ ...good, primaryContact: { firstName: 'Ada', lastName: 'Adatum' } }, 'request.invalid'],
        [{ ...good, other: true }, 'request.invalid'],
      ];
      for (const [body, code] of cases) {
        expectApiError(await confirm(provider.token, customerId, body), 400, code);
      }
      expect(
        await countRows(
          'relationships',
          'select count(*) as n from customer_agreement where customer_id = $1',
          [customerId],
        ),
      ).toBe(before);
    });

    it('answers a stranger, an unknown customer and each role as their rules say', async () => {
      for (const id of [customerId, '00000000-0000-4000-8000-000000000000']) {
        expectApiError(
          await confirm(stranger.token, id, customerAgreementBody()),
          404,
          'customer.not_found',
        );
        expectApiError(await agreementsOf(stranger.token, id), 404, 'customer.not_found');
      }
      const [sales, helpdesk, userAdmin] = await Promise.all([
        addActiveUser(provider.token, ['SalesAgent']),
        addActiveUser(provider.token, ['HelpdeskAgent']),
        addActiveUser(provider.token, ['UserManagementAdmin']),
      ]);
      expectStatus(await confirm(sales.token, customerId, customerAgreementBody()), 201);
      expectApiError(
        await confirm(helpdesk.token, customerId, customerAgreementBody()),
        403,
        'auth.forbidden',
      );
      expectStatus(await agreementsOf(helpdesk.token, customerId), 200);
      expectStatus(await agreementsOf(userAdmin.token, customerId), 200);
      const admin = await activateUser(
        created.userCredentials.userName,
        created.userCredentials.password,
      );
      expectApiError(await agreementsOf(admin.token, customerId), 403, 'auth.forbidden');
    });
  });

  describe('co-partners of one customer and the acceptance on a relationship request', () => {
    let created: CreatedCustomer;
    let customerId: string;
    let admin: { token: string; email: string };

    beforeAll(async () => {
      created = await createCustomer(
        provider,
        newCustomerBody({ subscriptions: [], customerAgreement: false }),
      );
      customerId = created.id;
      const activated = await activateUser(
        created.userCredentials.userName,
        created.userCredentials.password,
      );
      admin = { token: activated.token, email: created.userCredentials.userName };
      expectStatus(
        await confirm(provider.token, customerId, customerAgreementBody('p@x.example')),
        201,
      );
    });

    it("never shows a co-partner the provider's confirmation; the customer's own acceptance, with its version, counts for every partner", async () => {
      // The customer accepts the co-partner's request, and the Customer Agreement with it.
      const sent = await draftRelationshipRequest(coPartner, { email: admin.email });
      expectApiError(
        await api('relationships')
          .post('/v1/customers/relationship-requests/accept')
          .set(bearer(admin.token))
          .send({
            token: tokenOfLink(sent.draft.link),
            acceptCustomerAgreement: true,
            customerAgreementVersion: '1999-01',
          }),
        400,
        'customer_agreement.version_unknown',
      );
      expect(
        await countRows(
          'relationships',
          'select count(*) as n from reseller_relationship where customer_id = $1 and partner_tenant_id = $2',
          [customerId, coPartner.tenantId],
        ),
      ).toBe(0);
      expectStatus(
        await api('relationships')
          .post('/v1/customers/relationship-requests/accept')
          .set(bearer(admin.token))
          .send({
            token: tokenOfLink(sent.draft.link),
            acceptCustomerAgreement: true,
            customerAgreementVersion: '2026-12',
          }),
        200,
      );

      const seenByCoPartner = expectStatus<Collection<Agreement>>(
        await agreementsOf(coPartner.token, customerId),
        200,
      );
      expect(seenByCoPartner.items).toEqual([
        expect.objectContaining({
          source: 'customer_acceptance',
          version: '2026-12',
          primaryContact: expect.objectContaining({ email: admin.email }),
        }),
      ]);
      expect(JSON.stringify(seenByCoPartner)).not.toContain('p@x.example');
      expect(
        expectStatus<Collection<Agreement>>(
          await agreementsOf(provider.token, customerId),
          200,
        ).items.map((a) => a.source),
      ).toEqual(['partner_confirmation', 'customer_acceptance']);
      expect(
        await dbRows(
          'relationships',
          'select version, invitation_id from customer_agreement where customer_id = $1 and source = $2',
          [customerId, 'customer_acceptance'],
        ),
      ).toEqual([{ version: '2026-12', invitation_id: sent.id }]);
      // The customer's acceptance counts for the co-partner's orders.
      expectStatus(await order(coPartner.token, customerId), 201);
    });

    it('refuses a partner whose relationship ended (404), as a stranger', async () => {
      const own = await createCustomer(
        coPartner,
        newCustomerBody({ subscriptions: [], customerAgreement: false }),
      );
      expectStatus(
        await api('relationships')
          .patch(`/v1/customers/${own.id}`)
          .set(bearer(coPartner.token))
          .send({ relationshipToPartner: 'none' }),
        200,
      );
      expectApiError(
        await confirm(coPartner.token, own.id, customerAgreementBody()),
        404,
        'customer.not_found',
      );
      expectApiError(await agreementsOf(coPartner.token, own.id), 404, 'customer.not_found');
      expectApiError(await order(coPartner.token, own.id), 404, 'customer.not_found');
    });
  });

  it('records a new customer’s confirmation with its initial subscriptions in one event', async () => {
    const body = newCustomerBody();
    const created = await createCustomer(provider, body);
    expect(created.subscriptions).toHaveLength(1);
    const rows = await dbRows(
      'relationships',
      'select partner_tenant_id, source, version, primary_contact_email from customer_agreement where customer_id = $1',
      [created.id],
    );
    expect(rows).toEqual([
      {
        partner_tenant_id: provider.tenantId,
        source: 'partner_confirmation',
        version: '2026-12',
        primary_contact_email: body.customerAgreement?.primaryContact.email,
      },
    ]);
    const events = await dbRows<{ after: { customerAgreement: unknown } }>(
      'relationships',
      "select after from activity_log_entry where type = 'customer.created' and resource_id = $1",
      [created.id],
    );
    expect(events).toHaveLength(1);
    expect(events[0].after.customerAgreement).toMatchObject({ version: '2026-12' });
  });
});
