import { ERROR_CODES } from '@app/contracts';
import { z } from 'zod';
import type { DeclaredRoute } from './service-routes';

/**
 * The OpenAPI 3.1 document of the whole API, built from what the services declare (no hand list):
 * every route of every service's route table (libs/platform/src/openapi/route-table.ts) except its
 * own `/health` and `/metrics`, with
 * - its inputs: the zod schemas of its `ZodPipe`s (body, query, path parameters), converted by zod's
 *   own JSON Schema converter (`z.toJSONSchema`, draft 2020-12: the dialect of OpenAPI 3.1), as
 *   the caller sends them (`io: 'input'`);
 * - its answers: each `@ApiResponse(status, schema, description, headers?)`, as the route answers
 *   them (`io: 'output'`), and every 4xx/5xx in the one API error format (`ApiError`);
 * - its security: `@RequirePermission(p)` is a bearer token (`x-permission` names the permission),
 *   `@Public()` none;
 * - `x-service`: the service that answers it, the gateway's routing table (apps/gateway/src);
 * - `x-undocumented: true` when the route documents no answer yet: the end-to-end suite fails any
 *   call to it, naming the route.
 */

/** A JSON Schema object (draft 2020-12). */
type JsonSchema = Record<string, unknown>;

/** An OpenAPI 3.1 document, loosely typed (written to JSON). */
export type OpenApiDocument = {
  openapi: string;
  info: Record<string, unknown>;
  servers: { url: string; description: string }[];
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, unknown>;
    securitySchemes: Record<string, unknown>;
  };
};

/** One operation of the document. */
export type Operation = Record<string, unknown> & {
  operationId: string;
  'x-service': string;
  'x-undocumented'?: boolean;
  responses: Record<string, unknown>;
};

/** Routes of a service that stay on its own port (probes, scrapes): never in the document. */
export function isServiceInternal(path: string): boolean {
  return path === '/health' || path.startsWith('/health/') || path === '/metrics';
}

/** `/v1/users/:id` → `/v1/users/{id}`. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/** Request/response headers every route reads and echoes (Partner Center REST headers). */
const ECHOED_HEADERS = ['MS-RequestId', 'MS-CorrelationId'];

/** The API error body every 4xx and 5xx answers (Partner Center's error shape). */
const API_ERROR_SCHEMA: JsonSchema = {
  type: 'object',
  description:
    "Partner Center's error format: `code` (numeric; the README lists them), a sentence for the caller, details and the answering service.",
  required: ['code', 'description', 'data', 'source'],
  properties: {
    code: {
      type: 'integer',
      description: `The error's code (the README's error-code table; ${Object.keys(ERROR_CODES).length} codes).`,
    },
    description: { type: 'string' },
    data: { type: 'array', description: 'Details (e.g. the invalid fields).' },
    source: { type: 'string', description: 'The service that answered.' },
  },
};

/** Microsoft Graph's error format, answered by the GDAP routes (`@ApiErrorFormat('graph')`). */
const GRAPH_ERROR_SCHEMA: JsonSchema = {
  type: 'object',
  description:
    "Microsoft Graph's error format: `error.code` (the error's name), a sentence, and the request id and date of the answer.",
  required: ['error'],
  additionalProperties: false,
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'innerError'],
      additionalProperties: false,
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        innerError: {
          type: 'object',
          required: ['request-id', 'date'],
          properties: { 'request-id': { type: 'string' }, date: { type: 'string' } },
        },
      },
    },
  },
};

/**
 * Converts a zod schema to JSON Schema for the document: definitions it names (`$defs`, from
 * recursive or `.meta({ id })` schemas) move to `components.schemas` under a unique name.
 */
function toJsonSchema(
  schema: z.ZodType,
  io: 'input' | 'output',
  components: Record<string, JsonSchema>,
): JsonSchema {
  const converted = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as JsonSchema;
  delete converted.$schema;
  const defs = (converted.$defs ?? {}) as Record<string, JsonSchema>;
  delete converted.$defs;
  if (Object.keys(defs).length === 0) return converted;
  const renamed = new Map<string, string>();
  for (const name of Object.keys(defs)) {
    let unique = name.replace(/[^A-Za-z0-9._-]/g, '_');
    while (
      components[unique] !== undefined &&
      JSON.stringify(components[unique]) !== JSON.stringify(defs[name])
    )
      unique = `${unique}_`;
    renamed.set(name, unique);
  }
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => {
        if (key === '$ref' && typeof item === 'string') {
          if (item === '#') return [key, item];
          const match = /^#\/\$defs\/(.+)$/.exec(item);
          if (match) return [key, `#/components/schemas/${renamed.get(match[1]) ?? match[1]}`];
        }
        return [key, rewrite(item)];
      }),
    );
  };
  for (const [name, def] of Object.entries(defs)) {
    components[renamed.get(name) ?? name] = rewrite(def) as JsonSchema;
  }
  return rewrite(converted) as JsonSchema;
}

/** The properties of an object schema's JSON Schema, with the ones it requires. */
function objectProperties(schema: JsonSchema): {
  properties: Record<string, JsonSchema>;
  required: string[];
} {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = (schema.required ?? []) as string[];
  return { properties, required };
}

function describeAccess(route: DeclaredRoute): string {
  if (route.access.kind === 'permission')
    return `Needs an access token with the permission \`${route.access.permission}\`.`;
  if (route.access.kind === 'public') return 'Public: no access token.';
  return 'Declares no access (refused by the guard).';
}

/** One operation of the document for `route`. */
function operationOf(route: DeclaredRoute, components: Record<string, JsonSchema>): Operation {
  const parameters: Record<string, unknown>[] = route.params.map((name) => {
    const schema = route.inputs.params[name];
    return {
      name,
      in: 'path',
      required: true,
      schema: schema ? toJsonSchema(schema, 'input', components) : { type: 'string' },
    };
  });
  if (route.inputs.query) {
    const { properties, required } = objectProperties(
      toJsonSchema(route.inputs.query, 'input', components),
    );
    for (const [name, schema] of Object.entries(properties)) {
      parameters.push({
        name,
        in: 'query',
        required: required.includes(name),
        schema,
        ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
      });
    }
  }
  for (const [name, schema] of Object.entries(route.inputs.queryParams)) {
    parameters.push({
      name,
      in: 'query',
      required: false,
      schema: schema ? toJsonSchema(schema, 'input', components) : { type: 'string' },
    });
  }
  for (const header of ECHOED_HEADERS) {
    parameters.push({ $ref: `#/components/parameters/${header}` });
  }
  const responses: Record<string, unknown> = {};
  for (const spec of route.responses) {
    const headers = Object.fromEntries(
      [...ECHOED_HEADERS, ...(spec.headers ?? [])].map((name) => [
        name,
        { schema: { type: 'string' }, description: `The \`${name}\` header.` },
      ]),
    );
    responses[String(spec.status)] = {
      description: spec.description,
      headers,
      ...(spec.schema
        ? {
            content: {
              [spec.mediaType ?? 'application/json']: {
                schema: toJsonSchema(spec.schema, 'output', components),
              },
            },
          }
        : {}),
    };
  }
  const errorResponse = route.errorFormat === 'graph' ? 'GraphError' : 'ApiError';
  responses['4XX'] = { $ref: `#/components/responses/${errorResponse}` };
  responses['5XX'] = { $ref: `#/components/responses/${errorResponse}` };
  const [controller, handler] = route.handler.split('.');
  const operation: Operation = {
    operationId: `${controller.replace(/Controller$/, '')}_${handler}`,
    tags: [route.service],
    summary: `${route.method} ${route.path}`,
    description: describeAccess(route),
    parameters,
    ...(route.inputs.body && route.method !== 'GET'
      ? {
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: toJsonSchema(route.inputs.body, 'input', components) },
            },
          },
        }
      : {}),
    responses,
    security: route.access.kind === 'permission' ? [{ bearer: [] }] : [],
    'x-service': route.service,
    ...(route.access.kind === 'permission' ? { 'x-permission': route.access.permission } : {}),
  };
  if (route.responses.length === 0) {
    operation['x-undocumented'] = true;
    operation.responses = {
      default: { description: 'Not documented yet (no @ApiResponse on its handler).' },
      ...responses,
    };
  }
  return operation;
}

/** The whole document, from every service's routes. */
export function buildOpenApiDocument(routes: DeclaredRoute[], version: string): OpenApiDocument {
  const schemas: Record<string, JsonSchema> = {
    ApiError: API_ERROR_SCHEMA,
    GraphError: GRAPH_ERROR_SCHEMA,
  };
  const paths: OpenApiDocument['paths'] = {};
  for (const route of routes) {
    if (isServiceInternal(route.path)) continue;
    const path = openApiPath(route.path);
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = operationOf(route, schemas);
  }
  const sortedPaths = Object.fromEntries(
    Object.entries(paths).sort(([a], [b]) => a.localeCompare(b)),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'Partner Channel Platform API',
      version,
      description:
        'Every route of identity, relationships and notifications on one base URL (the gateway). ' +
        "Generated from the services' route tables and zod schemas (scripts/openapi.js).",
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: '/', description: 'The gateway (one base URL, `npm start` prints it).' }],
    tags: [
      { name: 'identity', description: 'Enrollment, sign-in, users, partner profiles.' },
      {
        name: 'relationships',
        description: 'Partnerships, customers, relationships, subscriptions, webhooks.',
      },
      { name: 'notifications', description: 'Email deliveries (operator).' },
    ],
    paths: sortedPaths,
    components: {
      schemas,
      responses: {
        ApiError: {
          description: 'An error, in the API error format.',
          headers: {
            'Retry-After': {
              schema: { type: 'string' },
              description: 'On a 429 or 503: seconds to wait before retrying.',
            },
          },
          content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } },
        },
        GraphError: {
          description: "An error, in Microsoft Graph's format (the GDAP routes).",
          headers: {
            'Retry-After': {
              schema: { type: 'string' },
              description: 'On a 429 or 503: seconds to wait before retrying.',
            },
          },
          content: {
            'application/json': { schema: { $ref: '#/components/schemas/GraphError' } },
          },
        },
      },
      ...{
        parameters: Object.fromEntries(
          ECHOED_HEADERS.map((name) => [
            name,
            {
              name,
              in: 'header',
              required: false,
              schema: { type: 'string' },
              description: `Echoed on the response (generated when absent).`,
            },
          ]),
        ),
      },
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'An access token from `POST /v1/auth/token`.',
        },
      },
    },
  };
}
