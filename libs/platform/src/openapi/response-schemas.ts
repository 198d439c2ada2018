import { z } from 'zod';

/**
 * Building blocks of the response schemas that `@ApiResponse` documents (the OpenAPI document and
 * the end-to-end suite's response checks read them): Partner Center's `attributes.objectType`,
 * and an ISO 8601 UTC timestamp as the API writes them (`Date#toISOString()`); the collection's schema is `collectionSchema` in pagination.ts.
 */

/** `attributes: { objectType: '<type>' }` of every resource (Partner Center's resource attributes). */
export function objectAttributes<T extends string>(objectType: T) {
  return z.object({ objectType: z.literal(objectType) });
}

/** A timestamp as the API writes it: ISO 8601 in UTC (`2026-12-05T10:00:00.000Z`). */
export const Timestamp = z.iso.datetime();

/** The body of an HTML page (an emailed link's page, answered `text/html`). */
export const HtmlPage = z.string().describe('An HTML page.');

/** The media type of {@link HtmlPage}: `@ApiResponse(200, HtmlPage, '…', undefined, HTML)`. */
export const HTML = 'text/html';
