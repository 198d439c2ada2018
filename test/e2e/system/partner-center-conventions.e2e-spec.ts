import { randomUUID } from 'node:crypto';
import request, { type Response } from 'supertest';
import {
  addUser,
  api,
  bearer,
  enrollPartner,
  errorCode,
  expectApiError,
  expectStatus,
  linkHeaders,
  operatorToken,
  startExtraInstance,
  type Collection,
  type EnrolledPartner,
  type ExtraInstance,
  type ServiceName,
} from '../support';
import { REFUSING_URL } from '../support/relationships/webhooks';

/**
 * Issue 11 "Partner Center's conventions, everywhere", from a Partner Center client's side: the
 * error body with numeric codes and array data, 405 with `Allow`, `MS-RequestId` and
 * `MS-CorrelationId` on every answer, per-tenant rate limits shared by every instance and service,
 * PascalCase bodies, and seek paging through `links.next` with `MS-ContinuationToken`.
 */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Asserts that `response` echoes the request and correlation ids it was sent with. */
function expectIdsEchoed(response: Response, requestId: string, correlationId: string): void {
  expect({
    status: response.status,
    requestId: response.headers['ms-requestid'],
    correlationId: response.headers['ms-correlationid'],
  }).toEqual({ status: response.status, requestId, correlationId });
}

describe("Partner Center's conventions", () => {
  let partner: EnrolledPartner;
  let operator: string;

  beforeAll(async () => {
    partner = await enrollPartner({ partnerType: 'indirect_provider' });
    operator = await operatorToken();
  });

  describe('errors: { code (a number), description, data (an array), source }', () => {
    it.each<[ServiceName, string]>([
      ['identity', '/v1/nowhere'],
      ['relationships', '/v1/nowhere'],
      ['notifications', '/v1/nowhere'],
    ])("answers an unknown path on %s with Partner Center's 1000", async (service, path) => {
      const body = expectApiError(await api(service).get(path), 404, 'route.not_found', service);
      expect(body).toEqual({
        code: 1000,
        description: expect.any(String) as unknown,
        data: [],
        source: service,
      });
    });

    it("answers invalid input with 3000 and the problems as data, a missing token with Partner Center's 400", async () => {
      const invalid = expectApiError(
        await api('relationships')
          .post('/v1/webhook-endpoints')
          .set(bearer(partner.token))
          .send({ url: REFUSING_URL, eventTypes: 'all' }),
        400,
        'request.invalid',
        'relationships',
      );
      expect(invalid.code).toBe(3000);
      expect(invalid.data).toEqual([
        { path: 'eventTypes', message: expect.any(String) as unknown },
      ]);
      const anonymous = expectApiError(
        await api('identity').get('/v1/users'),
        401,
        'auth.unauthenticated',
      );
      expect(anonymous.code).toBe(400);
    });

    it("answers a user that is not there with Partner Center's 60002, and a role without the permission with 900150 naming it", async () => {
      const missing = expectApiError(
        await api('identity').delete(`/v1/users/${randomUUID()}`).set(bearer(partner.token)),
        404,
        'user.not_found',
      );
      expect(missing.code).toBe(60002);
      const forbidden = expectApiError(
        await api('notifications').get('/v1/deliveries').set(bearer(partner.token)),
        403,
        'auth.forbidden',
        'notifications',
      );
      expect(forbidden.code).toBe(900150);
      expect(forbidden.data).toEqual([{ permission: expect.any(String) as unknown }]);
    });
  });

  describe('a wrong method', () => {
    it.each<[ServiceName, 'put' | 'delete', string, string]>([
      ['identity', 'put', '/v1/users', 'GET, HEAD, POST'],
      ['relationships', 'put', '/v1/webhook-endpoints', 'GET, HEAD, POST'],
      ['notifications', 'delete', '/v1/deliveries', 'GET, HEAD'],
    ])(
      'on %s: %s %s answers 405 with Allow: %s, whoever asks',
      async (service, method, path, allow) => {
        for (const auth of [{}, bearer(partner.token)]) {
          const call = method === 'put' ? api(service).put(path) : api(service).delete(path);
          const response = await call.set(auth).send({});
          const body = expectApiError(response, 405, 'route.method_not_allowed', service);
          expect(response.headers.allow).toBe(allow);
          expect(body.data).toEqual(allow.split(', '));
        }
      },
    );

    it('on a path parameter route lists its methods, and an unknown path stays 404', async () => {
      const response = await api('identity').put(`/v1/users/${randomUUID()}`).send({});
      expectApiError(response, 405, 'route.method_not_allowed');
      expect(response.headers.allow).toBe('PATCH, DELETE');
      expectApiError(await api('identity').put('/v1/users/a/b/c'), 404, 'route.not_found');
    });
  });

  describe('MS-RequestId and MS-CorrelationId', () => {
    it('are echoed on a success, a refusal, 404, 405 and 413', async () => {
      const requestId = randomUUID();
      const correlationId = randomUUID();
      const ids = { 'MS-RequestId': requestId, 'MS-CorrelationId': correlationId };
      const answers = [
        await api('identity').get('/v1/users').set(bearer(partner.token)).set(ids),
        await api('identity').get('/v1/users?bogus=1').set(bearer(partner.token)).set(ids),
        await api('relationships').get('/v1/nowhere').set(ids),
        await api('notifications').post('/v1/deliveries').set(ids),
        await api('identity')
          .post('/v1/auth/token')
          .set(ids)
          .set('content-type', 'application/json')
          .send(JSON.stringify({ email: 'a@contoso.example', password: 'x'.repeat(65 * 1024) })),
      ];
      expect(answers.map((r) => r.status)).toEqual([200, 400, 404, 405, 413]);
      for (const answer of answers) expectIdsEchoed(answer, requestId, correlationId);
    });

    it('are new GUIDs when the request has none, a new one per request', async () => {
      const first = await api('relationships').get('/v1/nowhere');
      const second = await api('relationships').get('/v1/nowhere');
      expect(first.headers['ms-requestid']).toMatch(GUID);
      expect(first.headers['ms-correlationid']).toMatch(GUID);
      expect(second.headers['ms-requestid']).not.toBe(first.headers['ms-requestid']);
    });
  });

  describe('rate limits per tenant', () => {
    const LIMIT = 3;
    let limited: ExtraInstance;
    let other: ExtraInstance;

    beforeAll(async () => {
      const strict = () => ({ tenantRateLimit: { limit: LIMIT, windowSeconds: 60 } });
      [limited, other] = await Promise.all([
        startExtraInstance('relationships', strict),
        startExtraInstance('identity', strict),
      ]);
    });

    afterAll(async () => {
      await Promise.all([limited?.stop(), other?.stop()]);
    });

    it('refuse a tenant over its limit with 429 and Retry-After on every instance and service, not another tenant', async () => {
      // Two fresh tenants: their sign-ups and sign-ins are public routes, which do not count.
      const [busy, calm] = await Promise.all([
        enrollPartner({ partnerType: 'indirect_reseller' }),
        enrollPartner({ partnerType: 'indirect_reseller' }),
      ]);
      const requestId = randomUUID();
      const list = (base: string, token: string) =>
        request(base)
          .get('/v1/webhook-endpoints')
          .set(bearer(token))
          .set('MS-RequestId', requestId)
          .set('MS-CorrelationId', requestId);
      for (let i = 0; i < LIMIT; i += 1) expectStatus(await list(limited.url, busy.token), 200);
      const refused = await list(limited.url, busy.token);
      const body = expectApiError(refused, 429, 'request.throttled', 'relationships');
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(body.data).toEqual([{ retryAfterSeconds: retryAfter }]);
      expectIdsEchoed(refused, requestId, requestId);
      // The count is the tenant's across the API: another service, another instance refuses it.
      expectApiError(
        await request(other.url).get('/v1/users').set(bearer(busy.token)),
        429,
        'request.throttled',
        'identity',
      );
      // Another tenant is not affected, on the same instance.
      for (let i = 0; i < LIMIT; i += 1) expectStatus(await list(limited.url, calm.token), 200);
    });
  });

  describe('request bodies in PascalCase', () => {
    it("are read like camelCase, with the SDK's Attributes dropped; the answer is camelCase", async () => {
      const created = expectStatus<Record<string, unknown>>(
        await api('relationships')
          .post('/v1/webhook-endpoints')
          .set(bearer(partner.token))
          .send({
            Url: REFUSING_URL,
            EventTypes: ['webhook_endpoint.updated'],
            Description: 'Pascal',
            Attributes: { ObjectType: 'WebhookEndpoint' },
          }),
        201,
      );
      expect(created).toMatchObject({
        url: REFUSING_URL,
        eventTypes: ['webhook_endpoint.updated'],
        description: 'Pascal',
      });
      expect(Object.keys(created).filter((key) => /^[A-Z]/.test(key))).toEqual([]);
    });

    it('still refuse an unknown property, in either casing, and one given in both casings', async () => {
      for (const body of [
        { Url: REFUSING_URL, EventTypes: ['webhook_endpoint.updated'], Colour: 'red' },
        { url: REFUSING_URL, Url: REFUSING_URL, eventTypes: ['webhook_endpoint.updated'] },
      ]) {
        const refused = expectApiError(
          await api('relationships')
            .post('/v1/webhook-endpoints')
            .set(bearer(partner.token))
            .send(body),
          400,
          'request.invalid',
        );
        expect(refused.description).toMatch(/colour|url/i);
      }
    });
  });

  describe('collections: seek paging', () => {
    let admin: EnrolledPartner;

    beforeAll(async () => {
      admin = await enrollPartner({ partnerType: 'indirect_reseller' });
      await addUser(admin.token, ['SalesAgent']);
      await addUser(admin.token, ['SalesAgent']);
    });

    it('walks a list through links.next with its MS-ContinuationToken, as the SDK does', async () => {
      const first = expectStatus<Collection<{ id: string }>>(
        await api('identity').get('/v1/users?size=2').set(bearer(admin.token)),
        200,
      );
      expect(first.totalCount).toBe(2);
      expect(first.attributes).toEqual({ objectType: 'Collection' });
      expect(first.links.self).toEqual({ uri: '/v1/users?size=2', method: 'GET', headers: [] });
      expect(first.continuationToken).toEqual(expect.any(String));
      expect(first.links.next).toEqual({
        uri: '/v1/users?size=2&seekOperation=Next',
        method: 'GET',
        headers: [{ key: 'MS-ContinuationToken', value: first.continuationToken }],
      });
      const second = expectStatus<Collection<{ id: string }>>(
        await api('identity')
          .get(first.links.next!.uri)
          .set(bearer(admin.token))
          .set(linkHeaders(first.links.next)),
        200,
      );
      expect(second.totalCount).toBe(1);
      expect(second.items[0].id).not.toBe(first.items[0].id);
      expect(second.items[0].id).not.toBe(first.items[1].id);
      expect(second.links.next).toBeUndefined();
      expect(second).not.toHaveProperty('continuationToken');
      expect(second.links.self).toEqual({ ...first.links.next, method: 'GET' });
    });

    it('refuses another seekOperation, Next without its token, and an unknown query parameter, naming each', async () => {
      for (const operation of ['Previous', 'First', 'Last', 'PageIndex', 'Sideways']) {
        const refused = expectApiError(
          await api('identity')
            .get(`/v1/users?seekOperation=${operation}`)
            .set(bearer(admin.token))
            .set('MS-ContinuationToken', 'x'),
          400,
          'request.invalid',
        );
        expect(refused.description).toContain('seekOperation');
      }
      const withoutToken = expectApiError(
        await api('identity').get('/v1/users?seekOperation=Next').set(bearer(admin.token)),
        400,
        'request.invalid',
      );
      expect(withoutToken.description).toContain('MS-ContinuationToken');
      const forged = await api('identity')
        .get('/v1/users?seekOperation=Next')
        .set(bearer(admin.token))
        .set('MS-ContinuationToken', 'forged');
      expect(forged.body).toMatchObject({ code: errorCode('request.invalid_cursor') });
      for (const [service, path, token] of [
        ['identity', '/v1/users?filterr=1', admin.token],
        ['notifications', '/v1/deliveries?filterr=1', operator],
        ['relationships', '/v1/webhook-endpoints?filterr=1', admin.token],
      ] as const) {
        const unknown = expectApiError(
          await api(service).get(path).set(bearer(token)),
          400,
          'request.invalid',
          service,
        );
        expect(unknown.description).toContain('filterr');
      }
    });
  });
});
