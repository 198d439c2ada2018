import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import request, { type Test } from 'supertest';
import { MetadataScanner } from '@nestjs/core';
import { AuditEventSchema, IDENTITY_AUDIT_EVENTS, type AuditEvent } from '@app/contracts';
import { AUDITED_KEY } from '@app/platform';
import { AppModule } from '../../../apps/identity/src/app.module';
import { loadIdentityConfig } from '../../../apps/identity/src/config/identity.config';
import { devSettings, envFor } from '../../../scripts/lib/system';
import {
  api,
  bearer,
  createCustomer,
  dbRows,
  enrollPartner,
  eventually,
  expectStatus,
  harnessSettings,
  linkIn,
  newEnrollmentBody,
  operatorToken,
  startExtraInstance,
  strongPassword,
  tokenIn,
  uniqueDomainPrefix,
  uniqueEmail,
  addressIn,
  waitForEmail,
  formOf,
  type EnrolledPartner,
  type ExtraInstance,
} from '../support';
import { IDENTITY_ROUTE_FIXTURES } from '../support/identity/route-fixtures';
import type { FixtureContext } from '../support/route-fixture';
import { controllersOf, declaredRoutes, fillPath, type DeclaredRoute } from '../support/routes';
import { buildBaseWorld, type BaseWorld } from '../support/world';
import { partner } from '../support/relationships/partnerships';
import { addUser, signIn } from '../support/identity/flows';

/**
 * Identity's side of the one audit trail (issue 14): every change identity makes writes exactly one
 * audit event of a documented type to identity's outbox (`audit.recorded`, queue `audit-events`) in
 * the transaction of the change, with the request's `MS-RequestId` and `MS-CorrelationId`, who
 * acted (user, operator, anonymous, on whose behalf), the organisations concerned, and never a
 * secret; a refused request and a rolled-back change write none. Events are read from identity's
 * outbox table (the trail that consumes them is relationships').
 */

type Actor = AuditEvent['actor'];

/** The audit events identity wrote for `requestId`, oldest first (each checked against the schema). */
async function eventsOf(requestId: string): Promise<AuditEvent[]> {
  const rows = await dbRows<{ payload: unknown }>(
    'identity',
    `select payload from outbox_message where name = 'audit.recorded' and payload->>'requestId' = $1
      order by created_at`,
    [requestId],
  );
  return rows.map((row) => AuditEventSchema.parse(row.payload));
}

/** The audit events about one resource, of one type, oldest first. */
async function eventsAbout(resourceId: string, type: string): Promise<AuditEvent[]> {
  const rows = await dbRows<{ payload: unknown }>(
    'identity',
    `select payload from outbox_message where name = 'audit.recorded'
        and payload->'resource'->>'id' = $1 and payload->>'type' = $2 order by created_at`,
    [resourceId, type],
  );
  return rows.map((row) => AuditEventSchema.parse(row.payload));
}

/** A request id and correlation id for one call, and the call with both headers set. */
function ids(): { requestId: string; correlationId: string; tag: (test: Test) => Test } {
  const requestId = `req-${randomUUID()}`;
  const correlationId = `corr-${randomUUID()}`;
  return {
    requestId,
    correlationId,
    tag: (test) => test.set('MS-RequestId', requestId).set('MS-CorrelationId', correlationId),
  };
}

/** No secret anywhere in an event: none of `secrets`, no secret-named field, no link token. */
function expectNoSecret(event: AuditEvent, secrets: string[] = []): void {
  const text = JSON.stringify(event);
  for (const secret of secrets) expect(text).not.toContain(secret);
  expect(text).not.toMatch(
    /"(password|passwordHash|temporaryPassword|token|tokenHash|refreshToken|accessToken|link|privateJwk|privateKeyJwe)"/i,
  );
  expect(text).not.toMatch(/[?&]token=/);
}

/**
 * Exactly one event for `requestId`, of `type`, with the call's ids, `actor` and `tenantIds` (in
 * any order), no secret; answers it.
 */
async function expectOneEvent(
  call: { requestId: string; correlationId: string },
  type: string,
  expected: { actor: Partial<Actor>; tenantIds: string[]; secrets?: string[] },
): Promise<AuditEvent> {
  const events = await eventsOf(call.requestId);
  expect(events.map((event) => event.type)).toEqual([type]);
  const [event] = events;
  expect(event).toMatchObject({
    requestId: call.requestId,
    correlationId: call.correlationId,
    source: 'identity',
    actor: expected.actor,
  });
  expect([...event.tenantIds].sort()).toEqual([...expected.tenantIds].sort());
  expectNoSecret(event, expected.secrets);
  return event;
}

/** The user id of a token's user (`GET /v1/me`). */
async function meOf(token: string): Promise<{ userId: string; tenantId: string }> {
  const me = expectStatus<{ user: { id: string }; tenant: { id: string } }>(
    await api('identity').get('/v1/me').set(bearer(token)),
    200,
  );
  return { userId: me.user.id, tenantId: me.tenant.id };
}

let provider: EnrolledPartner;
let providerAdmin: { userId: string; tenantId: string };
let operator: { token: string; userId: string; tenantId: string };
let review: ExtraInstance | undefined;

beforeAll(async () => {
  provider = await enrollPartner({ partnerType: 'indirect_provider' });
  providerAdmin = await meOf(provider.token);
  const token = await operatorToken();
  operator = { token, ...(await meOf(token)) };
}, 120_000);

afterAll(async () => {
  await review?.stop();
});

const anonymous = (userId: string | null = null, tenantId: string | null = null) => ({
  kind: 'anonymous' as const,
  userId,
  tenantId,
  onBehalfOfTenantId: null,
});
const user = (
  who: { userId: string; tenantId: string },
  onBehalfOfTenantId: string | null = null,
) => ({
  kind: 'user' as const,
  userId: who.userId,
  tenantId: who.tenantId,
  onBehalfOfTenantId,
});

describe('enrollment: submitted, verified, approved, rejected', () => {
  async function enrollForReview() {
    review ??= await startExtraInstance('identity', () => ({ autoApprove: false }));
    const body = newEnrollmentBody();
    const submit = ids();
    const created = expectStatus<{ enrollmentId: string; tenantId: string }>(
      await submit.tag(request(review.url).post('/v1/enrollments')).send(body),
      201,
    );
    const email = await waitForEmail({ to: body.primaryContact.email });
    return { body, submit, created, token: tokenIn(email) };
  }

  it('writes one event per step, anonymous until the operator decides; no password, no token', async () => {
    const { body, submit, created, token } = await enrollForReview();
    const submitted = await expectOneEvent(submit, 'enrollment.submitted', {
      actor: { kind: 'anonymous', tenantId: created.tenantId, onBehalfOfTenantId: null },
      tenantIds: [created.tenantId],
      secrets: [body.globalAdmin.password, token],
    });
    expect(submitted.resource).toEqual({ type: 'enrollment', id: created.enrollmentId });
    expect(submitted.after).toMatchObject({ mpnId: body.mpnId, status: 'pending_verification' });

    const verify = ids();
    expectStatus(
      await verify.tag(request(review!.url).post('/v1/enrollments/verify')).send({ token }),
      200,
    );
    const verified = await expectOneEvent(verify, 'enrollment.verified', {
      actor: anonymous(null, created.tenantId),
      tenantIds: [created.tenantId],
      secrets: [token],
    });
    expect(verified.after).toMatchObject({ status: 'in_review' });

    const approve = ids();
    expectStatus(
      await approve
        .tag(api('identity').post(`/v1/enrollments/${created.enrollmentId}/approve`))
        .set(bearer(operator.token))
        .send({}),
      200,
    );
    const approved = await expectOneEvent(approve, 'enrollment.approved', {
      actor: { kind: 'operator', userId: operator.userId, tenantId: operator.tenantId },
      tenantIds: [created.tenantId],
    });
    expect(approved.after).toMatchObject({ status: 'active' });

    const again = ids();
    expect(
      (
        await again
          .tag(api('identity').post(`/v1/enrollments/${created.enrollmentId}/reject`))
          .set(bearer(operator.token))
          .send({ reason: 'Too late.' })
      ).status,
    ).toBe(409);
    expect(await eventsOf(again.requestId)).toEqual([]);
  }, 120_000);

  it('records a rejection with its reason', async () => {
    const { token, created } = await enrollForReview();
    expectStatus(await request(review!.url).post('/v1/enrollments/verify').send({ token }), 200);
    const reject = ids();
    const reason = 'The Partner ID does not match the legal business name.';
    expectStatus(
      await reject
        .tag(api('identity').post(`/v1/enrollments/${created.enrollmentId}/reject`))
        .set(bearer(operator.token))
        .send({ reason }),
      200,
    );
    const rejected = await expectOneEvent(reject, 'enrollment.rejected', {
      actor: { kind: 'operator', userId: operator.userId },
      tenantIds: [created.tenantId],
    });
    expect(rejected.after).toEqual({ status: 'rejected', reason });
  }, 120_000);
});

describe('users of the organisation', () => {
  it('create, role changes, password reset, disable, delete: one event each, the admin as actor', async () => {
    const create = ids();
    const added = expectStatus<{ user: { id: string }; temporaryPassword: string }>(
      await create
        .tag(api('identity').post('/v1/users'))
        .set(bearer(provider.token))
        .send({
          firstName: 'Uma',
          lastName: 'User',
          email: uniqueEmail(),
          roles: ['HelpdeskAgent'],
        }),
      201,
    );
    const created = await expectOneEvent(create, 'user.created', {
      actor: user(providerAdmin),
      tenantIds: [provider.tenantId],
      secrets: [added.temporaryPassword],
    });
    expect(created.resource).toEqual({ type: 'user', id: added.user.id });
    expect(created.after).toMatchObject({ roles: ['HelpdeskAgent'], passwordTemporary: true });

    const patch = (roles: string[]) => {
      const call = ids();
      return {
        call,
        send: () =>
          call
            .tag(api('identity').patch(`/v1/users/${added.user.id}`))
            .set(bearer(provider.token))
            .send({ roles }),
      };
    };
    const granted = patch(['HelpdeskAgent', 'SalesAgent']);
    expectStatus(await granted.send(), 200);
    expect(
      (
        await expectOneEvent(granted.call, 'user.role_granted', {
          actor: user(providerAdmin),
          tenantIds: [provider.tenantId],
        })
      ).before,
    ).toEqual({ roles: ['HelpdeskAgent'] });
    const revoked = patch(['SalesAgent']);
    expectStatus(await revoked.send(), 200);
    await expectOneEvent(revoked.call, 'user.role_revoked', {
      actor: user(providerAdmin),
      tenantIds: [provider.tenantId],
    });
    const replaced = patch(['HelpdeskAgent']);
    expectStatus(await replaced.send(), 200);
    const changed = await expectOneEvent(replaced.call, 'user.roles_changed', {
      actor: user(providerAdmin),
      tenantIds: [provider.tenantId],
    });
    expect(changed).toMatchObject({
      before: { roles: ['SalesAgent'] },
      after: { roles: ['HelpdeskAgent'] },
    });
    // The same roles again change nothing: no event.
    const same = patch(['HelpdeskAgent']);
    expectStatus(await same.send(), 200);
    expect(await eventsOf(same.call.requestId)).toEqual([]);

    const reset = ids();
    const { temporaryPassword } = expectStatus<{ temporaryPassword: string }>(
      await reset
        .tag(api('identity').post(`/v1/users/${added.user.id}/password-reset`))
        .set(bearer(provider.token)),
      200,
    );
    await expectOneEvent(reset, 'user.password_reset', {
      actor: user(providerAdmin),
      tenantIds: [provider.tenantId],
      secrets: [temporaryPassword, added.temporaryPassword],
    });

    const disable = ids();
    expectStatus(
      await disable
        .tag(api('identity').post(`/v1/users/${added.user.id}/disable`))
        .set(bearer(provider.token)),
      200,
    );
    await expectOneEvent(disable, 'user.disabled', {
      actor: user(providerAdmin),
      tenantIds: [provider.tenantId],
    });
    const disableAgain = ids();
    expectStatus(
      await disableAgain
        .tag(api('identity').post(`/v1/users/${added.user.id}/disable`))
        .set(bearer(provider.token)),
      200,
    );
    expect(await eventsOf(disableAgain.requestId)).toEqual([]);

    const remove = ids();
    expectStatus(
      await remove
        .tag(api('identity').delete(`/v1/users/${added.user.id}`))
        .set(bearer(provider.token)),
      204,
    );
    const deleted = await expectOneEvent(remove, 'user.deleted', {
      actor: user(providerAdmin),
      tenantIds: [provider.tenantId],
    });
    expect(deleted.before).toMatchObject({ id: added.user.id, roles: ['HelpdeskAgent'] });
  }, 60_000);

  it('writes nothing for a refused request (400, 403, 404)', async () => {
    const other = await enrollPartner({ partnerType: 'indirect_reseller' });
    const otherUser = await addUser(other.token, ['SalesAgent']);
    const refusals: [Test, number][] = [
      [
        api('identity')
          .post('/v1/users')
          .set(bearer(provider.token))
          .send({ firstName: 'A', lastName: 'B', email: uniqueEmail(), roles: ['NoSuchRole'] }),
        400,
      ],
      [
        api('identity')
          .patch(`/v1/users/${otherUser.user.id}`)
          .set(bearer(provider.token))
          .send({ roles: ['GlobalAdmin'] }),
        404,
      ],
      [api('identity').post('/v1/platform/signing-keys/rotate').set(bearer(provider.token)), 403],
      [
        api('identity')
          .post(`/v1/users/${providerAdmin.userId}/disable`)
          .set(bearer(provider.token)),
        409,
      ],
    ];
    for (const [test, status] of refusals) {
      const call = ids();
      expect((await call.tag(test)).status).toBe(status);
      expect(await eventsOf(call.requestId)).toEqual([]);
    }
  }, 60_000);
});

describe('sign-in', () => {
  it('records a successful sign-in and a lockout, never a failed attempt, nothing for an unknown address', async () => {
    const added = await addUser(provider.token, ['SalesAgent']);
    const password = strongPassword();
    const first = await signIn(added.user.email, added.temporaryPassword, provider.tenantId);
    expectStatus(
      await api('identity')
        .post('/v1/auth/password')
        .set(bearer(first.accessToken))
        .send({ currentPassword: added.temporaryPassword, newPassword: password }),
      200,
    );
    const who = { userId: added.user.id, tenantId: provider.tenantId };

    const ok = ids();
    expectStatus(
      await ok
        .tag(api('identity').post('/v1/auth/token'))
        .send({ email: added.user.email, password, organization: provider.tenantId }),
      200,
    );
    await expectOneEvent(ok, 'user.signed_in', {
      actor: user(who),
      tenantIds: [provider.tenantId],
      secrets: [password],
    });

    const { maxFailures } = harnessSettings().auth;
    const attempts: string[] = [];
    for (let i = 0; i < maxFailures + 1; i += 1) {
      const call = ids();
      attempts.push(call.requestId);
      const response = await call
        .tag(api('identity').post('/v1/auth/token'))
        .send({ email: added.user.email, password: `Wrong-password-${i}` });
      expect([401, 429]).toContain(response.status);
    }
    const written = (await Promise.all(attempts.map((id) => eventsOf(id)))).flat();
    expect(written.map((event) => event.type)).toEqual(['user.locked_out']);
    expect(written[0]).toMatchObject({
      actor: anonymous(),
      tenantIds: [provider.tenantId],
      resource: { type: 'user', id: added.user.id },
    });
    expectNoSecret(written[0], ['Wrong-password']);

    const unknown = uniqueEmail('nobody');
    for (let i = 0; i < maxFailures + 1; i += 1) {
      const call = ids();
      const response = await call
        .tag(api('identity').post('/v1/auth/token'))
        .send({ email: unknown, password: `Wrong-password-${i}` });
      expect([401, 429]).toContain(response.status);
      expect(await eventsOf(call.requestId)).toEqual([]);
    }
  }, 60_000);
});

describe('password reset by link', () => {
  it('records the request and the reset, anonymous, naming the user; no link, no password', async () => {
    const added = await addUser(provider.token, ['SalesAgent']);
    const requested = ids();
    expectStatus(
      await requested
        .tag(api('identity').post('/v1/auth/password-reset-requests'))
        .send({ email: added.user.email }),
      202,
    );
    await expectOneEvent(requested, 'user.password_reset_requested', {
      actor: anonymous(),
      tenantIds: [provider.tenantId],
    });
    const email = await waitForEmail({
      to: added.user.email,
      subjectIncludes: 'Reset your password',
    });
    const page = await api('identity').get(
      new URL(linkIn(email)).pathname + new URL(linkIn(email)).search,
    );
    const form = formOf(page.text, linkIn(email));
    const password = strongPassword();
    const reset = ids();
    const response = await reset.tag(
      request(new URL(form.action).origin)
        .post(new URL(form.action).pathname)
        .type('form')
        .send({ ...form.fields, password, passwordConfirmation: password }),
    );
    expect(response.status).toBe(200);
    await expectOneEvent(reset, 'user.password_reset', {
      actor: anonymous(added.user.id, provider.tenantId),
      tenantIds: [provider.tenantId],
      secrets: [password, tokenIn(email)],
    });
  }, 60_000);
});

describe('delegated administration', () => {
  it('admin access: the grant, the withdrawal, both trails (minting users through it is gone: issue 10)', async () => {
    const reseller = await enrollPartner({ partnerType: 'indirect_reseller' });
    const resellerAdmin = await meOf(reseller.token);
    await partner(provider, reseller);
    const [granted] = await eventually('the admin_access.granted event', async () => {
      const rows = await dbRows<{ payload: unknown }>(
        'identity',
        `select payload from outbox_message where name = 'audit.recorded'
            and payload->>'type' = 'admin_access.granted' and payload->'after'->>'resellerTenantId' = $1`,
        [reseller.tenantId],
      );
      return rows.length > 0 ? rows.map((row) => AuditEventSchema.parse(row.payload)) : undefined;
    });
    expect(granted).toMatchObject({ actor: user(resellerAdmin), requestId: null });
    expect([...granted.tenantIds].sort()).toEqual([provider.tenantId, reseller.tenantId].sort());

    const withdraw = ids();
    expectStatus(
      await withdraw
        .tag(api('identity').delete(`/v1/admin-access/${provider.tenantId}`))
        .set(bearer(reseller.token)),
      204,
    );
    const withdrawn = await expectOneEvent(withdraw, 'admin_access.withdrawn', {
      actor: user(resellerAdmin),
      tenantIds: [reseller.tenantId, provider.tenantId],
    });
    expect((withdrawn.after as { disabledUserIds: string[] }).disabledUserIds).toEqual([]);
  }, 120_000);

  it("a new customer and its users: the partner's trail and the customer's, on behalf of the customer", async () => {
    const customer = await createCustomer(provider);
    const [created] = await eventsAbout(customer.id, 'organization.created');
    expect(created).toMatchObject({
      actor: { kind: 'user', tenantId: provider.tenantId },
      requestId: null,
      resource: { type: 'organization', id: customer.id },
    });
    expect([...created.tenantIds].sort()).toEqual([customer.id, provider.tenantId].sort());
    expectNoSecret(created, [customer.userCredentials.password]);

    const create = ids();
    const added = expectStatus<{ temporaryPassword: string }>(
      await create
        .tag(api('identity').post(`/v1/customers/${customer.id}/users`))
        .set(bearer(provider.token))
        .send({
          firstName: 'Bea',
          lastName: 'Billing',
          email: uniqueEmail(),
          roles: ['BillingAdmin'],
        }),
      201,
    );
    await expectOneEvent(create, 'user.created', {
      actor: user(providerAdmin, customer.id),
      tenantIds: [customer.id, provider.tenantId],
      secrets: [added.temporaryPassword],
    });
  }, 60_000);
});

describe('a rolled-back change writes no event', () => {
  it('concurrent sign-ups for one default domain: one commits with its event, the others none', async () => {
    const domainPrefix = uniqueDomainPrefix('rollback');
    const calls = Array.from({ length: 4 }, () => ids());
    const responses = await Promise.all(
      calls.map((call) =>
        call.tag(api('identity').post('/v1/customer-signups')).send({
          companyName: 'Northwind Traders',
          address: addressIn('US'),
          country: 'US',
          cloud: 'public',
          domainPrefix,
          globalAdmin: {
            firstName: 'Casey',
            lastName: 'Customer',
            email: uniqueEmail('admin', 'northwind'),
            password: strongPassword(),
          },
        }),
      ),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    for (const [i, response] of responses.entries()) {
      const events = await eventsOf(calls[i].requestId);
      if (response.status === 201) {
        expect(events.map((event) => event.type)).toEqual(['organization.signed_up']);
        expect(events[0].tenantIds).toEqual([(response.body as { tenantId: string }).tenantId]);
      } else {
        expect(events).toEqual([]);
      }
    }
  }, 60_000);
});

/**
 * The route walk of identity: each protected route's fixture makes its valid call (test/e2e/support/
 * identity/route-fixtures.ts) tagged with its own request id; a route that may change state
 * (POST, PUT, PATCH, DELETE) writes exactly one event, of a type its `@Audited` declares; a GET
 * writes none.
 */
describe('every identity route fixture', () => {
  let world: BaseWorld;
  let routes: DeclaredRoute[];
  const audited = new Map<string, string[]>();
  const context: FixtureContext = {
    reviewUrl: async () => {
      review ??= await startExtraInstance('identity', () => ({ autoApprove: false }));
      return review.url;
    },
  };

  beforeAll(async () => {
    world = await buildBaseWorld();
    routes = (await declaredRoutes('identity')).filter(
      (route) => IDENTITY_ROUTE_FIXTURES[route.key],
    );
    const root = AppModule.forRoot(loadIdentityConfig(envFor('identity', devSettings())));
    const scanner = new MetadataScanner();
    for (const controller of await controllersOf(root)) {
      const prototype = controller.prototype as Record<string, object>;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const types = Reflect.getMetadata(AUDITED_KEY, prototype[name]) as string[] | undefined;
        if (types) audited.set(`${controller.name}.${name}`, types);
      }
    }
  }, 240_000);

  it('writes exactly one declared event per valid call that writes, none per read', async () => {
    expect(routes.length).toBe(Object.keys(IDENTITY_ROUTE_FIXTURES).length);
    const problems: string[] = [];
    for (const route of routes) {
      const fixture = IDENTITY_ROUTE_FIXTURES[route.key];
      const valid = await fixture.valid(world, context);
      const call = ids();
      const path = fillPath(route.path, valid.params ?? {});
      const agent = api('identity');
      let test =
        route.method === 'GET'
          ? agent.get(path)
          : route.method === 'POST'
            ? agent.post(path)
            : route.method === 'PATCH'
              ? agent.patch(path)
              : route.method === 'PUT'
                ? agent.put(path)
                : agent.delete(path);
      test = call.tag(test).set(bearer(valid.token ?? fixture.caller(world)));
      for (const [name, value] of Object.entries(valid.headers ?? {})) test = test.set(name, value);
      if (valid.query) test = test.query(valid.query);
      if (valid.body !== undefined) test = test.send(valid.body as object);
      const response = await test;
      if (response.status !== fixture.status) {
        problems.push(`${route.key}: ${response.status} ${response.text}`);
        continue;
      }
      const types = (await eventsOf(call.requestId)).map((event) => event.type);
      const declared = audited.get(route.handler) ?? [];
      if (route.method === 'GET') {
        if (types.length > 0) problems.push(`${route.key}: a read wrote ${types.join(', ')}`);
      } else if (types.length !== 1 || !declared.includes(types[0])) {
        problems.push(
          `${route.key}: wrote [${types.join(', ')}], declares [${declared.join(', ')}]`,
        );
      } else if (!(types[0] in IDENTITY_AUDIT_EVENTS)) {
        problems.push(`${route.key}: ${types[0]} is not in the catalogue`);
      }
    }
    expect(problems).toEqual([]);
  }, 300_000);
});
