import FindMyWay from 'find-my-way';

/** The HTTP methods a route table is asked about, in the order `Allow` lists them. */
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
type Method = (typeof METHODS)[number];

/**
 * Which methods a path answers, for a 405 with `Allow` (RFC 9110 15.5.6; Partner Center answers 405
 * for a wrong method, its SDK maps it to `InvalidOperation`). Fed by Fastify's `onRoute` hook with
 * every route the service registers, and matched with find-my-way, the router Fastify itself uses,
 * so a path parameter matches here exactly as it does there.
 */
export class RouteMethods {
  private readonly router = FindMyWay({ ignoreTrailingSlash: false, caseSensitive: true });

  /**
   * Record that `url` (a route pattern, `/v1/customers/:customerId`) answers `method`. Wildcard
   * routes (CORS preflight's `OPTIONS *`, a static prefix) are left out: they would make every
   * path "exist".
   */
  add(method: string | string[], url: string): void {
    if (url.includes('*')) return;
    for (const m of Array.isArray(method) ? method : [method]) {
      const upper = m.toUpperCase();
      if (!(METHODS as readonly string[]).includes(upper)) continue;
      if (this.router.hasRoute(upper as Method, url)) continue;
      this.router.on(upper as Method, url, () => undefined);
    }
  }

  /**
   * The methods that answer the path of `url` (its query ignored), in a stable order; empty when no
   * route matches the path at all (a 404).
   */
  allowed(url: string): Method[] {
    const path = url.split('?')[0];
    return METHODS.filter((method) => this.router.find(method, path) !== null);
  }
}
