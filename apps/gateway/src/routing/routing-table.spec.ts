import { matchRoute, routingTable, serviceFor } from './routing-table';

describe('the gateway routing table', () => {
  const table = routingTable({
    paths: {
      '/v1/customers/{id}': { get: { 'x-service': 'relationships' } },
      '/v1/customers/{customerTenantId}/users': { get: { 'x-service': 'identity' } },
      '/v1/customers/relationshiprequests': { get: { 'x-service': 'relationships' } },
      '/v1/things/{id}': {
        get: { 'x-service': 'identity' },
        post: { 'x-service': 'relationships' },
      },
      '/v1/undocumented': { get: { summary: 'no x-service' } },
    },
  });

  it('matches the most specific template: a literal segment before a parameter', () => {
    expect(matchRoute(table, '/v1/customers/relationshiprequests')?.template).toBe(
      '/v1/customers/relationshiprequests',
    );
    expect(matchRoute(table, '/v1/customers/abc')?.template).toBe('/v1/customers/{id}');
    expect(matchRoute(table, '/v1/customers/abc/users')?.template).toBe(
      '/v1/customers/{customerTenantId}/users',
    );
  });

  it('matches nothing for an unknown path, an empty parameter or a path without a service', () => {
    expect(matchRoute(table, '/v1/customers/abc/users/x')).toBeUndefined();
    expect(matchRoute(table, '/v1/customers/')).toBeUndefined();
    expect(matchRoute(table, '/v1/undocumented')).toBeUndefined();
  });

  it("picks the service by method, HEAD as GET, and the path's service for a method none declares", () => {
    const entry = matchRoute(table, '/v1/things/1');
    expect(entry).toBeDefined();
    if (!entry) return;
    expect(serviceFor(entry, 'GET')).toBe('identity');
    expect(serviceFor(entry, 'post')).toBe('relationships');
    expect(serviceFor(entry, 'HEAD')).toBe('identity');
    expect(serviceFor(entry, 'DELETE')).toBe('identity');
  });
});
