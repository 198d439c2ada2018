import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import {
  acceptRelationship,
  activateUser,
  addActiveUser,
  api,
  bearer,
  createCustomer,
  dbRows,
  draftRelationshipRequest,
  enrollPartner,
  establishPartnership,
  expectApiError,
  expectStatus,
  newCustomerBody,
  OFFER_ID,
  tokenOfLink,
  uniqueName,
  type Collection,
  type CreatedCustomer,
  type EnrolledPartner,
  type Subscription,
  type SupportContact,
} from '../support';

/**
 * Subscriptions as Partner Center serves them (issue 11 "Resources to complete: Subscriptions";
 * partner-center-api.md §9): one subscription, PATCH under `If-Match` (missing 428, stale 412,
 * fresh 200 with a new `attributes.etag`), `partnerId` the reseller of record's Partner ID (MPN
 * ID), `friendlyName`, and the designated support contact as the `supportcontact` resource. The
 * ownership rules hold: a co-partner of the same customer gets the answer of an id that exists
 * nowhere, the associated reseller reads and does not change, a stranger and a partner whose
 * relationship ended get the answer of an unknown customer; each role as the matrix says.
 */

const path = (customerId: string, id: string) => `/v1/customers/${customerId}/subscriptions/${id}`;

const getOne = (token: string, customerId: string, id: string) =>
  api('relationships').get(path(customerId, id)).set(bearer(token));

function patch(
  token: string,
  customerId: string,
  id: string,
  body: object,
  ifMatch?: string,
): Promise<Response> {
  const request = api('relationships').patch(path(customerId, id)).set(bearer(token));
  return (ifMatch === undefined ? request : request.set('If-Match', ifMatch)).send(body);
}

const getContact = (token: string, customerId: string, id: string) =>
  api('relationships')
    .get(`${path(customerId, id)}/supportcontact`)
    .set(bearer(token));

const putContact = (token: string, customerId: string, id: string, body: object) =>
  api('relationships')
    .put(`${path(customerId, id)}/supportcontact`)
    .set(bearer(token))
    .send(body);

async function row(id: string) {
  const [found] = await dbRows<{
    quantity: number;
    status: string;
    friendly_name: string | null;
    version: number;
    designated_support_contact_id: string | null;
  }>(
    'relationships',
    'select quantity, status, friendly_name, version, designated_support_contact_id from subscription where id = $1',
    [id],
  );
  return found;
}

async function updatedEvents(id: string): Promise<number> {
  const [found] = await dbRows<{ n: string }>(
    'relationships',
    `select count(*) as n from activity_log_entry where type = 'subscription.updated' and resource_id = $1`,
    [id],
  );
  return Number(found.n);
}

/** `response` is the very answer `unknown` got (same status and body). */
function expectSame(response: Response, unknown: Response, status: number, code: string): void {
  expectApiError(response, status, code, 'relationships');
  expect(response.status).toBe(unknown.status);
  expect(response.text).toBe(unknown.text);
}

describe('subscriptions as Partner Center serves them', () => {
  let provider: EnrolledPartner;
  let reseller: EnrolledPartner;
  let strayReseller: EnrolledPartner;
  let rival: EnrolledPartner;
  let stranger: EnrolledPartner;
  let former: EnrolledPartner;
  let shared: CreatedCustomer;
  let customerId: string;
  let order: Subscription;
  let rivalOrder: Subscription;
  let formerOrder: Subscription;

  beforeAll(async () => {
    [provider, reseller, strayReseller, rival, stranger, former] = await Promise.all([
      enrollPartner({ partnerType: 'indirect_provider', name: uniqueName('Contoso Distribution') }),
      enrollPartner({ partnerType: 'indirect_reseller', name: uniqueName('Fabrikam') }),
      enrollPartner({ partnerType: 'indirect_reseller', name: uniqueName('Litware') }),
      enrollPartner({ partnerType: 'direct', name: uniqueName('Wingtip') }),
      enrollPartner({ partnerType: 'direct', name: uniqueName('Tailspin') }),
      enrollPartner({ partnerType: 'direct', name: uniqueName('Northwind') }),
    ]);
    await establishPartnership(provider, reseller);
    shared = await createCustomer(
      provider,
      newCustomerBody({
        indirectResellerId: reseller.tenantId,
        subscriptions: [{ offerId: OFFER_ID, quantity: 10 }],
      }),
    );
    customerId = shared.id;
    [order] = shared.subscriptions;
    const admin = await activateUser(
      shared.userCredentials.userName,
      shared.userCredentials.password,
    );
    // Two more partners of the same customer: the rival stays, the former one leaves.
    for (const partner of [rival, former]) {
      const sent = await draftRelationshipRequest(partner, {
        email: shared.userCredentials.userName,
        delegatedAdmin: true,
      });
      await acceptRelationship({ token: admin.token }, tokenOfLink(sent.draft.link));
    }
    const orderAs = async (token: string) =>
      expectStatus<Subscription>(
        await api('relationships')
          .post(`/v1/customers/${customerId}/subscriptions`)
          .set(bearer(token))
          .send({ offerId: OFFER_ID, quantity: 2, friendlyName: 'Front desk seats' }),
        201,
      );
    [rivalOrder, formerOrder] = [await orderAs(rival.token), await orderAs(former.token)];
    expectStatus(
      await patch(former.token, customerId, formerOrder.id, { status: 'suspended' }, '*'),
      200,
    );
    expectStatus(
      await api('relationships')
        .patch(`/v1/customers/${customerId}`)
        .set(bearer(former.token))
        .send({ relationshipToPartner: 'none' }),
      200,
    );
  }, 180_000);

  it('answers one subscription with its etag, self link, friendly name and the reseller of record', async () => {
    const one = expectStatus<Subscription>(await getOne(provider.token, customerId, order.id), 200);
    expect(one).toMatchObject({
      id: order.id,
      offerId: OFFER_ID,
      friendlyName: 'Microsoft 365 Business Basic',
      quantity: 10,
      status: 'active',
      // No associated reseller named on the order: the ordering provider is the reseller of record.
      partnerId: provider.mpnId,
      links: { self: { uri: path(customerId, order.id), method: 'GET' } },
      attributes: { objectType: 'Subscription', etag: expect.any(String) as unknown },
    });
    expect(one.attributes.etag).toBe(order.attributes.etag);
    expect(rivalOrder).toMatchObject({ friendlyName: 'Front desk seats', partnerId: rival.mpnId });
    // The associated reseller reads the provider's order.
    expect(
      expectStatus<Subscription>(await getOne(reseller.token, customerId, order.id), 200).id,
    ).toBe(order.id);
  });

  it("filters by the reseller of record's Partner ID (mpn_id), never showing another partner's orders", async () => {
    const associated = expectStatus<Subscription>(
      await api('relationships')
        .post(`/v1/customers/${customerId}/subscriptions`)
        .set(bearer(provider.token))
        .send({ offerId: OFFER_ID, quantity: 3, associatedResellerMpnId: reseller.mpnId }),
      201,
    );
    expect(associated.partnerId).toBe(reseller.mpnId);
    const ids = async (token: string, query: string) =>
      expectStatus<Collection<Subscription>>(
        await api('relationships')
          .get(`/v1/customers/${customerId}/subscriptions?${query}`)
          .set(bearer(token)),
        200,
      ).items.map((s) => s.id);
    expect(await ids(provider.token, `mpn_id=${reseller.mpnId}`)).toEqual([associated.id]);
    expect(await ids(provider.token, `mpn_id=${provider.mpnId}`)).toEqual([order.id]);
    // The associated reseller reads the order that names it; the rival's stays the rival's.
    expect(await ids(reseller.token, `mpn_id=${reseller.mpnId}`)).toEqual([associated.id]);
    expect(await ids(provider.token, `mpn_id=${rival.mpnId}`)).toEqual([]);
    expect(await ids(rival.token, `mpn_id=${rival.mpnId}`)).toEqual([rivalOrder.id]);
    for (const query of ['mpn_id=abc', 'mpn_id=', 'mpnId=123456']) {
      expectApiError(
        await api('relationships')
          .get(`/v1/customers/${customerId}/subscriptions?${query}`)
          .set(bearer(provider.token)),
        400,
        'request.invalid',
      );
    }
  });

  it("answers a co-partner's subscription as one that exists nowhere, a stranger and a former partner as an unknown customer", async () => {
    expectSame(
      await getOne(rival.token, customerId, order.id),
      await getOne(rival.token, customerId, randomUUID()),
      404,
      'subscription.not_found',
    );
    expectSame(
      await getOne(provider.token, customerId, rivalOrder.id),
      await getOne(provider.token, customerId, randomUUID()),
      404,
      'subscription.not_found',
    );
    for (const outsider of [stranger, former]) {
      expectSame(
        await getOne(outsider.token, customerId, order.id),
        await getOne(outsider.token, randomUUID(), order.id),
        404,
        'customer.not_found',
      );
      expectSame(
        await getContact(outsider.token, customerId, order.id),
        await getContact(outsider.token, randomUUID(), order.id),
        404,
        'customer.not_found',
      );
    }
    // The former partner's own order is out of its reach too.
    expectApiError(
      await getOne(former.token, customerId, formerOrder.id),
      404,
      'customer.not_found',
    );
  });

  it('changes a subscription only under a fresh If-Match: missing 428, stale 412, fresh 200 with a new etag', async () => {
    const before = await row(order.id);
    const current = order.attributes.etag;
    expectApiError(
      await patch(provider.token, customerId, order.id, { quantity: 11 }),
      428,
      'request.precondition_required',
    );
    expectApiError(
      await patch(provider.token, customerId, order.id, { quantity: 11 }, '"not-the-etag"'),
      412,
      'request.etag_mismatch',
    );
    expect(await row(order.id)).toEqual(before);

    const changed = expectStatus<Subscription>(
      await patch(
        provider.token,
        customerId,
        order.id,
        { quantity: 11, friendlyName: 'Head office', status: 'suspended' },
        `"${current}"`,
      ),
      200,
    );
    expect(changed).toMatchObject({
      quantity: 11,
      friendlyName: 'Head office',
      status: 'suspended',
    });
    expect(changed.attributes.etag).not.toBe(current);
    expect(await row(order.id)).toMatchObject({
      quantity: 11,
      status: 'suspended',
      friendly_name: 'Head office',
      version: before.version + 1,
    });
    // The etag read before the change is stale now; the new one works, the whole resource
    // sent back as the SDK does (read-only fields ignored).
    expectApiError(
      await patch(provider.token, customerId, order.id, { status: 'active' }, current),
      412,
      'request.etag_mismatch',
    );
    const reread = expectStatus<Subscription>(
      await getOne(provider.token, customerId, order.id),
      200,
    );
    expect(reread.attributes.etag).toBe(changed.attributes.etag);
    const reactivated = expectStatus<Subscription>(
      await patch(
        provider.token,
        customerId,
        order.id,
        { ...reread, status: 'active' },
        reread.attributes.etag,
      ),
      200,
    );
    expect(reactivated).toMatchObject({ status: 'active', quantity: 11 });
    // A field that is no part of the Subscription is refused, nothing written.
    const now = await row(order.id);
    expectApiError(
      await patch(provider.token, customerId, order.id, { seats: 3 }, reactivated.attributes.etag),
      400,
      'request.invalid',
    );
    expect(await row(order.id)).toEqual(now);
  });

  it('lets neither the associated reseller nor a co-partner change it: the answer of an id that exists nowhere', async () => {
    const before = await row(order.id);
    for (const partner of [reseller, rival]) {
      expectSame(
        await patch(partner.token, customerId, order.id, { quantity: 3 }, '*'),
        await patch(partner.token, customerId, randomUUID(), { quantity: 3 }, '*'),
        404,
        'subscription.not_found',
      );
      expectSame(
        await putContact(partner.token, customerId, order.id, {
          supportTenantId: partner.tenantId,
        }),
        await putContact(partner.token, customerId, randomUUID(), {
          supportTenantId: partner.tenantId,
        }),
        404,
        'subscription.not_found',
      );
    }
    for (const outsider of [stranger, former]) {
      expectSame(
        await patch(outsider.token, customerId, order.id, { quantity: 3 }, '*'),
        await patch(outsider.token, randomUUID(), order.id, { quantity: 3 }, '*'),
        404,
        'customer.not_found',
      );
    }
    expect(await row(order.id)).toEqual(before);
  });

  it('answers each role as the matrix says: agents read, Sales agent and Admin agent change, Billing admin neither', async () => {
    const [admin, sales, helpdesk, billing, users] = await Promise.all(
      [
        ['AdminAgent'],
        ['SalesAgent'],
        ['HelpdeskAgent'],
        ['BillingAdmin'],
        ['UserManagementAdmin'],
      ].map((roles) => addActiveUser(provider.token, roles, { company: 'contoso' })),
    );
    for (const reader of [admin, sales, helpdesk, users]) {
      expectStatus(await getOne(reader.token, customerId, order.id), 200);
      expectStatus(await getContact(reader.token, customerId, order.id), 200);
    }
    expectApiError(await getOne(billing.token, customerId, order.id), 403, 'auth.forbidden');
    for (const changer of [admin, sales]) {
      expectStatus(await patch(changer.token, customerId, order.id, { quantity: 10 }, '*'), 200);
    }
    for (const reader of [helpdesk, billing, users]) {
      expectApiError(
        await patch(reader.token, customerId, order.id, { quantity: 9 }, '*'),
        403,
        'auth.forbidden',
      );
      expectApiError(
        await putContact(reader.token, customerId, order.id, {
          supportTenantId: provider.tenantId,
        }),
        403,
        'auth.forbidden',
      );
    }
  });

  it('serves the designated support contact as the supportcontact resource: the provider by default, one of its resellers when designated', async () => {
    expect(
      expectStatus<SupportContact>(await getContact(provider.token, customerId, order.id), 200),
    ).toEqual({
      supportTenantId: provider.tenantId,
      supportMpnId: provider.mpnId,
      name: provider.name,
      links: {
        self: { uri: `${path(customerId, order.id)}/supportcontact`, method: 'GET', headers: [] },
      },
      attributes: { objectType: 'SupportContact' },
    });
    const etagBefore = (await row(order.id)).version;
    const eventsBefore = await updatedEvents(order.id);

    const designated = expectStatus<SupportContact>(
      await putContact(provider.token, customerId, order.id, {
        supportTenantId: reseller.tenantId,
        supportMpnId: reseller.mpnId,
        name: 'ignored',
        attributes: { objectType: 'SupportContact' },
      }),
      200,
    );
    expect(designated).toMatchObject({
      supportTenantId: reseller.tenantId,
      supportMpnId: reseller.mpnId,
      name: reseller.name,
    });
    expect(await updatedEvents(order.id)).toBe(eventsBefore + 1);
    expect(await row(order.id)).toMatchObject({
      designated_support_contact_id: reseller.tenantId,
      version: etagBefore + 1,
    });
    // The reseller reads the same contact and the subscription names it.
    expect(
      expectStatus<SupportContact>(await getContact(reseller.token, customerId, order.id), 200),
    ).toMatchObject({ supportTenantId: reseller.tenantId });
    expect(
      expectStatus<Subscription>(await getOne(provider.token, customerId, order.id), 200)
        .designatedSupportContact,
    ).toEqual({ id: reseller.tenantId, name: reseller.name, mpnId: reseller.mpnId });

    // Not one of the provider's resellers, or a Partner ID that is not the reseller's: 422,
    // nothing written.
    const before = await row(order.id);
    expectApiError(
      await putContact(provider.token, customerId, order.id, {
        supportTenantId: strayReseller.tenantId,
      }),
      422,
      'subscription.invalid_support_contact',
    );
    expectApiError(
      await putContact(provider.token, customerId, order.id, {
        supportTenantId: reseller.tenantId,
        supportMpnId: strayReseller.mpnId,
      }),
      422,
      'subscription.invalid_support_contact',
    );
    expectApiError(
      await putContact(provider.token, customerId, order.id, { supportMpnId: reseller.mpnId }),
      400,
      'request.invalid',
    );
    expect(await row(order.id)).toEqual(before);

    // The provider itself: back to the default.
    expect(
      expectStatus<SupportContact>(
        await putContact(provider.token, customerId, order.id, {
          supportTenantId: provider.tenantId,
        }),
        200,
      ),
    ).toMatchObject({ supportTenantId: provider.tenantId, supportMpnId: provider.mpnId });
    expect((await row(order.id)).designated_support_contact_id).toBeNull();

    // A direct partner has no resellers to designate.
    expectApiError(
      await putContact(rival.token, customerId, rivalOrder.id, {
        supportTenantId: reseller.tenantId,
      }),
      422,
      'subscription.invalid_support_contact',
    );
  });
});
