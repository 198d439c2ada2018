import { declaredRoutes } from '../e2e/support/routes';

/**
 * Every HTTP route of every service declares who may call it (`@Public()` or
 * `@RequirePermission(p)`): the global guard refuses an undeclared route at run time, and this
 * fails at build time naming it. The routes come from the applications themselves
 * (test/e2e/support/routes.ts); the end-to-end authorization matrix exercises each of them.
 */
describe('route access declarations', () => {
  it.each(['identity', 'relationships', 'notifications'] as const)(
    '%s: every route declares @Public() or @RequirePermission()',
    async (service) => {
      const routes = await declaredRoutes(service);
      expect(routes.length).toBeGreaterThan(0);
      const undeclared = routes
        .filter((route) => route.access.kind === 'undeclared')
        .map((route) => `${route.key} (${route.handler})`);
      expect(undeclared).toEqual([]);
    },
  );

  it('finds routes of every kind the services serve (a sanity check of the discovery)', async () => {
    const keys = (await declaredRoutes('relationships')).map((route) => route.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        'GET /health',
        'GET /invitations/partnership',
        'POST /v1/partnership-requests/accept',
        'PATCH /v1/customers/:customerId/subscriptions/:subscriptionId',
        'DELETE /v1/relationships/:partnerTenantId',
      ]),
    );
    expect((await declaredRoutes('identity')).map((route) => route.key)).toEqual(
      expect.arrayContaining(['GET /.well-known/jwks.json', 'PATCH /v1/users/:id']),
    );
  });
});
