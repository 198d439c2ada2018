import 'reflect-metadata';
import type { z } from 'zod';

/** Metadata key under which {@link ApiResponse} keeps a handler's documented answers. */
export const API_RESPONSES = 'pcp:api-responses';

/**
 * One documented answer of a route: its HTTP status, the zod schema of its JSON body (none for a
 * body-less answer such as 204, a HEAD or a 202 without content) and a sentence for the reference.
 */
export interface ApiResponseSpec {
  status: number;
  schema?: z.ZodType;
  description: string;
  /** Response headers the answer carries (e.g. `Location`, `Retry-After`, `ETag`). */
  headers?: string[];
  /** The body's media type when it is not JSON (e.g. `text/html` for a page); JSON otherwise. */
  mediaType?: string;
}

/**
 * `@ApiResponse(200, CustomerSchema, 'The customer.')` on a controller method: documents one of the
 * route's successful answers for the OpenAPI document (`/openapi.json`), which the end-to-end suite
 * validates every response against. Stack one per status. Error answers need none: every route
 * answers errors in the one API error format, which the document adds by itself.
 */
export function ApiResponse(
  status: number,
  schema: z.ZodType | undefined,
  description: string,
  headers?: string[],
  mediaType?: string,
): MethodDecorator {
  return (target, propertyKey) => {
    const handler = (target as Record<string | symbol, unknown>)[propertyKey] as object;
    const existing = (Reflect.getMetadata(API_RESPONSES, handler) as ApiResponseSpec[]) ?? [];
    Reflect.defineMetadata(
      API_RESPONSES,
      [...existing, { status, schema, description, headers, mediaType }],
      handler,
    );
  };
}

/** The answers documented on a handler by {@link ApiResponse}, in declaration order. */
export function apiResponsesOf(handler: object): ApiResponseSpec[] {
  return [...((Reflect.getMetadata(API_RESPONSES, handler) as ApiResponseSpec[]) ?? [])].reverse();
}

/** Metadata key of {@link ApiErrorFormat}. */
export const API_ERROR_FORMAT = 'pcp:api-error-format';

/**
 * The error format a controller's routes answer: `partner-center` (the API's
 * `{ code, description, data, source }`, the default) or `graph` (Microsoft Graph's
 * `{ error: { code, message, innerError: { request-id, date } } }`, the GDAP routes of issue 10).
 * The OpenAPI document describes each route's 4XX and 5XX answers in it.
 */
export type ErrorFormat = 'partner-center' | 'graph';

/** `@ApiErrorFormat('graph')` on a controller whose exception filter answers Graph's format. */
export function ApiErrorFormat(format: ErrorFormat): ClassDecorator {
  return (target) => Reflect.defineMetadata(API_ERROR_FORMAT, format, target);
}

/** The error format of a controller class (see {@link ApiErrorFormat}). */
export function apiErrorFormatOf(controller: object): ErrorFormat {
  return (Reflect.getMetadata(API_ERROR_FORMAT, controller) as ErrorFormat) ?? 'partner-center';
}
