import type { Response } from 'supertest';
import {
  addActiveUser,
  api,
  bearer,
  createCustomer,
  dbCount,
  dbRows,
  enrollPartner,
  establishPartnership,
  expectApiError,
  expectStatus,
  newCustomerBody,
  OFFER_ID,
  uniqueName,
  type ApiError,
  type Collection,
  type CreatedCustomer,
  type EnrolledPartner,
  type Subscription,
} from '../support';

/**
 * Seed 002 "Add new subscriptions to customer accounts", "Designated support contact" (DESIGN.md
 * "Subscription"): `GET /v1/offers`, `/v1/customers/{id}/subscriptions`. Only a partner with an
 * active relationship with the customer orders; the associated reseller and the designated support
 * contact are the provider's indirect resellers.
 */

const OFFER = OFFER_ID;
const OTHER_OFFER = 'office-365-e3';

/** Expects an API error of relationships with this status and code, in the error format. */
function expectError(response: Response, status: number, code: string): ApiError {
  return expectApiError(response, status, code, 'relationships');
}

async function listSubscriptions(token: string, customerId: string): Promise<Subscription[]> {
  return expectStatus<Collection<Subscription>>(
    await api('relationships')
      .get(`/v1/customers/${customerId}/subscriptions?size=100`)
      .set(bearer(token)),
    200,
  ).items;
}

describe('subscriptions (seed 002)', () => {
  let provider: EnrolledPartner;
  let reseller: EnrolledPartner;
  /** An indirect reseller without a partnership with `provider`. */
  let strayReseller: EnrolledPartner;
  let direct: EnrolledPartner;
  let helpdeskToken: string;
  /** A customer the provider created for `reseller` (shared by the tests). */
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
    shared = await createCustomer(
      provider,
      newCustomerBody({ indirectResellerId: reseller.tenantId }),
    );
  });

  it('lists the offer catalog', async () => {
    const offers = expectStatus<
      Collection<{ id: string; name: string; minQuantity: number; maxQuantity: number }>
    >(await api('relationships').get('/v1/offers').set(bearer(reseller.token)), 200);
    expect(offers.totalCount).toBe(offers.items.length);
    expect(offers.items.map((o) => o.id)).toEqual(expect.arrayContaining([OFFER, OTHER_OFFER]));
    for (const offer of offers.items) {
      expect(offer).toMatchObject({
        name: expect.any(String),
        minQuantity: expect.any(Number),
        maxQuantity: expect.any(Number),
        attributes: { objectType: 'Offer' },
      });
    }
    expect((await api('relationships').get('/v1/offers')).status).toBe(401);
  });

  it('lets partners with an active relationship order; a partner without one gets 404', async () => {
    const customerId = shared.id;
    const ordered = expectStatus<Subscription>(
      await api('relationships')
        .post(`/v1/customers/${customerId}/subscriptions`)
        .set(bearer(provider.token))
        .send({ offerId: OTHER_OFFER, quantity: 3, associatedResellerMpnId: reseller.mpnId }),
      201,
    );
    expect(ordered).toMatchObject({
      offerId: OTHER_OFFER,
      offerName: 'Office 365 E3',
      quantity: 3,
      unitType: 'Licenses',
      status: 'active',
      // The reseller of record's Partner ID, as Partner Center's partnerId: the associated reseller.
      partnerId: reseller.mpnId,
      associatedResellerMpnId: reseller.mpnId,
      designatedSupportContact: null,
    });
    const byReseller = expectStatus<Subscription>(
      await api('relationships')
        .post(`/v1/customers/${customerId}/subscriptions`)
        .set(bearer(reseller.token))
        .send({ offerId: OFFER, quantity: 1 }),
      201,
    );
    expect(byReseller.partnerId).toBe(reseller.mpnId);

    const before = await dbCount('relationships', 'subscription', 'customer_id = $1', [customerId]);
    for (const outsider of [direct, strayReseller]) {
      expectError(
        await api('relationships')
          .post(`/v1/customers/${customerId}/subscriptions`)
          .set(bearer(outsider.token))
          .send({ offerId: OFFER, quantity: 1 }),
        404,
        'customer.not_found',
      );
      expectError(
        await api('relationships')
          .get(`/v1/customers/${customerId}/subscriptions`)
          .set(bearer(outsider.token)),
        404,
        'customer.not_found',
      );
      expectError(
        await api('relationships').get(`/v1/customers/${customerId}`).set(bearer(outsider.token)),
        404,
        'customer.not_found',
      );
    }
    expectError(
      await api('relationships')
        .post(`/v1/customers/${customerId}/subscriptions`)
        .set(bearer(helpdeskToken))
        .send({ offerId: OFFER, quantity: 1 }),
      403,
      'auth.forbidden',
    );
    expect(await dbCount('relationships', 'subscription', 'customer_id = $1', [customerId])).toBe(
      before,
    );

    const listed = await listSubscriptions(reseller.token, customerId);
    expect(listed.map((s) => s.id)).toEqual(
      expect.arrayContaining([ordered.id, byReseller.id, shared.subscriptions[0].id]),
    );
  });

  it('refuses an associated reseller or support contact that is not one of the provider’s indirect resellers with 422', async () => {
    const customerId = shared.id;
    const order = (token: string, body: Record<string, unknown>) =>
      api('relationships')
        .post(`/v1/customers/${customerId}/subscriptions`)
        .set(bearer(token))
        .send({ offerId: OFFER, quantity: 1, ...body });
    const before = await dbCount('relationships', 'subscription', 'customer_id = $1', [customerId]);
    // Another reseller's Partner ID, a direct partner's, and one nobody has.
    for (const mpnId of [strayReseller.mpnId, direct.mpnId, '1234567890']) {
      expectError(
        await order(provider.token, { associatedResellerMpnId: mpnId }),
        422,
        'subscription.invalid_associated_reseller',
      );
    }
    // Only an indirect provider associates a reseller.
    expectError(
      await order(reseller.token, { associatedResellerMpnId: reseller.mpnId }),
      422,
      'subscription.invalid_associated_reseller',
    );
    for (const contact of [strayReseller.tenantId, direct.tenantId, provider.tenantId]) {
      expectError(
        await order(provider.token, { designatedSupportContactId: contact }),
        422,
        'subscription.invalid_support_contact',
      );
    }
    expectError(
      await order(provider.token, { offerId: 'no-such-offer' }),
      400,
      'subscription.unknown_offer',
    );
    expectError(await order(provider.token, { quantity: 0 }), 400, 'subscription.invalid_quantity');
    expect(await dbCount('relationships', 'subscription', 'customer_id = $1', [customerId])).toBe(
      before,
    );
  });

  it('changes the quantity, clears the associated reseller and sets the designated support contact', async () => {
    const customerId = shared.id;
    const path = (id: string) => `/v1/customers/${customerId}/subscriptions/${id}`;
    const ordered = expectStatus<Subscription>(
      await api('relationships')
        .post(`/v1/customers/${customerId}/subscriptions`)
        .set(bearer(provider.token))
        .send({ offerId: OFFER, quantity: 5, associatedResellerMpnId: reseller.mpnId }),
      201,
    );
    const patch = (body: Record<string, unknown>, token = provider.token) =>
      api('relationships')
        .patch(path(ordered.id))
        .set(bearer(token))
        .set('If-Match', '*')
        .send(body);

    expect(expectStatus<Subscription>(await patch({ quantity: 12 }), 200)).toMatchObject({
      quantity: 12,
      associatedResellerMpnId: reseller.mpnId,
    });
    expect(
      expectStatus<Subscription>(await patch({ associatedResellerMpnId: null }), 200),
    ).toMatchObject({ quantity: 12, associatedResellerMpnId: null });
    expect(
      expectStatus<Subscription>(
        await patch({ designatedSupportContactId: reseller.tenantId }),
        200,
      ),
    ).toMatchObject({
      quantity: 12,
      associatedResellerMpnId: null,
      designatedSupportContact: {
        id: reseller.tenantId,
        name: reseller.name,
        mpnId: reseller.mpnId,
      },
    });

    // Refused changes leave it as it is.
    expectError(await patch({ quantity: 0 }), 400, 'subscription.invalid_quantity');
    expectError(
      await patch({ designatedSupportContactId: strayReseller.tenantId }),
      422,
      'subscription.invalid_support_contact',
    );
    expectError(
      await patch({ associatedResellerMpnId: strayReseller.mpnId }),
      422,
      'subscription.invalid_associated_reseller',
    );
    expectError(await patch({}), 400, 'request.invalid');
    expectError(await patch({ quantity: 2 }, helpdeskToken), 403, 'auth.forbidden');
    expectError(await patch({ quantity: 2 }, direct.token), 404, 'customer.not_found');

    // Every partner of the customer sees the new values in the list.
    for (const token of [provider.token, reseller.token]) {
      const listed = (await listSubscriptions(token, customerId)).find((s) => s.id === ordered.id);
      expect(listed).toMatchObject({
        quantity: 12,
        associatedResellerMpnId: null,
        designatedSupportContact: { id: reseller.tenantId, name: reseller.name },
      });
    }
  });

  it('answers 404 for another customer’s subscription id', async () => {
    const other = await createCustomer(
      provider,
      newCustomerBody({ indirectResellerId: reseller.tenantId }),
    );
    const foreign = other.subscriptions[0];
    const response = await api('relationships')
      .patch(`/v1/customers/${shared.id}/subscriptions/${foreign.id}`)
      .set(bearer(provider.token))
      .send({ quantity: 2 });
    expectError(response, 404, 'subscription.not_found');
    const [row] = await dbRows<{ quantity: number }>(
      'relationships',
      'select quantity from subscription where id = $1',
      [foreign.id],
    );
    expect(row.quantity).toBe(foreign.quantity);
    // The same subscription under its own customer is found.
    expectStatus(
      await api('relationships')
        .patch(`/v1/customers/${other.id}/subscriptions/${foreign.id}`)
        .set(bearer(provider.token))
        .set('If-Match', '*')
        .send({ quantity: foreign.quantity + 1 }),
      200,
    );
  });
});
