import { randomUUID } from 'node:crypto';
import request from 'supertest';
import {
  api,
  bearer,
  dbCount,
  enrollPartner,
  eventually,
  expectApiError,
  expectStatus,
  signIn,
  system,
  uniqueName,
  type Collection,
  type DeliveryView,
  type EnrolledPartner,
  linkHeaders,
} from '../support';

/**
 * The delivery records of the notifications worker, for the operator only (`platform.operate`):
 * `GET /v1/deliveries` page by page, and the queue dashboard (bull-board). Replaying a delivery
 * that failed for good is proven with a refusing SMTP server in worker.e2e-spec.ts.
 */

describe('delivery records: operator access', () => {
  let operatorToken: string;
  let partner: EnrolledPartner;

  beforeAll(async () => {
    operatorToken = (await signIn(system().operator.email, system().operator.password)).accessToken;
    partner = await enrollPartner({
      partnerType: 'indirect_provider',
      name: uniqueName('Contoso Operator Check'),
    });
    // Two pages of one need two records, even when this spec runs alone: the partner's
    // verification and status emails.
    await eventually('two delivery records', async () =>
      (await dbCount('notifications', 'delivery', 'true')) >= 2 ? true : undefined,
    );
  });

  const operator = () => bearer(operatorToken);

  it('lists deliveries only for the operator, in pages', async () => {
    expectApiError(
      await api('notifications').get('/v1/deliveries'),
      401,
      'auth.unauthenticated',
      'notifications',
    );
    expectApiError(
      await api('notifications').get('/v1/deliveries').set(bearer(partner.token)),
      403,
      'auth.forbidden',
      'notifications',
    );
    expectApiError(
      await api('notifications')
        .post(`/v1/deliveries/${randomUUID()}/replay`)
        .set(bearer(partner.token)),
      403,
      'auth.forbidden',
      'notifications',
    );
    expectApiError(
      await api('notifications').get('/v1/deliveries?status=lost').set(operator()),
      400,
      'request.invalid',
      'notifications',
    );
    expectApiError(
      await api('notifications').get('/v1/deliveries?seek=forged').set(operator()),
      400,
      'request.invalid_cursor',
      'notifications',
    );

    const first = expectStatus<Collection<DeliveryView>>(
      await api('notifications').get('/v1/deliveries?size=1').set(operator()),
      200,
    );
    expect(first.items).toHaveLength(1);
    expect(first.attributes.objectType).toBe('Collection');
    expect(first.links.next?.uri).toMatch(/^\/v1\/deliveries\?size=1&seekOperation=Next$/);
    const second = expectStatus<Collection<DeliveryView>>(
      await api('notifications')
        .get(first.links.next?.uri ?? '')
        .set(operator())
        .set(linkHeaders(first.links.next)),
      200,
    );
    expect(second.items).toHaveLength(1);
    expect(second.items[0].idempotencyKey).not.toBe(first.items[0].idempotencyKey);
  });

  it('serves the queue dashboard only to the operator', async () => {
    const dashboard = () => request(system().urls.notifications);
    const unauthenticated = expectApiError(
      await dashboard().get('/admin/queues'),
      401,
      'auth.unauthenticated',
      'notifications',
    );
    expect(unauthenticated.data).toEqual([]);
    expectApiError(
      await dashboard().get('/admin/queues').set('Authorization', 'Bearer not-a-token'),
      401,
      'auth.unauthenticated',
      'notifications',
    );
    expectApiError(
      await dashboard().get('/admin/queues').set(bearer(partner.token)),
      403,
      'auth.forbidden',
      'notifications',
    );
    expectApiError(
      await dashboard().get('/admin/queues/api/queues').set(bearer(partner.token)),
      403,
      'auth.forbidden',
      'notifications',
    );

    const page = await dashboard().get('/admin/queues').set(operator());
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.text).toContain('<html');
    // Its own scripts may run there (the API's policy allows none).
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const queues = expectStatus<{ queues: { name: string }[] }>(
      await dashboard().get('/admin/queues/api/queues').set(operator()),
      200,
    );
    expect(queues.queues.map((q) => q.name)).toContain('notifications');
  });
});
