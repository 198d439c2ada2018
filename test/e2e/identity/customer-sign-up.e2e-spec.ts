import {
  addressIn,
  api,
  bearer,
  countRows,
  dbRows,
  expectApiError,
  expectStatus,
  signIn,
  signUpCustomer,
  strongPassword,
  uniqueDomainPrefix,
  uniqueEmail,
  uniqueName,
} from '../support';

/**
 * Customer sign-up (DESIGN.md "Tenant": a customer has a unique default domain): an existing
 * customer signs up its organisation, `POST /v1/customer-signups`; a default domain prefix already
 * taken is refused with 409 and nothing written; an address with an account in another
 * organisation signs up a new organisation like any other (sign-in names are per organisation,
 * issue 9 point 9; the attacker's view is account-enumeration.e2e-spec.ts).
 */

describe('customer sign-up', () => {
  it('creates the organisation (201) and refuses a default domain prefix already taken (409)', async () => {
    const domainPrefix = uniqueDomainPrefix('northwind');
    const signup = (email: string) => ({
      companyName: uniqueName('Northwind Traders'),
      address: addressIn('DE'),
      country: 'DE',
      cloud: 'public',
      domainPrefix,
      globalAdmin: { firstName: 'Casey', lastName: 'Customer', email, password: strongPassword() },
    });
    const firstEmail = uniqueEmail('admin', 'northwind');
    const created = expectStatus<{ tenantId: string; domain: string; userId: string }>(
      await api('identity').post('/v1/customer-signups').send(signup(firstEmail)),
      201,
    );
    expect(created).toEqual({
      tenantId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      domain: `${domainPrefix}.onmicrosoft.example`,
      userId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    const tenant = await dbRows<{ kind: string; country: string; domain: string }>(
      'identity',
      'select "kind", "country", "domain" from "tenant" where "id" = $1',
      [created.tenantId],
    );
    expect(tenant).toEqual([{ kind: 'customer', country: 'DE', domain: created.domain }]);

    const secondEmail = uniqueEmail('admin', 'northwind');
    const error = expectApiError(
      await api('identity').post('/v1/customer-signups').send(signup(secondEmail)),
      409,
      'customer.domain_taken',
    );
    expect(error.source).toBe('identity');
    expect(
      await countRows('identity', 'select count(*) as n from "tenant" where "domain" = $1', [
        created.domain,
      ]),
    ).toBe(1);
    expect(
      await countRows('identity', 'select count(*) as n from "user_account" where "email" = $1', [
        secondEmail,
      ]),
    ).toBe(0);
  });

  it('signs up a new organisation for an address that has an account in another one (201, created), the other account untouched', async () => {
    const existing = await signUpCustomer();
    const domainPrefix = uniqueDomainPrefix('northwind');
    const password = strongPassword();
    const created = expectStatus<{ tenantId: string; domain: string; userId: string }>(
      await api('identity')
        .post('/v1/customer-signups')
        .send({
          companyName: uniqueName('Northwind Traders'),
          address: addressIn('US'),
          country: 'US',
          cloud: 'public',
          domainPrefix,
          globalAdmin: {
            firstName: 'Casey',
            lastName: 'Customer',
            email: existing.email,
            password,
          },
        }),
      201,
    );
    expect(created.domain).toBe(`${domainPrefix}.onmicrosoft.example`);
    // Sign-in names are per organisation (issue 9 point 9): two accounts of one address.
    expect(
      await dbRows<{ id: string; tenant_id: string }>(
        'identity',
        'select "id", "tenant_id" from "user_account" where "email" = $1 order by "created_at"',
        [existing.email],
      ),
    ).toEqual([
      { id: existing.userId, tenant_id: existing.tenantId },
      { id: created.userId, tenant_id: created.tenantId },
    ]);
    // Each signs in to its own organisation; the first account is untouched.
    const me = async (token: string) =>
      expectStatus<{ user: { id: string } }>(
        await api('identity').get('/v1/me').set(bearer(token)),
        200,
      ).user.id;
    expect(await me((await signIn(existing.email, existing.password)).accessToken)).toBe(
      existing.userId,
    );
    expect(await me((await signIn(existing.email, password)).accessToken)).toBe(created.userId);
  });
});
