import { buildOpenApiDocument } from '../../apps/gateway/openapi/openapi-document';
import { SERVICE_NAMES, declaredRoutes } from '../../apps/gateway/openapi/service-routes';

/**
 * Unknown fields are refused, never silently dropped (developers' guide, "Bad input"): every
 * object in every request body of the OpenAPI document (which is read from the `ZodPipe` schemas
 * the routes validate with) says `additionalProperties: false`, at any depth. The one exception is
 * Partner Center's resource `attributes` object (`{ ObjectType, Etag }`), which its SDKs send on
 * every resource and the API reads as documentation only (README "Partner Center conventions").
 */
type Schema = Record<string, unknown>;

function openObjects(
  document: Schema,
  schema: unknown,
  where: string,
  found: string[],
  seen = new Set<unknown>(),
): void {
  if (!schema || typeof schema !== 'object' || seen.has(schema)) return;
  seen.add(schema);
  const node = schema as Schema;
  if (typeof node.$ref === 'string') {
    const target = node.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<unknown>((at, key) => (at as Schema)[key], document);
    openObjects(document, target, where, found, seen);
    return;
  }
  if (node.properties && typeof node.properties === 'object') {
    if (node.additionalProperties !== false) found.push(where || '(body)');
    for (const [key, value] of Object.entries(node.properties as Schema)) {
      if (key === 'attributes') continue;
      openObjects(document, value, `${where}.${key}`, found, seen);
    }
  }
  for (const key of ['items', 'anyOf', 'oneOf', 'allOf', 'additionalProperties']) {
    const value = node[key];
    if (Array.isArray(value))
      value.forEach((item) => openObjects(document, item, where, found, seen));
    else if (value && typeof value === 'object') openObjects(document, value, where, found, seen);
  }
}

describe('request bodies refuse unknown fields', () => {
  it('every object of every request body is closed (additionalProperties: false)', async () => {
    const routes = [];
    for (const service of SERVICE_NAMES) routes.push(...(await declaredRoutes(service)));
    const document = buildOpenApiDocument(routes, '0.0.0') as unknown as Schema;
    const open: string[] = [];
    for (const [path, item] of Object.entries(document.paths as Schema)) {
      for (const [method, operation] of Object.entries(item as Schema)) {
        const body = (operation as Schema).requestBody as Schema | undefined;
        for (const media of Object.values((body?.content ?? {}) as Schema)) {
          const found: string[] = [];
          openObjects(document, (media as Schema).schema, '', found);
          open.push(...found.map((where) => `${method.toUpperCase()} ${path} ${where}`));
        }
      }
    }
    expect(open).toEqual([]);
  });
});
