import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import {
  api,
  bearer,
  dbCount,
  dbRows,
  enrollPartner,
  expectApiError,
  expectStatus,
  newCustomerBody,
  signIn,
  uniqueDomainPrefix,
  uniqueEmail,
  uniqueName,
  type AddedUser,
  type CreatedCustomer,
  type EnrolledPartner,
} from '../support';

/**
 * Idempotent creates by `MS-RequestId` (issue 11 "Headers"; Partner Center: "MS-RequestId … used
 * for idempotency: on timeout retry with the same value"; README "Idempotent creates"): a repeat by
 * the same tenant on the same route answers the first answer (status, body, a new customer's or
 * user's temporary password) and creates nothing more; a repeat while the first runs answers 409
 * `request.in_progress`; another body under the same id 409 `request.id_reused`; another tenant's
 * same id is its own request. A create that failed between identity and relationships is
 * completed by its retry with the same id: the tenant identity created is used, not orphaned, and
 * the credentials answered are the ones that sign in. The stored answers are sealed.
 */

function postCustomer(token: string, requestId: string | undefined, body: unknown) {
  const request = api('relationships').post('/v1/customers').set(bearer(token));
  return (requestId ? request.set('MS-RequestId', requestId) : request).send(body as object);
}

async function tenantsWithDomainPrefix(prefix: string): Promise<number> {
  return dbCount('identity', 'tenant', 'domain like $1', [`${prefix}.%`]);
}

describe('idempotent creates by MS-RequestId', () => {
  let partner: EnrolledPartner;
  let other: EnrolledPartner;

  beforeAll(async () => {
    [partner, other] = await Promise.all([
      enrollPartner({ partnerType: 'direct', name: uniqueName('Contoso') }),
      enrollPartner({ partnerType: 'direct', name: uniqueName('Litware') }),
    ]);
  });

  it('answers a repeated POST /v1/customers with the first answer, credentials included, and creates one customer', async () => {
    const requestId = randomUUID();
    const body = newCustomerBody();
    const first = expectStatus<CreatedCustomer>(
      await postCustomer(partner.token, requestId, body),
      201,
    );
    const again = await postCustomer(partner.token, requestId, body);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first);
    expect(again.headers['ms-requestid']).toBe(requestId);
    expect(await tenantsWithDomainPrefix(body.companyProfile.domain)).toBe(1);
    expect(await dbCount('relationships', 'customer', 'id = $1', [first.id])).toBe(1);
    expect(await dbCount('relationships', 'subscription', 'customer_id = $1', [first.id])).toBe(1);
    expect(
      await dbCount(
        'relationships',
        'activity_log_entry',
        "type = 'customer.created' and customer_id = $1",
        [first.id],
      ),
    ).toBe(1);
    // The answer rests sealed: neither the password nor the user name is readable in the table.
    const rows = await dbRows<{ response_sealed: string; state: string; status: number }>(
      'relationships',
      'select response_sealed, state, status from idempotent_request where request_id = $1',
      [requestId],
    );
    expect(rows).toEqual([{ response_sealed: expect.any(String), state: 'done', status: 201 }]);
    expect(rows[0].response_sealed).not.toContain(first.userCredentials.password);
    expect(rows[0].response_sealed).not.toContain(first.userCredentials.userName);
    // The credentials of the repeat are the ones that sign in.
    const session = await signIn(first.userCredentials.userName, first.userCredentials.password);
    expect(session.passwordChangeRequired).toBe(true);
  });

  it('refuses the same id with another body (409 request.id_reused) and creates nothing', async () => {
    const requestId = randomUUID();
    expectStatus(await postCustomer(partner.token, requestId, newCustomerBody()), 201);
    const changed = newCustomerBody();
    expectApiError(
      await postCustomer(partner.token, requestId, changed),
      409,
      'request.id_reused',
      'relationships',
    );
    expect(await tenantsWithDomainPrefix(changed.companyProfile.domain)).toBe(0);
  });

  it('keeps tenants apart: another partner’s same id is its own create', async () => {
    const requestId = randomUUID();
    const mine = expectStatus<CreatedCustomer>(
      await postCustomer(partner.token, requestId, newCustomerBody()),
      201,
    );
    const theirs = expectStatus<CreatedCustomer>(
      await postCustomer(other.token, requestId, newCustomerBody()),
      201,
    );
    expect(theirs.id).not.toBe(mine.id);
    expect(JSON.stringify(theirs)).not.toContain(mine.userCredentials.password);
  });

  it('runs concurrent duplicates once: the others answer 201 with the same customer or 409 request.in_progress', async () => {
    const requestId = randomUUID();
    const body = newCustomerBody();
    const responses = await Promise.all(
      Array.from({ length: 4 }, () => postCustomer(partner.token, requestId, body)),
    );
    const created = responses.filter((r) => r.status === 201);
    const busy = responses.filter((r) => r.status === 409);
    expect(created.length + busy.length).toBe(4);
    expect(created.length).toBeGreaterThanOrEqual(1);
    for (const response of busy) {
      expectApiError(response, 409, 'request.in_progress', 'relationships');
    }
    const ids = new Set(created.map((r) => (r.body as CreatedCustomer).id));
    expect(ids.size).toBe(1);
    expect(await tenantsWithDomainPrefix(body.companyProfile.domain)).toBe(1);
    // Once the first is done, a retry answers it.
    const retry = await postCustomer(partner.token, requestId, body);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(created[0].body);
  });

  it('records nothing without an MS-RequestId of the caller: two calls are two creates', async () => {
    const body = newCustomerBody();
    expectStatus(await postCustomer(partner.token, undefined, body), 201);
    expectApiError(
      await postCustomer(partner.token, undefined, body),
      409,
      'customer.domain_taken',
      'relationships',
    );
  });

  it('completes a create that failed after identity created the tenant: no orphan, the same credentials', async () => {
    const prefix = uniqueDomainPrefix('orphan');
    const body = newCustomerBody({ domainPrefix: prefix });
    const requestId = randomUUID();
    // relationships fails its transaction for this one customer, after identity answered.
    const trigger = `fail_${prefix.replace(/-/g, '_')}`;
    await dbRows(
      'relationships',
      `create function ${trigger}() returns trigger language plpgsql as $$
       begin
         if new.domain like '${prefix}.%' then raise exception 'injected failure'; end if;
         return new;
       end $$`,
    );
    await dbRows(
      'relationships',
      `create trigger ${trigger} before insert on customer for each row execute function ${trigger}()`,
    );
    let failed: Response;
    try {
      failed = await postCustomer(partner.token, requestId, body);
    } finally {
      await dbRows('relationships', `drop trigger ${trigger} on customer`);
      await dbRows('relationships', `drop function ${trigger}()`);
    }
    expect(failed.status).toBeGreaterThanOrEqual(500);
    // Identity created the tenant; relationships has nothing of it yet.
    expect(await tenantsWithDomainPrefix(prefix)).toBe(1);
    expect(await dbCount('relationships', 'customer', 'domain like $1', [`${prefix}.%`])).toBe(0);

    const completed = expectStatus<CreatedCustomer>(
      await postCustomer(partner.token, requestId, body),
      201,
    );
    expect(await tenantsWithDomainPrefix(prefix)).toBe(1);
    const [tenant] = await dbRows<{ id: string }>(
      'identity',
      'select id from tenant where domain like $1',
      [`${prefix}.%`],
    );
    expect(completed.id).toBe(tenant.id);
    expect(await dbCount('relationships', 'customer', 'id = $1', [tenant.id])).toBe(1);
    expect(await dbCount('identity', 'user_account', 'tenant_id = $1', [tenant.id])).toBe(1);
    // The password answered is the one identity stored for the admin.
    const session = await signIn(
      completed.userCredentials.userName,
      completed.userCredentials.password,
    );
    expect(session.passwordChangeRequired).toBe(true);
  });

  it('answers a repeated POST /v1/users with the same user and temporary password', async () => {
    const requestId = randomUUID();
    const body = {
      firstName: 'Uma',
      lastName: 'User',
      email: uniqueEmail('uma', 'contoso'),
      roles: ['SalesAgent'],
    };
    const send = () =>
      api('identity')
        .post('/v1/users')
        .set(bearer(partner.token))
        .set('MS-RequestId', requestId)
        .send(body);
    const first = expectStatus<AddedUser>(await send(), 201);
    const again = await send();
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first);
    expect(
      await dbCount('identity', 'user_account', 'tenant_id = $1 and email = $2', [
        partner.tenantId,
        body.email,
      ]),
    ).toBe(1);
    const [row] = await dbRows<{ response_sealed: string }>(
      'identity',
      'select response_sealed from idempotent_request where request_id = $1',
      [requestId],
    );
    expect(row.response_sealed).not.toContain(first.temporaryPassword);
  });

  it('answers a repeated POST /v1/customers/relationship-requests with the same request and sends one', async () => {
    const requestId = randomUUID();
    const email = uniqueEmail('admin', 'northwind');
    const send = () =>
      api('relationships')
        .post('/v1/customers/relationship-requests')
        .set(bearer(partner.token))
        .set('MS-RequestId', requestId)
        .send({ email, delegatedAdmin: false, draftOnly: true });
    const first = expectStatus<{ id: string }>(await send(), 201);
    const again = await send();
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first);
    expect(await dbCount('relationships', 'invitation', 'email = $1', [email])).toBe(1);
  });

  it('runs concurrent duplicates of POST /v1/customers/relationship-requests once: every attempt answers 201 with the same request, one email is queued', async () => {
    // The create records its answer in the statement that writes the invitation: a duplicate
    // arriving meanwhile waits on that record and answers it (no 409 request.in_progress), and an
    // attempt cut off before its commit leaves nothing that would hold a retry back.
    const requestId = randomUUID();
    const email = uniqueEmail('admin', 'tailspin');
    const send = () =>
      api('relationships')
        .post('/v1/customers/relationship-requests')
        .set(bearer(partner.token))
        .set('MS-RequestId', requestId)
        .send({ email, delegatedAdmin: true });
    const answers = await Promise.all(Array.from({ length: 6 }, send));
    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201, 201, 201, 201]);
    const ids = new Set(answers.map((answer) => (answer.body as { id: string }).id));
    expect(ids.size).toBe(1);
    expect(answers[0].body).toMatchObject({ email, status: 'pending', queued: true });
    for (const answer of answers) expect(answer.body).toEqual(answers[0].body);
    expect(await dbCount('relationships', 'invitation', 'email = $1', [email])).toBe(1);
    expect(await dbCount('relationships', 'outbox_message', "payload->>'to' = $1", [email])).toBe(
      1,
    );
  });

  it('answers a repeated POST /v1/partnership-requests with the same request, and refuses the id with another body', async () => {
    const provider = await enrollPartner({
      partnerType: 'indirect_provider',
      name: uniqueName('Contoso'),
    });
    const requestId = randomUUID();
    const email = uniqueEmail('admin', 'fabrikam');
    const send = (body: object) =>
      api('relationships')
        .post('/v1/partnership-requests')
        .set(bearer(provider.token))
        .set('MS-RequestId', requestId)
        .send(body);
    const first = expectStatus<{ id: string }>(await send({ email }), 201);
    const again = await send({ email });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first);
    expectApiError(await send({ email: uniqueEmail('admin', 'other') }), 409, 'request.id_reused');
    expect(await dbCount('relationships', 'invitation', 'email = $1', [email])).toBe(1);
  });
});
