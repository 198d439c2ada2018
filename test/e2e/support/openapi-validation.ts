import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import {
  matchRoute,
  routingTable,
  type RouteEntry,
} from '../../../apps/gateway/src/routing/routing-table';
import { OPENAPI_DOCUMENT } from '../../../scripts/lib/system';

/**
 * Every answer the end-to-end suite receives is checked against the OpenAPI document the build
 * wrote (`dist/openapi/openapi.json`, served at the gateway's `/openapi.json`), so the document
 * cannot drift from what the routes answer (issue 11 "Documented and typed"):
 * - a success (1xx-3xx) must be a status the operation documents (`@ApiResponse`), with a body
 *   valid against its schema (ajv, JSON Schema 2020-12, formats), of the documented media type;
 * - an error (4xx/5xx) in JSON must be the API error format;
 * - a route the document does not have, or one whose handler documents no answer yet, fails with
 *   the route named.
 * Only a test that deliberately sends garbage at the wire level (the fuzz suite) may switch this
 * off, with {@link skipResponseValidation} and a reason, which is printed.
 */

interface Operation {
  operationId: string;
  'x-service': string;
  'x-undocumented'?: boolean;
  responses: Record<string, { content?: Record<string, unknown>; $ref?: string }>;
}

interface Document {
  paths: Record<string, Record<string, Operation>>;
}

/**
 * Paths served outside the document: the services' and the gateway's probes and scrapes, the queue
 * dashboard, the API reference and the document itself.
 */
const OUTSIDE_DOCUMENT = [
  /^\/health(\/|$)/,
  /^\/metrics$/,
  /^\/admin\/queues(\/|$)/,
  /^\/docs(\/|$)/,
  /^\/openapi\.json$/,
];

let loaded:
  | {
      document: Document;
      table: RouteEntry[];
      ajv: Ajv2020;
      validators: Map<string, ValidateFunction>;
    }
  | undefined;

function load() {
  if (loaded) return loaded;
  const document = JSON.parse(readFileSync(OPENAPI_DOCUMENT, 'utf8')) as Document;
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema(document, 'openapi.json');
  loaded = { document, table: routingTable(document), ajv, validators: new Map() };
  return loaded;
}

/** `/paths/{p}/...` as a JSON pointer segment. */
function pointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function validatorAt(ref: string): ValidateFunction {
  const { ajv, validators } = load();
  let validate = validators.get(ref);
  if (!validate) {
    validate = ajv.compile({ $ref: `openapi.json#${ref}` });
    validators.set(ref, validate);
  }
  return validate;
}

let skipped: string | undefined;

/**
 * Switches the response checks off for the rest of this test file: only for a suite that sends
 * garbage at the wire level (malformed HTTP, random bytes), whose answers are the point of its own
 * assertions. The reason is printed; never call it to silence a mismatch.
 */
export function skipResponseValidation(reason: string): void {
  if (reason.trim().length < 10) throw new Error('skipResponseValidation needs a real reason.');
  skipped = reason;
  process.stderr.write(`OpenAPI response validation is OFF for this file: ${reason}\n`);
}

/** What the check needs of an answer. */
export interface CheckedAnswer {
  method: string;
  /** The request URL or path (a query string is ignored). */
  url: string;
  status: number;
  contentType: string | undefined;
  /** The parsed JSON body, when the answer is JSON. */
  body: unknown;
  /** The raw text, when known. */
  text?: string;
}

/**
 * The mismatch between an answer and the document, as a sentence naming the route, or undefined
 * when the answer is what the document says.
 */
export function responseMismatch(answer: CheckedAnswer): string | undefined {
  if (skipped !== undefined) return undefined;
  const { document, table } = load();
  const pathname = new URL(answer.url, 'http://x').pathname;
  const method = answer.method.toUpperCase();
  const isJson = /^application\/(.+\+)?json/.test(answer.contentType ?? '');
  const text = answer.text ?? '';
  if (OUTSIDE_DOCUMENT.some((re) => re.test(pathname))) return undefined;
  const checkError = (where: string, format = 'ApiError'): string | undefined => {
    // A HEAD answer never carries a body, whatever its content type says.
    if (!isJson || method === 'HEAD') return undefined;
    const validate = validatorAt(`/components/schemas/${format}`);
    return validate(answer.body)
      ? undefined
      : `${where} answered ${answer.status} with a body that is not the ${format} format: ${JSON.stringify(validate.errors)} body ${text.slice(0, 300)}`;
  };
  const entry = matchRoute(table, pathname);
  const operation = entry
    ? (document.paths[entry.template]?.[method.toLowerCase()] ??
      (method === 'HEAD' ? document.paths[entry.template]?.get : undefined))
    : undefined;
  if (!entry || !operation) {
    if (answer.status >= 400) return checkError(`${method} ${pathname} (no such operation)`);
    return `${method} ${pathname} answered ${answer.status} but the OpenAPI document has no such operation: is the route registered by a controller the route table sees?`;
  }
  const route = `${method} ${entry.template} (${operation['x-service']}, ${operation.operationId})`;
  // The route's own error format (the GDAP routes answer Graph's), but for the answers of the
  // edge before any route runs (404, 405, 413, 429 of the platform are in the API's format).
  const errorRef = (operation.responses['4XX'] as { $ref?: string } | undefined)?.$ref ?? '';
  const format = errorRef.endsWith('/GraphError') ? 'GraphError' : 'ApiError';
  if (answer.status >= 400) {
    const ownFormat = checkError(route, format);
    return ownFormat && format !== 'ApiError' && !checkError(route) ? undefined : ownFormat;
  }
  if (operation['x-undocumented']) {
    return `${route} documents no answer: put @ApiResponse(status, schema, description) on its handler (it answered ${answer.status}).`;
  }
  const documented = operation.responses[String(answer.status)];
  if (!documented) {
    return `${route} answered ${answer.status}, a status it does not document (documented: ${Object.keys(operation.responses).join(', ')}).`;
  }
  const content = documented.content;
  if (!content) {
    if (method !== 'HEAD' && text.length > 0) {
      return `${route} documents no body for ${answer.status} but answered ${answer.contentType ?? ''}: ${text.slice(0, 200)}`;
    }
    return undefined;
  }
  const mediaTypes = Object.keys(content);
  if (method === 'HEAD') return undefined;
  if (isJson) {
    if (!mediaTypes.includes('application/json')) {
      return `${route} answered JSON for ${answer.status}, documented as ${mediaTypes.join(', ')}.`;
    }
    const ref = `/paths/${pointer(entry.template)}/${method === 'HEAD' ? 'get' : method.toLowerCase()}/responses/${answer.status}/content/application~1json/schema`;
    const validate = validatorAt(ref);
    if (!validate(answer.body)) {
      return `${route} answered ${answer.status} with a body the document does not allow: ${JSON.stringify(validate.errors?.slice(0, 5))}; body ${text.slice(0, 500)}`;
    }
    return undefined;
  }
  const base = (answer.contentType ?? '').split(';')[0].trim();
  if (!mediaTypes.includes(base)) {
    return `${route} answered ${base || 'no content type'} for ${answer.status}, documented as ${mediaTypes.join(', ')}.`;
  }
  return undefined;
}

/** Throws the mismatch (see {@link responseMismatch}), failing the test. */
export function assertDocumented(answer: CheckedAnswer): void {
  const mismatch = responseMismatch(answer);
  if (mismatch) throw new Error(`OpenAPI: ${mismatch}`);
}
