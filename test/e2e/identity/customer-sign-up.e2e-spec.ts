import {
  addressIn,
  api,
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
  waitForEmail,
} from '../support';

/**
 * Customer sign-up (DESIGN.md "Tenant": a customer has a unique default domain): an existing
 * customer signs up its organisation, `POST /v1/customer-signups`; a default domain prefix already
 * taken is refused with 409 and nothing written; an email that already has an account is answered
 * like a new one, nothing is created and the address is told, at most once an hour.
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

  it('customer sign-up: the same 201 for an address with an account, nothing created, the address told once an hour', async () => {
    const existing = await signUpCustomer();
    const signup = (email: string, domainPrefix = uniqueDomainPrefix('northwind')) => ({
      companyName: uniqueName('Northwind Traders'),
      address: addressIn('US'),
      country: 'US',
      cloud: 'public',
      domainPrefix,
      globalAdmin: { firstName: 'Casey', lastName: 'Customer', email, password: strongPassword() },
    });
    const fresh = expectStatus<Record<string, string>>(
      await api('identity')
        .post('/v1/customer-signups')
        .send(signup(uniqueEmail('new', 'northwind'))),
      201,
    );
    const prefix = uniqueDomainPrefix('northwind');
    const taken = expectStatus<Record<string, string>>(
      await api('identity').post('/v1/customer-signups').send(signup(existing.email, prefix)),
      201,
    );
    expect(Object.keys(taken).sort()).toEqual(Object.keys(fresh).sort());
    expect(taken.domain).toBe(`${prefix}.${fresh.domain.split('.').slice(1).join('.')}`);
    expect(
      await dbRows('identity', 'select id from tenant where domain = $1 or id = $2', [
        taken.domain,
        taken.tenantId,
      ]),
    ).toEqual([]);

    const notice = await waitForEmail({ to: existing.email, subjectIncludes: 'Someone tried' });
    expect(notice.subject).toBe('Someone tried to sign up a customer with your email address');
    expect(notice.text).toContain('nothing was created');
    const [stamp] = await dbRows<{ account_notice_sent_at: Date }>(
      'identity',
      'select account_notice_sent_at from user_account where email = $1',
      [existing.email],
    );
    expect(stamp.account_notice_sent_at).toBeInstanceOf(Date);

    // Again within the hour: the same answer, no second notice.
    expectStatus(
      await api('identity').post('/v1/customer-signups').send(signup(existing.email)),
      201,
    );
    const [again] = await dbRows<{ account_notice_sent_at: Date }>(
      'identity',
      'select account_notice_sent_at from user_account where email = $1',
      [existing.email],
    );
    expect(again.account_notice_sent_at).toEqual(stamp.account_notice_sent_at);
    // The account itself is untouched.
    expect((await signIn(existing.email, existing.password)).passwordChangeRequired).toBe(false);
  });
});
