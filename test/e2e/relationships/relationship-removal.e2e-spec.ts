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
  tokenOfLink,
  uniqueName,
  type CreatedCustomer,
  type Customer,
  type EnrolledPartner,
  type Subscription,
} from '../support';

/**
 * A reseller relationship with active subscriptions cannot be removed (issue "Trust between
 * partners who share a customer", point 2; Partner Center: suspend or cancel them first). Removing
 * it would leave the subscriptions orphaned: nobody could suspend them any more. Each partner's
 * own active orders block its own removal, and only those: an indirect provider's orders that name
 * its reseller stay managed by the provider, so they block the provider's removal and not the
 * reseller's. Suspended subscriptions do not block.
 */

function removeRelationship(token: string, customerId: string): Promise<Response> {
  return api('relationships')
    .patch(`/v1/customers/${customerId}`)
    .set(bearer(token))
    .send({ relationshipToPartner: 'none' });
}

function suspend(token: string, customerId: string, id: string): Promise<Response> {
  return api('relationships')
    .patch(`/v1/customers/${customerId}/subscriptions/${id}`)
    .set(bearer(token))
    .set('If-Match', '*')
    .send({ status: 'suspended' });
}

function order(token: string, customerId: string, body: object): Promise<Subscription> {
  return api('relationships')
    .post(`/v1/customers/${customerId}/subscriptions`)
    .set(bearer(token))
    .send(body)
    .then((response) => expectStatus<Subscription>(response, 201));
}

async function relationshipsOf(customerId: string): Promise<unknown> {
  return dbRows(
    'relationships',
    `select partner_tenant_id, status, removed_at, delegated_admin_status, updated_at
       from reseller_relationship where customer_id = $1 order by partner_tenant_id`,
    [customerId],
  );
}

async function subscriptionsOf(customerId: string): Promise<unknown> {
  return dbRows(
    'relationships',
    'select id, status, quantity, updated_at from subscription where customer_id = $1 order by id',
    [customerId],
  );
}

/** `data` of 409 `customer.active_subscriptions`: the active subscriptions that block. */
type Blocked = { id: string; offerId: string; offerName: string; status: string }[];

describe('removing a reseller relationship with active subscriptions', () => {
  let provider: EnrolledPartner;
  let reseller: EnrolledPartner;
  let stranger: EnrolledPartner;

  beforeAll(async () => {
    [provider, reseller, stranger] = await Promise.all([
      enrollPartner({ partnerType: 'indirect_provider', name: uniqueName('Contoso Distribution') }),
      enrollPartner({ partnerType: 'indirect_reseller', name: uniqueName('Fabrikam') }),
      enrollPartner({ partnerType: 'direct', name: uniqueName('Tailspin') }),
    ]);
    await establishPartnership(provider, reseller);
  });

  it('answers 409 listing the active subscriptions (ids, offer, status) and changes nothing, then removes once they are suspended', async () => {
    const created: CreatedCustomer = await createCustomer(
      provider,
      newCustomerBody({
        indirectResellerId: reseller.tenantId,
        subscriptions: [
          { offerId: OFFER_ID, quantity: 50 },
          { offerId: 'office-365-e3', quantity: 5 },
        ],
      }),
    );
    const customerId = created.id;
    const [first, second] = created.subscriptions;
    const before = {
      relationships: await relationshipsOf(customerId),
      subscriptions: await subscriptionsOf(customerId),
    };

    const refused = expectApiError(
      await removeRelationship(provider.token, customerId),
      409,
      'customer.active_subscriptions',
      'relationships',
    );
    const data = refused.data as Blocked;
    expect(refused.description).toMatch(/You have 2 active subscription/);
    expect(data).toHaveLength(2);
    expect(data).toEqual(
      expect.arrayContaining([
        { id: first.id, offerId: OFFER_ID, offerName: first.offerName, status: 'active' },
        { id: second.id, offerId: 'office-365-e3', offerName: 'Office 365 E3', status: 'active' },
      ]),
    );
    expect(await relationshipsOf(customerId)).toEqual(before.relationships);
    expect(await subscriptionsOf(customerId)).toEqual(before.subscriptions);
    // The customer is still the provider's, with its subscriptions still in its hands.
    expect(
      expectStatus<Customer>(
        await api('relationships').get(`/v1/customers/${customerId}`).set(bearer(provider.token)),
        200,
      ).relationshipToPartner,
    ).toBe('reseller');

    // One suspended, one still active: still refused, listing the active one only.
    expectStatus(await suspend(provider.token, customerId, first.id), 200);
    const still = expectApiError(
      await removeRelationship(provider.token, customerId),
      409,
      'customer.active_subscriptions',
    ).data as Blocked;
    expect(still).toEqual([
      { id: second.id, offerId: 'office-365-e3', offerName: 'Office 365 E3', status: 'active' },
    ]);

    expectStatus(await suspend(provider.token, customerId, second.id), 200);
    expect(
      expectStatus<Customer>(await removeRelationship(provider.token, customerId), 200)
        .relationshipToPartner,
    ).toBe('none');
  });

  it("blocks each partner by its own orders only: the provider's order naming the reseller blocks the provider, not the reseller", async () => {
    const created = await createCustomer(
      provider,
      newCustomerBody({ indirectResellerId: reseller.tenantId, subscriptions: [] }),
    );
    const customerId = created.id;
    const providerOrder = await order(provider.token, customerId, {
      offerId: OFFER_ID,
      quantity: 10,
      associatedResellerMpnId: reseller.mpnId,
      designatedSupportContactId: reseller.tenantId,
    });
    const resellerOrder = await order(reseller.token, customerId, {
      offerId: OFFER_ID,
      quantity: 2,
    });

    // Each is refused for its own active order, and each list names its own order only.
    const providerBlocked = expectApiError(
      await removeRelationship(provider.token, customerId),
      409,
      'customer.active_subscriptions',
    ).data as Blocked;
    expect(providerBlocked.map((s) => s.id)).toEqual([providerOrder.id]);
    const resellerBlocked = expectApiError(
      await removeRelationship(reseller.token, customerId),
      409,
      'customer.active_subscriptions',
    ).data as Blocked;
    expect(resellerBlocked.map((s) => s.id)).toEqual([resellerOrder.id]);

    // The reseller suspends its own: it may leave, although the provider's order names it.
    expectStatus(await suspend(reseller.token, customerId, resellerOrder.id), 200);
    expectStatus(await removeRelationship(reseller.token, customerId), 200);
    // The provider's order stays active and in the provider's hands; the provider stays blocked.
    expect(
      expectStatus<Subscription>(
        await api('relationships')
          .patch(`/v1/customers/${customerId}/subscriptions/${providerOrder.id}`)
          .set(bearer(provider.token))
          .set('If-Match', '*')
          .send({ quantity: 12 }),
        200,
      ).status,
    ).toBe('active');
    expectApiError(
      await removeRelationship(provider.token, customerId),
      409,
      'customer.active_subscriptions',
    );
  });

  it('lets a partner leave whatever another partner of the same customer ordered', async () => {
    const created = await createCustomer(provider, newCustomerBody({ subscriptions: [] }));
    const admin = await activateUser(
      created.userCredentials.userName,
      created.userCredentials.password,
    );
    const rival = await enrollPartner({ partnerType: 'direct', name: uniqueName('Litware') });
    const sent = await draftRelationshipRequest(rival, {
      email: created.userCredentials.userName,
      delegatedAdmin: false,
    });
    await acceptRelationship(admin, tokenOfLink(sent.draft.link));
    await order(rival.token, created.id, { offerId: OFFER_ID, quantity: 7 });
    expectStatus(await removeRelationship(provider.token, created.id), 200);
    expectApiError(
      await removeRelationship(rival.token, created.id),
      409,
      'customer.active_subscriptions',
    );
  });

  it('refuses a stranger exactly as a customer that exists nowhere, and the roles without the permission', async () => {
    const created = await createCustomer(
      provider,
      newCustomerBody({ indirectResellerId: reseller.tenantId }),
    );
    const before = await relationshipsOf(created.id);
    const refused = await removeRelationship(stranger.token, created.id);
    const nowhere = await removeRelationship(stranger.token, randomUUID());
    expectApiError(refused, 404, 'customer.not_found', 'relationships');
    expect(refused.text).toBe(nowhere.text);
    const sales = await addActiveUser(provider.token, ['SalesAgent']);
    expectApiError(await removeRelationship(sales.token, created.id), 403, 'auth.forbidden');
    expect(await relationshipsOf(created.id)).toEqual(before);
  });
});
