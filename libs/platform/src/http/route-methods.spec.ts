import { RouteMethods } from './route-methods';

describe('RouteMethods', () => {
  const routes = new RouteMethods();
  routes.add(['GET', 'HEAD'], '/v1/customers/:customerId');
  routes.add('PATCH', '/v1/customers/:customerId');
  routes.add('POST', '/v1/customers');
  routes.add('GET', '/v1/customers');
  routes.add('OPTIONS', '*');

  it('lists the methods of a concrete path, whatever its parameters and query', () => {
    expect(routes.allowed('/v1/customers/0b6c?x=1')).toEqual(['GET', 'HEAD', 'PATCH']);
    expect(routes.allowed('/v1/customers')).toEqual(['GET', 'POST']);
  });

  it('lists none for a path no route has (a 404, not a 405)', () => {
    expect(routes.allowed('/v1/nowhere')).toEqual([]);
    expect(routes.allowed('/v1/customers/a/b')).toEqual([]);
  });
});
