import { randomUUID } from 'node:crypto';
import {
  addActiveUser,
  api,
  bearer,
  dbRows,
  emailsTo,
  enrollPartner,
  expectStatus,
  signUpCustomer,
  tokenIn,
  uniqueName,
  waitForEmail,
} from '../support';
import {
  GDAP_PATH,
  ROLE,
  activeGdap,
  createGdap,
  expectGraphError,
  gdapBody,
  gdapChannel,
  gdapName,
  gdapRequest,
  getGdap,
  relateCustomer,
  type GdapChannel,
  type GdapRelationship,
  type GdapRequest,
} from '../support/relationships/gdap';

/**
 * Issue 10 part 1: granular delegated admin relationships in Microsoft Graph's shape: create,
 * patch while created, lock for approval, approve (API and the emailed link's page), reject,
 * terminate; the etag rules; the duration, name and auto-extension constraints; two concurrent
 * approvals; scoping (a stranger, a co-partner of the same customer, an ended relationship) and
 * each role; emails and the activity log of both organisations.
 */

const PAGE = '/invitations/delegated-admin-relationship';

async function entriesOf(id: string): Promise<{ type: string; tenant_ids: string[] }[]> {
  return dbRows<{ type: string; tenant_ids: string[] }>(
    'relationships',
    'select type, tenant_ids from activity_log_entry where resource_id = $1 order by occurred_at, id',
    [id],
  );
}

function patch(token: string, id: string, body: unknown, ifMatch?: string) {
  let pending = api('relationships').patch(`${GDAP_PATH}/${id}`).set(bearer(token));
  if (ifMatch !== undefined) pending = pending.set('If-Match', ifMatch);
  return pending.send(body as object);
}

function remove(token: string, id: string, ifMatch?: string) {
  let pending = api('relationships').delete(`${GDAP_PATH}/${id}`).set(bearer(token));
  if (ifMatch !== undefined) pending = pending.set('If-Match', ifMatch);
  return pending;
}

describe('GDAP: delegated admin relationships (issue 10 part 1)', () => {
  let channel: GdapChannel;

  beforeAll(async () => {
    channel = await gdapChannel();
  }, 120_000);

  it('walks create → patch → lock → approve from the emailed page → terminate, with emails and both trails', async () => {
    const { partner, customer } = channel;
    const created = await api('relationships')
      .post(GDAP_PATH)
      .set(bearer(partner.token))
      .send(gdapBody(customer.tenantId, { duration: 'P1M' }));
    const body = expectStatus<GdapRelationship>(created, 201);
    expect(created.headers.location).toMatch(new RegExp(`${GDAP_PATH}/${body.id}$`));
    expect(body).toMatchObject({
      status: 'created',
      duration: 'P1M',
      autoExtendDuration: 'PT0S',
      customer: { tenantId: customer.tenantId, displayName: customer.companyName },
      accessDetails: { unifiedRoles: [{ roleDefinitionId: ROLE.userAdministrator }] },
      activatedDateTime: null,
      endDateTime: null,
    });
    expect(body['@odata.etag']).toMatch(/^W\/".+"$/);

    // A created relationship is the partner's draft: the customer does not see it yet.
    expectGraphError(
      await api('relationships').get(`${GDAP_PATH}/${body.id}`).set(bearer(customer.token)),
      404,
      'gdap.relationship_not_found',
    );

    // PATCH while created: If-Match required, a stale one refused, nothing written.
    expectGraphError(
      await patch(partner.token, body.id, { duration: 'P90D' }),
      428,
      'request.precondition_required',
    );
    const name = gdapName('Renamed');
    const patched = expectStatus<GdapRelationship>(
      await patch(
        partner.token,
        body.id,
        { displayName: name, duration: 'P90D' },
        body['@odata.etag'],
      ),
      200,
    );
    expect(patched).toMatchObject({ displayName: name, duration: 'P90D' });
    expect(patched['@odata.etag']).not.toBe(body['@odata.etag']);
    expectGraphError(
      await patch(partner.token, body.id, { duration: 'P60D' }, body['@odata.etag']),
      412,
      'request.etag_mismatch',
    );
    expect((await getGdap(partner.token, body.id)).duration).toBe('P90D');

    // Lock for approval: the customer's Global admin gets the link with each role in plain words.
    const locked = await gdapRequest(partner.token, body.id, 'lockForApproval');
    const lockRequest = expectStatus<GdapRequest>(locked, 201);
    expect(lockRequest).toMatchObject({ action: 'lockForApproval', status: 'succeeded' });
    expect(locked.headers.location).toMatch(
      new RegExp(`${GDAP_PATH}/${body.id}/requests/${lockRequest.id}$`),
    );
    expect((await getGdap(customer.token, body.id)).status).toBe('approvalPending');
    const email = await waitForEmail({
      to: customer.email,
      subjectIncludes: 'administrator access',
    });
    expect(email.text).toContain('User Administrator');
    expect(email.text).toContain(name);
    const token = tokenIn(email);
    const rows = await dbRows<{ approval_token_hash: string }>(
      'relationships',
      'select approval_token_hash from delegated_admin_relationship where id = $1',
      [body.id],
    );
    expect(rows[0].approval_token_hash).not.toContain(token);

    // The page changes nothing; its form approves with the Global admin's sign-in.
    const page = await api('relationships').get(PAGE).query({ token });
    expect(page.status).toBe(200);
    expect(page.text).toContain('User Administrator');
    expect((await getGdap(partner.token, body.id)).status).toBe('approvalPending');
    const decided = await api('relationships')
      .post(`${PAGE}/decision`)
      .type('form')
      .send({ token, email: customer.email, password: customer.password, decision: 'approve' });
    expect(decided.status).toBe(200);
    const active = await getGdap(partner.token, body.id);
    expect(active.status).toBe('active');
    expect(active.activatedDateTime).not.toBeNull();
    const expectedEnd = new Date(active.activatedDateTime!);
    expectedEnd.setUTCDate(expectedEnd.getUTCDate() + 90);
    expect(active.endDateTime).toBe(expectedEnd.toISOString());
    await waitForEmail({
      to: partner.email,
      subjectIncludes: 'approved the delegated admin relationship',
    });
    // Single use.
    expect((await api('relationships').get(PAGE).query({ token })).status).toBe(404);

    // Active: only autoExtendDuration changes.
    expectGraphError(
      await patch(partner.token, body.id, { displayName: gdapName() }, active['@odata.etag']),
      409,
      'gdap.field_not_updatable',
    );
    const extended = expectStatus<GdapRelationship>(
      await patch(partner.token, body.id, { autoExtendDuration: 'P180D' }, active['@odata.etag']),
      200,
    );
    expect(extended.autoExtendDuration).toBe('P180D');
    // Deleting is for created relationships only.
    expectGraphError(await remove(partner.token, body.id, '*'), 409, 'gdap.invalid_status');

    // Terminate: both sides are emailed.
    const terminated = await gdapRequest(partner.token, body.id, 'terminate');
    expect(expectStatus<GdapRequest>(terminated, 201).action).toBe('terminate');
    expect((await getGdap(customer.token, body.id)).status).toBe('terminated');
    await waitForEmail({ to: customer.email, subjectIncludes: 'was terminated' });
    await waitForEmail({ to: partner.email, subjectIncludes: 'was terminated' });
    // An ended relationship cannot be terminated again, nor approved.
    expectGraphError(
      await gdapRequest(partner.token, body.id, 'terminate'),
      409,
      'gdap.invalid_status',
    );
    expectGraphError(
      await gdapRequest(customer.token, body.id, 'approve'),
      409,
      'gdap.invalid_status',
    );

    const requests = expectStatus<{ value: GdapRequest[] }>(
      await api('relationships')
        .get(`${GDAP_PATH}/${body.id}/requests`)
        .set(bearer(customer.token)),
      200,
    );
    expect(requests.value.map((r) => r.action)).toEqual([
      'lockForApproval',
      'approve',
      'terminate',
    ]);

    const entries = await entriesOf(body.id);
    expect(entries.map((e) => e.type)).toEqual([
      'delegated_admin_relationship.created',
      'delegated_admin_relationship.updated',
      'delegated_admin_relationship.approval_requested',
      'delegated_admin_relationship.approved',
      'delegated_admin_relationship.updated',
      'delegated_admin_relationship.terminated',
    ]);
    for (const entry of entries) {
      expect([...entry.tenant_ids].sort()).toEqual([partner.tenantId, customer.tenantId].sort());
    }
  }, 120_000);

  it('lets the customer reject through the API; the partner is emailed and the link dies', async () => {
    const { partner, customer } = channel;
    const created = await createGdap(partner.token, gdapBody(customer.tenantId));
    expectStatus(await gdapRequest(partner.token, created.id, 'lockForApproval'), 201);
    const email = await waitForEmail({
      to: customer.email,
      subjectIncludes: 'administrator access',
      since: new Date(created.createdDateTime),
    });
    const rejected = expectStatus<GdapRequest>(
      await gdapRequest(customer.token, created.id, 'reject'),
      201,
    );
    expect(rejected.action).toBe('reject');
    expect((await getGdap(partner.token, created.id)).status).toBe('terminated');
    await waitForEmail({
      to: partner.email,
      subjectIncludes: 'rejected the delegated admin relationship',
    });
    expect(
      (
        await api('relationships')
          .get(PAGE)
          .query({ token: tokenIn(email) })
      ).status,
    ).toBe(404);
    expect((await entriesOf(created.id)).map((e) => e.type)).toContain(
      'delegated_admin_relationship.rejected',
    );
  }, 60_000);

  it('refuses the other side’s actions and a relationship without a customer', async () => {
    const { partner, customer } = channel;
    const draft = await createGdap(partner.token, gdapBody(undefined));
    expect(draft.customer).toBeNull();
    expectGraphError(
      await gdapRequest(partner.token, draft.id, 'lockForApproval'),
      422,
      'gdap.customer_required',
    );
    expectGraphError(
      await gdapRequest(partner.token, draft.id, 'approve'),
      403,
      'gdap.action_not_allowed',
    );
    const named = expectStatus<GdapRelationship>(
      await patch(
        partner.token,
        draft.id,
        { customer: { tenantId: customer.tenantId } },
        draft['@odata.etag'],
      ),
      200,
    );
    expect(named.customer?.tenantId).toBe(customer.tenantId);
    expectStatus(await gdapRequest(partner.token, draft.id, 'lockForApproval'), 201);
    expectGraphError(
      await gdapRequest(customer.token, draft.id, 'lockForApproval'),
      403,
      'gdap.action_not_allowed',
    );
    // A customer the partner has no reseller relationship with.
    const stranger = await signUpCustomer({ companyName: uniqueName('Tailspin') });
    expectGraphError(
      await api('relationships')
        .post(GDAP_PATH)
        .set(bearer(partner.token))
        .send(gdapBody(stranger.tenantId)),
      422,
      'gdap.customer_not_found',
    );
  }, 90_000);

  it('deletes a created relationship with If-Match only', async () => {
    const { partner } = channel;
    const created = await createGdap(partner.token, gdapBody(channel.customer.tenantId));
    expectGraphError(await remove(partner.token, created.id), 428, 'request.precondition_required');
    expectGraphError(
      await remove(partner.token, created.id, 'W/"stale"'),
      412,
      'request.etag_mismatch',
    );
    expect((await remove(partner.token, created.id, created['@odata.etag'])).status).toBe(204);
    expectGraphError(
      await api('relationships').get(`${GDAP_PATH}/${created.id}`).set(bearer(partner.token)),
      404,
      'gdap.relationship_not_found',
    );
    expect((await entriesOf(created.id)).map((e) => e.type)).toEqual([
      'delegated_admin_relationship.created',
      'delegated_admin_relationship.deleted',
    ]);
  }, 60_000);

  it('checks duration, displayName, roles and auto-extension, writing nothing when refused', async () => {
    const { partner, customer } = channel;
    const post = (body: Record<string, unknown>) =>
      api('relationships').post(GDAP_PATH).set(bearer(partner.token)).send(body);
    for (const duration of [
      'P0D',
      'P731D',
      'P3Y',
      'P25M',
      'P105W',
      'PT1H',
      'P1Y2M',
      'P1.5D',
      '-P1D',
      '30',
    ]) {
      expectGraphError(
        await post(gdapBody(customer.tenantId, { duration })),
        400,
        'request.invalid',
      );
    }
    for (const duration of ['P1D', 'P730D', 'P2Y', 'P24M', 'P104W']) {
      expect((await post(gdapBody(customer.tenantId, { duration }))).status).toBe(201);
    }
    expectGraphError(
      await post(gdapBody(customer.tenantId, { displayName: 'x'.repeat(51) })),
      400,
      'request.invalid',
    );
    const name = gdapName('Unique');
    await createGdap(partner.token, gdapBody(customer.tenantId, { displayName: name }));
    expectGraphError(
      await post(gdapBody(customer.tenantId, { displayName: name.toUpperCase() })),
      409,
      'gdap.display_name_taken',
    );
    expectGraphError(
      await post(gdapBody(customer.tenantId, { accessDetails: { unifiedRoles: [] } })),
      400,
      'request.invalid',
    );
    expectGraphError(
      await post(
        gdapBody(customer.tenantId, {
          accessDetails: { unifiedRoles: [{ roleDefinitionId: randomUUID() }] },
        }),
      ),
      400,
      'gdap.role_not_supported',
    );
    expectGraphError(
      await post(
        gdapBody(customer.tenantId, {
          accessDetails: { unifiedRoles: [{ roleDefinitionId: 'Global Administrator' }] },
        }),
      ),
      400,
      'request.invalid',
    );
    expectGraphError(
      await post(gdapBody(customer.tenantId, { status: 'active' })),
      400,
      'request.invalid',
    );
    for (const autoExtendDuration of ['P90D', 'P1Y']) {
      expectGraphError(
        await post(gdapBody(customer.tenantId, { autoExtendDuration })),
        400,
        'request.invalid',
      );
    }
    const gaName = gdapName('GA');
    expectGraphError(
      await post(
        gdapBody(customer.tenantId, {
          displayName: gaName,
          autoExtendDuration: 'P180D',
          accessDetails: { unifiedRoles: [{ roleDefinitionId: ROLE.globalAdministrator }] },
        }),
      ),
      400,
      'gdap.auto_extend_not_allowed',
    );
    expect(
      await dbRows(
        'relationships',
        'select id from delegated_admin_relationship where display_name = $1',
        [gaName],
      ),
    ).toEqual([]);
    for (const autoExtendDuration of ['P0D', 'PT0S', 'P180D']) {
      expect((await post(gdapBody(customer.tenantId, { autoExtendDuration }))).status).toBe(201);
    }
    // Adding Global Administrator to an auto-extending relationship is refused too.
    const auto = await createGdap(
      partner.token,
      gdapBody(customer.tenantId, { autoExtendDuration: 'P180D' }),
    );
    expectGraphError(
      await patch(
        partner.token,
        auto.id,
        { accessDetails: { unifiedRoles: [{ roleDefinitionId: ROLE.globalAdministrator }] } },
        auto['@odata.etag'],
      ),
      400,
      'gdap.auto_extend_not_allowed',
    );
  }, 120_000);

  it('lists in Graph’s shape with $top, $filter, $orderby and nextLink; refuses other options', async () => {
    const { partner, customer } = channel;
    const list = (query: Record<string, string>, token = partner.token) =>
      api('relationships').get(GDAP_PATH).set(bearer(token)).query(query);
    const first = expectStatus<{
      '@odata.context': string;
      value: GdapRelationship[];
      '@odata.nextLink'?: string;
    }>(await list({ $top: '2', $orderby: 'displayName asc' }), 200);
    expect(first['@odata.context']).toContain(
      '$metadata#tenantRelationships/delegatedAdminRelationships',
    );
    expect(first.value).toHaveLength(2);
    expect(first['@odata.nextLink']).toBeDefined();
    const next = new URL(first['@odata.nextLink']!);
    const second = expectStatus<{ value: GdapRelationship[] }>(
      await api('relationships').get(`${next.pathname}${next.search}`).set(bearer(partner.token)),
      200,
    );
    expect(second.value[0].displayName >= first.value[1].displayName).toBe(true);
    expect(second.value.map((r) => r.id)).not.toContain(first.value[0].id);
    const created = expectStatus<{ value: GdapRelationship[] }>(
      await list({ $filter: "status eq 'created'", $top: '300' }),
      200,
    );
    expect(created.value.length).toBeGreaterThan(0);
    expect(created.value.every((r) => r.status === 'created')).toBe(true);
    // The customer lists those naming it, never the partner's drafts.
    const theirs = expectStatus<{ value: GdapRelationship[] }>(
      await list({ $top: '300' }, customer.token),
      200,
    );
    expect(
      theirs.value.every(
        (r) => r.status !== 'created' && r.customer?.tenantId === customer.tenantId,
      ),
    ).toBe(true);
    const refused: Record<string, string>[] = [
      { $top: '301' },
      { $top: '0' },
      { $select: 'id' },
      { $count: 'true' },
      { $filter: "displayName eq 'x'" },
      { $filter: "status ne 'active'" },
      { $orderby: 'duration' },
      { size: '10' },
    ];
    for (const query of refused) {
      expectGraphError(await list(query), 400, 'request.invalid');
    }
  }, 60_000);

  it('lets one of two concurrent approvals win; the other answers 409', async () => {
    const { partner, customer } = channel;
    const second = await addActiveUser(customer.token, ['GlobalAdmin'], { company: 'northwind' });
    const created = await createGdap(partner.token, gdapBody(customer.tenantId));
    expectStatus(await gdapRequest(partner.token, created.id, 'lockForApproval'), 201);
    const answers = await Promise.all([
      gdapRequest(customer.token, created.id, 'approve'),
      gdapRequest(second.token, created.id, 'approve'),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    expectGraphError(
      answers.find((a) => a.status === 409)!,
      409,
      'gdap.invalid_status',
    );
    const entries = await entriesOf(created.id);
    expect(entries.filter((e) => e.type === 'delegated_admin_relationship.approved')).toHaveLength(
      1,
    );
    const requests = await dbRows(
      'relationships',
      `select id from delegated_admin_relationship_request where relationship_id = $1 and action = 'approve'`,
      [created.id],
    );
    expect(requests).toHaveLength(1);
    // The customer's Global admin ends it too; both sides are emailed.
    const ended = expectStatus<GdapRequest>(
      await gdapRequest(second.token, created.id, 'terminate'),
      201,
    );
    expect(ended.action).toBe('terminate');
    expect((await getGdap(partner.token, created.id)).status).toBe('terminated');
    const notice = await waitForEmail({
      to: partner.email,
      subjectIncludes: `"${created.displayName}" was terminated`,
    });
    expect(notice.text).toContain(`terminated by ${customer.companyName}`);
  }, 60_000);

  it('answers a stranger, a co-partner of the same customer and another customer exactly as an id that exists nowhere', async () => {
    const { partner, customer } = channel;
    const relationship = await activeGdap(channel);
    const stranger = await enrollPartner({ partnerType: 'direct', name: uniqueName('Wingtip') });
    const coPartner = await enrollPartner({ partnerType: 'direct', name: uniqueName('Litware') });
    await relateCustomer(coPartner, customer);
    const otherCustomer = await signUpCustomer({ companyName: uniqueName('Adatum') });
    const nowhere = randomUUID();
    const calls: [string, (token: string, id: string) => ReturnType<typeof gdapRequest>][] = [
      ['GET', (t, id) => api('relationships').get(`${GDAP_PATH}/${id}`).set(bearer(t))],
      [
        'GET requests',
        (t, id) => api('relationships').get(`${GDAP_PATH}/${id}/requests`).set(bearer(t)),
      ],
      ['PATCH', (t, id) => patch(t, id, { autoExtendDuration: 'P0D' }, '*')],
      ['DELETE', (t, id) => remove(t, id, '*')],
      ['terminate', (t, id) => gdapRequest(t, id, 'terminate')],
    ];
    for (const token of [stranger.token, coPartner.token, otherCustomer.token]) {
      for (const [, call] of calls) {
        const real = await call(token, relationship.id);
        const none = await call(token, nowhere);
        expect(real.status).toBe(none.status);
        expect((real.body as { error: { code: string; message: string } }).error.code).toBe(
          (none.body as { error: { code: string } }).error.code,
        );
        expect((real.body as { error: { message: string } }).error.message).toBe(
          (none.body as { error: { message: string } }).error.message,
        );
        expect(real.text).not.toContain(relationship.displayName);
      }
    }
    // The co-partner's list does not show it; nothing was written.
    const coList = expectStatus<{ value: GdapRelationship[] }>(
      await api('relationships').get(GDAP_PATH).set(bearer(coPartner.token)),
      200,
    );
    expect(coList.value.map((r) => r.id)).not.toContain(relationship.id);
    expect((await getGdap(partner.token, relationship.id)).status).toBe('active');
  }, 120_000);

  it('gives each role what its permission says', async () => {
    const { partner, customer } = channel;
    const relationship = await createGdap(partner.token, gdapBody(customer.tenantId));
    const [adminAgent, salesAgent, helpdesk, billing] = await Promise.all([
      addActiveUser(partner.token, ['AdminAgent'], { company: 'fabrikam' }),
      addActiveUser(partner.token, ['SalesAgent'], { company: 'fabrikam' }),
      addActiveUser(partner.token, ['HelpdeskAgent'], { company: 'fabrikam' }),
      addActiveUser(customer.token, ['BillingAdmin'], { company: 'northwind' }),
    ]);
    // Admin agent: manages and requests.
    expect(
      (
        await api('relationships')
          .post(GDAP_PATH)
          .set(bearer(adminAgent.token))
          .send(gdapBody(customer.tenantId))
      ).status,
    ).toBe(201);
    expectStatus(await gdapRequest(adminAgent.token, relationship.id, 'lockForApproval'), 201);
    // Sales agent and Helpdesk agent: nothing of GDAP.
    for (const user of [salesAgent, helpdesk]) {
      expectGraphError(
        await api('relationships').get(GDAP_PATH).set(bearer(user.token)),
        403,
        'auth.forbidden',
      );
      expectGraphError(
        await api('relationships')
          .post(GDAP_PATH)
          .set(bearer(user.token))
          .send(gdapBody(customer.tenantId)),
        403,
        'auth.forbidden',
      );
    }
    // Customer Billing admin: reads, never approves.
    expect((await getGdap(billing.token, relationship.id)).status).toBe('approvalPending');
    expectGraphError(
      await gdapRequest(billing.token, relationship.id, 'approve'),
      403,
      'auth.forbidden',
    );
    // Customer Global admin cannot create relationships (partner side only).
    expectGraphError(
      await api('relationships')
        .post(GDAP_PATH)
        .set(bearer(customer.token))
        .send(gdapBody(customer.tenantId)),
      403,
      'auth.forbidden',
    );
    // No token: 401 in Graph's format.
    expectGraphError(await api('relationships').get(GDAP_PATH), 401, 'auth.unauthenticated');
    // The rest of the API keeps its own error format.
    const other = await api('relationships')
      .get('/v1/customers/relationship-requests')
      .set(bearer(customer.token));
    expect(Object.keys(other.body as object).sort()).toEqual([
      'code',
      'data',
      'description',
      'source',
    ]);
    expect(
      (await emailsTo({ to: billing.user.email })).filter((e) =>
        e.subject.includes('administrator access'),
      ),
    ).toEqual([]);
  }, 90_000);
});
