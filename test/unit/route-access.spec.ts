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

  it.each(['identity', 'relationships', 'notifications'] as const)(
    '%s: every public route declares @RateLimited() or @NotRateLimited(reason)',
    async (service) => {
      const routes = await declaredRoutes(service);
      const undeclared = routes
        .filter((route) => route.access.kind === 'public' && route.rateLimits === undefined)
        .map((route) => `${route.key} (${route.handler})`);
      expect(undeclared).toEqual([]);
    },
  );

  it('limits every public route that writes, sends an email or hashes a password, per address and target', async () => {
    const limited = Object.fromEntries(
      [...(await declaredRoutes('identity')), ...(await declaredRoutes('relationships'))]
        .filter((route) => route.rateLimits && 'tier' in route.rateLimits)
        .map((route) => [route.key, route.rateLimits]),
    );
    expect(limited).toMatchObject({
      'POST /v1/auth/token': { tier: 'session' },
      'POST /v1/auth/refresh': { tier: 'session' },
      'POST /v1/auth/sign-out': { tier: 'session' },
      'POST /v1/enrollments': {
        tier: 'public',
        targets: { body: ['globalAdmin.email', 'primaryContact.email'] },
      },
      'POST /v1/customer-signups': {
        tier: 'public',
        targets: { body: ['globalAdmin.email', 'domainPrefix'] },
      },
      'POST /v1/enrollments/verification/resend': { tier: 'public', targets: { body: ['email'] } },
      'GET /v1/enrollments/verify': { tier: 'public', targets: { query: ['token'] } },
      'POST /v1/enrollments/verify': { tier: 'public', targets: { body: ['token'] } },
      'POST /v1/enrollments/verify/resend': { tier: 'public', targets: { body: ['token'] } },
      'POST /v1/enrollments/verify/confirm': { tier: 'public', targets: { body: ['token'] } },
      'GET /v1/auth/email-verification': { tier: 'public', targets: { query: ['token'] } },
      'POST /v1/auth/email-verification': { tier: 'public', targets: { body: ['token'] } },
      'POST /v1/auth/password-reset-requests': { tier: 'public', targets: { body: ['email'] } },
      'GET /v1/auth/password-reset': { tier: 'public', targets: { query: ['token'] } },
      'POST /v1/auth/password-reset': { tier: 'public', targets: { body: ['token'] } },
      'GET /invitations/partnership': { tier: 'public', targets: { query: ['token'] } },
      'POST /invitations/partnership/accept': {
        tier: 'public',
        targets: { body: ['token', 'email'] },
      },
      'GET /invitations/reseller-relationship': {
        tier: 'public',
        targets: { query: ['token', 'partnerId'] },
      },
      'POST /invitations/reseller-relationship/accept': {
        tier: 'public',
        targets: { body: ['token', 'email'] },
      },
      'POST /invitations/reseller-relationship/partner-link/accept': {
        tier: 'public',
        targets: { body: ['token', 'email'] },
      },
    });
  });

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
