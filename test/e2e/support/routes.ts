import {
  controllersOf,
  declaredRoutes,
  routesOf,
  type DeclaredRoute,
  type ServiceName,
} from '../../../apps/gateway/openapi/service-routes';
import type { HttpMethod, RouteAccess, RouteAudit } from '@app/platform';

/**
 * The HTTP routes each service registers, read from the application itself (see `routesOf` in
 * libs/platform/src/openapi/route-table.ts and apps/gateway/openapi/service-routes.ts): a new
 * controller or route appears here without anyone listing it.
 */
export { controllersOf, declaredRoutes, routesOf };
export type { DeclaredRoute, HttpMethod, RouteAccess, RouteAudit, ServiceName };

/** A path with its parameters filled in, e.g. `fillPath('/v1/users/:id', { id })`. */
export function fillPath(path: string, params: Record<string, string>): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`No value for the path parameter :${name} of ${path}`);
    return encodeURIComponent(value);
  });
}
