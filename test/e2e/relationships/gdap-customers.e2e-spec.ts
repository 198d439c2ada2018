import { randomUUID } from 'node:crypto';
import { api, bearer, enrollPartner, expectStatus, signUpCustomer, uniqueName } from '../support';
import { comparableErrorText } from '../support/graph-errors';
import {
  activeGdap,
  createGdap,
  expectGraphError,
  gdapBody,
  gdapChannel,
  relateCustomer,
  type GdapChannel,
} from '../support/relationships/gdap';

/**
 * Issue 10: Graph's delegated admin customers (`GET /v1/tenantRelationships/delegatedAdminCustomers`
 * and `/{id}`): the customers with at least one delegated admin relationship of the caller, in
 * Graph's shape (`@odata.context`, `value` of `{ id, tenantId, displayName }`, `$top`,
 * `@odata.nextLink`), scoped to the caller's own relationships: a stranger partner sees none of
 * them and reads each as a tenant that exists nowhere; a co-partner of the same customer sees only
 * the customers of its own relationships; a customer's user gets an empty list.
 */

const CUSTOMERS_PATH = '/v1/tenantRelationships/delegatedAdminCustomers';

interface CustomerList {
  '@odata.context': string;
  value: { id: string; tenantId: string; displayName: string }[];
  '@odata.nextLink'?: string;
}

function listCustomers(token: string, query: Record<string, string> = {}) {
  return api('relationships').get(CUSTOMERS_PATH).query(query).set(bearer(token));
}
function getCustomer(token: string, id: string) {
  return api('relationships').get(`${CUSTOMERS_PATH}/${id}`).set(bearer(token));
}

describe('GDAP: delegated admin customers (issue 10)', () => {
  let channel: GdapChannel;
  let second: GdapChannel['customer'];
  let firstName: string;
  let secondName: string;

  beforeAll(async () => {
    channel = await gdapChannel();
    second = await signUpCustomer({ companyName: uniqueName('Adatum') });
    await relateCustomer(channel.partner, second);
    // A draft naming the first customer, an active relationship with the second, and a draft that
    // names no customer yet (it adds none).
    const draft = await createGdap(channel.partner.token, gdapBody(channel.customer.tenantId));
    const active = await activeGdap({ partner: channel.partner, customer: second });
    await createGdap(channel.partner.token, gdapBody(undefined));
    firstName = draft.customer!.displayName;
    secondName = active.customer!.displayName;
  }, 180_000);

  it("lists the customers of the caller's relationships in Graph's shape, with $top and nextLink", async () => {
    const { partner, customer } = channel;
    const all = expectStatus<CustomerList>(await listCustomers(partner.token), 200);
    expect(Object.keys(all).sort()).toEqual(['@odata.context', 'value']);
    expect(all['@odata.context']).toMatch(
      /\/v1\/\$metadata#tenantRelationships\/delegatedAdminCustomers$/,
    );
    const expected = [
      { id: customer.tenantId, tenantId: customer.tenantId, displayName: firstName },
      { id: second.tenantId, tenantId: second.tenantId, displayName: secondName },
    ].sort((a, b) => a.displayName.localeCompare(b.displayName));
    expect(all.value).toEqual(expected);

    const page = expectStatus<CustomerList>(await listCustomers(partner.token, { $top: '1' }), 200);
    expect(page.value).toEqual([expected[0]]);
    const next = new URL(page['@odata.nextLink']!);
    expect(next.pathname).toBe(CUSTOMERS_PATH);
    const rest = expectStatus<CustomerList>(
      await api('relationships').get(`${next.pathname}${next.search}`).set(bearer(partner.token)),
      200,
    );
    expect(rest.value).toEqual([expected[1]]);
    expect(rest['@odata.nextLink']).toBeUndefined();

    const refused: Record<string, string>[] = [
      { $top: '0' },
      { $top: '301' },
      { $filter: "status eq 'active'" },
    ];
    for (const query of refused) {
      expectGraphError(await listCustomers(partner.token, query), 400, 'request.invalid');
    }
  });

  it('reads one customer by its tenant id; a tenant without a relationship answers as one that exists nowhere', async () => {
    const { partner, customer } = channel;
    expect(expectStatus(await getCustomer(partner.token, customer.tenantId), 200)).toEqual({
      id: customer.tenantId,
      tenantId: customer.tenantId,
      displayName: firstName,
    });
    const nowhere = await getCustomer(partner.token, randomUUID());
    expectGraphError(nowhere, 404, 'gdap.delegated_admin_customer_not_found');
    expectGraphError(await getCustomer(partner.token, 'not-a-uuid'), 400, 'request.invalid');
  });

  it('shows a stranger none, a co-partner of the same customer only its own, a customer nothing', async () => {
    const { partner, customer } = channel;
    const [stranger, coPartner] = await Promise.all([
      enrollPartner({ partnerType: 'direct', name: uniqueName('Stranger') }),
      enrollPartner({ partnerType: 'direct', name: uniqueName('Tailspin') }),
    ]);
    expect(expectStatus<CustomerList>(await listCustomers(stranger.token), 200).value).toEqual([]);
    const theirs = await getCustomer(stranger.token, customer.tenantId);
    expectGraphError(theirs, 404, 'gdap.delegated_admin_customer_not_found');
    const twinId = randomUUID();
    const twin = await getCustomer(stranger.token, twinId);
    expect(comparableErrorText(theirs.text)).toBe(
      comparableErrorText(twin.text.split(twinId).join(customer.tenantId)),
    );
    expect(theirs.text).not.toContain(firstName);

    // The co-partner shares the first customer (its own reseller relationship): before its own
    // delegated admin relationship it sees nothing, then that customer only, never the second.
    await relateCustomer(coPartner, customer);
    expect(expectStatus<CustomerList>(await listCustomers(coPartner.token), 200).value).toEqual([]);
    expectGraphError(
      await getCustomer(coPartner.token, customer.tenantId),
      404,
      'gdap.delegated_admin_customer_not_found',
    );
    await createGdap(coPartner.token, gdapBody(customer.tenantId));
    const shared = expectStatus<CustomerList>(await listCustomers(coPartner.token), 200);
    expect(shared.value.map((c) => c.tenantId)).toEqual([customer.tenantId]);
    expectGraphError(
      await getCustomer(coPartner.token, second.tenantId),
      404,
      'gdap.delegated_admin_customer_not_found',
    );
    // The first partner's list did not change.
    const own = expectStatus<CustomerList>(await listCustomers(partner.token), 200);
    expect(own.value.map((c) => c.tenantId).sort()).toEqual(
      [customer.tenantId, second.tenantId].sort(),
    );

    // A customer's Global admin (who reads the relationships naming it) is no partner of any.
    expect(expectStatus<CustomerList>(await listCustomers(customer.token), 200).value).toEqual([]);
    expectGraphError(
      await getCustomer(customer.token, customer.tenantId),
      404,
      'gdap.delegated_admin_customer_not_found',
    );
  });
});
