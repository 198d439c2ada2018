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
