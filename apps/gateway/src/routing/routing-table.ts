/**
 * Which service answers a request, read from the OpenAPI document (each operation's `x-service`,
 * written from the services' own route tables): no hand list, so a route another feature adds is
 * routed as soon as the document is rebuilt. Paths overlap across services
 * (`/v1/customers/{id}/users` is identity's, `/v1/customers/{id}` relationships'), so a request
 * goes to the most specific template that matches it: segment by segment from the left, a literal
 * segment beats a parameter (as Fastify's router, and Partner Center's, match).
 */

/** The OpenAPI methods the table reads. */
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** One path template with the service of each of its methods. */
export interface RouteEntry {
  /** OpenAPI template, e.g. `/v1/customers/{customerId}`. */
  template: string;
  /** Fastify form, e.g. `/v1/customers/:p1`. */
  fastifyPath: string;
  /** Method (upper case) → service. */
  services: Record<string, string>;
  segments: (string | null)[];
}

/** What the routing needs of the OpenAPI document. */
export interface RoutableDocument {
  paths: Record<string, Record<string, unknown>>;
}

/** The routing table of `document`, most specific template first. */
export function routingTable(document: RoutableDocument): RouteEntry[] {
  const entries: RouteEntry[] = [];
  for (const [template, item] of Object.entries(document.paths)) {
    const services: Record<string, string> = {};
    for (const method of METHODS) {
      const service = (item[method] as { 'x-service'?: unknown } | undefined)?.['x-service'];
      if (typeof service === 'string') services[method.toUpperCase()] = service;
    }
    if (Object.keys(services).length === 0) continue;
    let n = 0;
    const segments = template
      .split('/')
      .slice(1)
      .map((segment) => (/^\{.+\}$/.test(segment) ? null : segment));
    const fastifyPath = `/${segments.map((s) => (s === null ? `:p${++n}` : s)).join('/')}`;
    entries.push({ template, fastifyPath, services, segments });
  }
  return entries.sort((a, b) => compareSpecificity(a.segments, b.segments));
}

/** Negative when `a` is more specific than `b`: the first segment where one is literal wins. */
function compareSpecificity(a: (string | null)[], b: (string | null)[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
    if ((a[i] === null) !== (b[i] === null)) return a[i] === null ? 1 : -1;
  }
  return a.length - b.length;
}

/** The entry for a request path (no query string), or undefined when no template matches. */
export function matchRoute(table: RouteEntry[], pathname: string): RouteEntry | undefined {
  const parts = pathname.split('/').slice(1);
  return table.find(
    (entry) =>
      entry.segments.length === parts.length &&
      entry.segments.every((segment, i) =>
        segment === null ? parts[i] !== '' : segment === parts[i],
      ),
  );
}

/**
 * The service for `method` on `entry`: the one declaring that method, or, for a method no service
 * declares on the path, the path's service (it answers 405 with `Allow`).
 */
export function serviceFor(entry: RouteEntry, method: string): string {
  const upper = method.toUpperCase();
  return (
    entry.services[upper] ??
    (upper === 'HEAD' ? entry.services.GET : undefined) ??
    Object.values(entry.services)[0]
  );
}
