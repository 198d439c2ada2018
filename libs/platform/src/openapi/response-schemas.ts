import { z } from 'zod';

/**
 * Building blocks of the response schemas that `@ApiResponse` documents (the OpenAPI document and
 * the end-to-end suite's response checks read them): Partner Center's `attributes.objectType`,
 * an ISO 8601 UTC timestamp as the API writes them (`Date#toISOString()`), and its collection.
 */

/** `attributes: { objectType: '<type>' }` of every resource (Partner Center's resource attributes). */
export function objectAttributes<T extends string>(objectType: T) {
  return z.object({ objectType: z.literal(objectType) });
}

/** A timestamp as the API writes it: ISO 8601 in UTC (`2026-12-05T10:00:00.000Z`). */
export const Timestamp = z.iso.datetime();

/** A link of a collection (`links.next`): the URI and method to call, maybe with headers. */
export const CollectionLinkSchema = z.looseObject({
  uri: z.string(),
  method: z.literal('GET'),
  headers: z.array(z.object({ key: z.string(), value: z.string() })).optional(),
});

/**
 * Partner Center's collection of `item`s: `{ totalCount, items, links: { self?, next? },
 * attributes: { objectType: 'Collection' } }` (libs/platform/src/pagination.ts `Collection<T>`).
 * `totalCount` is the number of items on the page; `links.next` appears when a next page exists.
 */
export function collectionSchema<T extends z.ZodType>(item: T) {
  return z.object({
    totalCount: z.number().int().min(0),
    items: z.array(item),
    links: z.object({
      self: CollectionLinkSchema.optional(),
      next: CollectionLinkSchema.optional(),
    }),
    attributes: objectAttributes('Collection'),
  });
}

/** The body of an HTML page (an emailed link's page, answered `text/html`). */
export const HtmlPage = z.string().describe('An HTML page.');

/** The media type of {@link HtmlPage}: `@ApiResponse(200, HtmlPage, '…', undefined, HTML)`. */
export const HTML = 'text/html';
