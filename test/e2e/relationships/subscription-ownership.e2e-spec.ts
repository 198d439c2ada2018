import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import {
  activateUser,
  addActiveUser,
  api,
  bearer,
  createCustomer,
  dbRows,
  draftRelationshipRequest,
  acceptRelationship,
  enrollPartner,
  establishPartnership,
  expectApiError,
  expectStatus,
  newCustomerBody,
  OFFER_ID,
  signUpCustomer,
  tokenOfLink,
  uniqueName,
  type Collection,
  type CreatedCustomer,
  type EnrolledPartner,
  type SignedUpCustomer,
  type Subscription,
} from '../support';

/**
 * Subscriptions belong to the partner that ordered them (issue "Trust between partners who share a
 * customer", point 1). A customer with several competing partners: an indirect provider (`provider`)
 * that created it for its indirect reseller (`reseller`), and a rival indirect provider (`rival`,
 * with its own reseller `rivalReseller`) that has its own relationship with the same customer.
 * Written from the attacker's side: the rival (every role of it that may order), a stranger
 * partner without a relationship, a partner whose relationship ended, and the roles that lack the
 * permission. Another partner's subscription answers exactly as an id that exists nowhere.
 */

const OTHER_OFFER = 'office-365-e3';

/** A customer-side subscription (`GET /v1/customer-subscriptions`). */
interface CustomerSubscription extends Subscription {
  partner: { id: string; name: string; mpnId: string | null };
}

function subscriptionsOf(token: string, customerId: string): Promise<Response> {
  return api('relationships')
    .get(`/v1/customers/${customerId}/subscriptions?size=100`)
    .set(bearer(token));
}

async function idsSeenBy(token: string, customerId: string): Promise<string[]> {
  return expectStatus<Collection<Subscription>>(await subscriptionsOf(token, customerId), 200)
    .items.map((item) => item.id)
    .sort();
}

function patch(token: string, customerId: string, id: string, body: object): Promise<Response> {
  return api('relationships')
    .patch(`/v1/customers/${customerId}/subscriptions/${id}`)
    .set(bearer(token))
    .set('If-Match', '*')
    .send(body);
}

function order(token: string, customerId: string, body: object): Promise<Subscription> {
  return api('relationships')
    .post(`/v1/customers/${customerId}/subscriptions`)
    .set(bearer(token))
    .send(body)
    .then((response) => expectStatus<Subscription>(response, 201));
}

async function subscriptionRow(id: string): Promise<unknown> {
  return dbRows(
    'relationships',
    `select quantity, status, associated_reseller_mpn_id, associated_reseller_tenant_id,
            designated_support_contact_id, updated_at
       from subscription where id = $1`,
    [id],
  );
}

/**
 * Asserts that `response` is the very answer an unknown id gets: same status, same body (the ids
 * in the path are not echoed).
 */
function expectSameAsUnknown(response: Response, unknown: Response): void {
  expectApiError(response, 404, 'subscription.not_found', 'relationships');
  expect(response.status).toBe(unknown.status);
  expect(response.text).toBe(unknown.text);
}

describe('subscriptions belong to the partner that ordered them', () => {
  let provider: EnrolledPartner;
  let reseller: EnrolledPartner;
  let rival: EnrolledPartner;
  let rivalReseller: EnrolledPartner;
  let stranger: EnrolledPartner;
  /** Created by `provider` for `reseller`, with the provider's 50-seat order. */
  let shared: CreatedCustomer;
  let customerId: string;
  /** A full token of `shared`'s Global admin. */
  let customerAdmin: string;
  let providerOrder: Subscription;
  let resellerOrder: Subscription;
  let rivalOrder: Subscription;

  beforeAll(async () => {
    [provider, reseller, rival, rivalReseller, stranger] = await Promise.all([
      enrollPartner({ partnerType: 'indirect_provider', name: uniqueName('Contoso Distribution') }),
      enrollPartner({ partnerType: 'indirect_reseller', name: uniqueName('Fabrikam') }),
      enrollPartner({ partnerType: 'indirect_provider', name: uniqueName('Wingtip Distribution') }),
      enrollPartner({ partnerType: 'indirect_reseller', name: uniqueName('Woodgrove') }),
      enrollPartner({ partnerType: 'direct', name: uniqueName('Tailspin') }),
    ]);
    await Promise.all([
      establishPartnership(provider, reseller),
      establishPartnership(rival, rivalReseller),
    ]);
    shared = await createCustomer(
      provider,
      newCustomerBody({
        indirectResellerId: reseller.tenantId,
        subscriptions: [{ offerId: OFFER_ID, quantity: 50 }],
      }),
    );
    customerId = shared.id;
    [providerOrder] = shared.subscriptions;
    customerAdmin = (
      await activateUser(shared.userCredentials.userName, shared.userCredentials.password)
    ).token;
    // The rival becomes a reseller of record of the same customer, as Partner Center allows.
    const sent = await draftRelationshipRequest(rival, {
      email: shared.userCredentials.userName,
      delegatedAdmin: true,
    });
    await acceptRelationship({ token: customerAdmin }, tokenOfLink(sent.draft.link));
    [resellerOrder, rivalOrder] = await Promise.all([
      order(reseller.token, customerId, { offerId: OFFER_ID, quantity: 2 }),
      order(rival.token, customerId, { offerId: OTHER_OFFER, quantity: 5 }),
    ]);
  });

  it('shows a rival partner of the same customer only its own orders', async () => {
    expect(await idsSeenBy(rival.token, customerId)).toEqual([rivalOrder.id]);
    const rivalSales = await addActiveUser(rival.token, ['SalesAgent']);
    const rivalHelpdesk = await addActiveUser(rival.token, ['HelpdeskAgent']);
    expect(await idsSeenBy(rivalSales.token, customerId)).toEqual([rivalOrder.id]);
    expect(await idsSeenBy(rivalHelpdesk.token, customerId)).toEqual([rivalOrder.id]);
    // The ordering provider sees its own order and not the rival's (nor its reseller's own).
    expect(await idsSeenBy(provider.token, customerId)).toEqual([providerOrder.id]);
  });

  it("refuses a rival's change of another partner's subscription exactly as an unknown id, changing nothing", async () => {
    const rivalSales = await addActiveUser(rival.token, ['SalesAgent']);
    const before = await subscriptionRow(providerOrder.id);
    // The attack of the issue: suspend it, cut it to one seat, move the reseller of record and the
    // support contact to the rival's own reseller.
    const attacks: object[] = [
      { status: 'suspended' },
      { quantity: 1 },
      { associatedResellerMpnId: rivalReseller.mpnId },
      { designatedSupportContactId: rivalReseller.tenantId },
      { associatedResellerMpnId: null, designatedSupportContactId: null },
    ];
    for (const token of [rival.token, rivalSales.token]) {
      for (const body of attacks) {
        const unknown = await patch(token, customerId, randomUUID(), body);
        expectSameAsUnknown(await patch(token, customerId, providerOrder.id, body), unknown);
        expectSameAsUnknown(await patch(token, customerId, resellerOrder.id, body), unknown);
      }
    }
    expect(await subscriptionRow(providerOrder.id)).toEqual(before);
    // The owner still changes it.
    expect(
      expectStatus<Subscription>(
        await patch(provider.token, customerId, providerOrder.id, { quantity: 40 }),
        200,
      ).quantity,
    ).toBe(40);
  });

  it("lets the associated indirect reseller read the provider's orders, read only", async () => {
    expect(await idsSeenBy(reseller.token, customerId)).toEqual(
      [providerOrder.id, resellerOrder.id].sort(),
    );
    const before = await subscriptionRow(providerOrder.id);
    const unknown = await patch(reseller.token, customerId, randomUUID(), { quantity: 3 });
    expectSameAsUnknown(
      await patch(reseller.token, customerId, providerOrder.id, { quantity: 3 }),
      unknown,
    );
    expectSameAsUnknown(
      await patch(reseller.token, customerId, providerOrder.id, { status: 'suspended' }),
      await patch(reseller.token, customerId, randomUUID(), { status: 'suspended' }),
    );
    expect(await subscriptionRow(providerOrder.id)).toEqual(before);
    // Its own order is its own to change.
    expect(
      expectStatus<Subscription>(
        await patch(reseller.token, customerId, resellerOrder.id, { quantity: 3 }),
        200,
      ).quantity,
    ).toBe(3);
  });

  it('shows a reseller the orders that name it by Partner ID, not the others, when the customer is not associated with it', async () => {
    // A customer the provider created for itself; the reseller has its own relationship with it.
    const own = await createCustomer(provider, newCustomerBody({ subscriptions: [] }));
    const admin = await activateUser(own.userCredentials.userName, own.userCredentials.password);
    const sent = await draftRelationshipRequest(reseller, {
      email: own.userCredentials.userName,
      delegatedAdmin: false,
    });
    await acceptRelationship(admin, tokenOfLink(sent.draft.link));
    const named = await order(provider.token, own.id, {
      offerId: OFFER_ID,
      quantity: 4,
      associatedResellerMpnId: reseller.mpnId,
    });
    const unnamed = await order(provider.token, own.id, {
      offerId: OFFER_ID,
      quantity: 6,
    });
    expect(await idsSeenBy(reseller.token, own.id)).toEqual([named.id]);
    expect(await idsSeenBy(provider.token, own.id)).toEqual([named.id, unnamed.id].sort());
    expectSameAsUnknown(
      await patch(reseller.token, own.id, named.id, { quantity: 1 }),
      await patch(reseller.token, own.id, randomUUID(), { quantity: 1 }),
    );
  });

  it('answers a stranger partner without a relationship 404 customer.not_found, as for a customer that exists nowhere', async () => {
    for (const [path, send] of [
      [(id: string) => `/v1/customers/${id}/subscriptions`, undefined],
      [(id: string) => `/v1/customers/${id}/subscriptions/${providerOrder.id}`, { quantity: 1 }],
    ] as const) {
      const call = (id: string) =>
        send
          ? api('relationships').patch(path(id)).set(bearer(stranger.token)).send(send)
          : api('relationships').get(path(id)).set(bearer(stranger.token));
      const refused = await call(customerId);
      const nowhere = await call(randomUUID());
      expectApiError(refused, 404, 'customer.not_found', 'relationships');
      expect(refused.text).toBe(nowhere.text);
    }
  });

  it('shuts out a partner whose relationship with the customer ended: neither its list nor its own subscriptions', async () => {
    const customer = await createCustomer(provider, newCustomerBody({ subscriptions: [] }));
    const admin = await activateUser(
      customer.userCredentials.userName,
      customer.userCredentials.password,
    );
    const sent = await draftRelationshipRequest(rival, {
      email: customer.userCredentials.userName,
      delegatedAdmin: false,
    });
    await acceptRelationship(admin, tokenOfLink(sent.draft.link));
    const ordered = await order(rival.token, customer.id, {
      offerId: OFFER_ID,
      quantity: 2,
    });
    expectStatus(await patch(rival.token, customer.id, ordered.id, { status: 'suspended' }), 200);
    expectStatus(
      await api('relationships')
        .patch(`/v1/customers/${customer.id}`)
        .set(bearer(rival.token))
        .send({ relationshipToPartner: 'none' }),
      200,
    );
    expectApiError(await subscriptionsOf(rival.token, customer.id), 404, 'customer.not_found');
    const before = await subscriptionRow(ordered.id);
    expectApiError(
      await patch(rival.token, customer.id, ordered.id, { status: 'active' }),
      404,
      'customer.not_found',
    );
    expect(await subscriptionRow(ordered.id)).toEqual(before);
  });

  it('refuses the roles without the permission: reading (Billing admin) and changing (Helpdesk agent)', async () => {
    const [billing, helpdesk] = await Promise.all([
      addActiveUser(provider.token, ['BillingAdmin']),
      addActiveUser(provider.token, ['HelpdeskAgent']),
    ]);
    expectApiError(await subscriptionsOf(billing.token, customerId), 403, 'auth.forbidden');
    expectApiError(
      await patch(helpdesk.token, customerId, providerOrder.id, { quantity: 2 }),
      403,
      'auth.forbidden',
    );
  });

  describe("the customer's own view: GET /v1/customer-subscriptions", () => {
    function customerSubscriptions(token: string): Promise<Response> {
      return api('relationships').get('/v1/customer-subscriptions?size=100').set(bearer(token));
    }

    it('lists every subscription of the customer with its partner and designated support contact, to its Global admin and Billing admin', async () => {
      const billing = await addActiveUser(customerAdmin, ['BillingAdmin']);
      for (const token of [customerAdmin, billing.token]) {
        const page = expectStatus<Collection<CustomerSubscription>>(
          await customerSubscriptions(token),
          200,
        );
        const byId = new Map(page.items.map((item) => [item.id, item]));
        expect([...byId.keys()].sort()).toEqual(
          [providerOrder.id, resellerOrder.id, rivalOrder.id].sort(),
        );
        expect(byId.get(providerOrder.id)).toMatchObject({
          partnerId: provider.mpnId,
          partner: { id: provider.tenantId, name: provider.name, mpnId: provider.mpnId },
          designatedSupportContact: null,
          attributes: { objectType: 'Subscription' },
        });
        expect(byId.get(rivalOrder.id)?.partner).toEqual({
          id: rival.tenantId,
          name: rival.name,
          mpnId: rival.mpnId,
        });
        expect(byId.get(resellerOrder.id)?.partner.id).toBe(reseller.tenantId);
      }
    });

    it('shows the designated support contact the provider chose', async () => {
      const supported = await order(provider.token, customerId, {
        offerId: OFFER_ID,
        quantity: 1,
        designatedSupportContactId: reseller.tenantId,
      });
      const page = expectStatus<Collection<CustomerSubscription>>(
        await customerSubscriptions(customerAdmin),
        200,
      );
      expect(page.items.find((item) => item.id === supported.id)).toMatchObject({
        designatedSupportContact: {
          id: reseller.tenantId,
          name: reseller.name,
          mpnId: reseller.mpnId,
        },
        partner: { id: provider.tenantId },
      });
    });

    it("is read only, refused to the customer's User management admin and to partners, and shows another customer none of them", async () => {
      const userAdmin = await addActiveUser(customerAdmin, ['UserManagementAdmin']);
      expectApiError(await customerSubscriptions(userAdmin.token), 403, 'auth.forbidden');
      for (const partnerToken of [provider.token, rival.token, stranger.token]) {
        expectApiError(await customerSubscriptions(partnerToken), 403, 'auth.forbidden');
      }
      // The customer cannot change a subscription through the partners' route.
      expectApiError(
        await patch(customerAdmin, customerId, providerOrder.id, { quantity: 1 }),
        403,
        'auth.forbidden',
      );
      const other: SignedUpCustomer = await signUpCustomer();
      const page = expectStatus<Collection<CustomerSubscription>>(
        await customerSubscriptions(other.token),
        200,
      );
      expect(page.items).toEqual([]);
    });
  });
});
