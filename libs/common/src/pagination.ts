import { z } from 'zod';
import { badRequest } from './errors';

/**
 * Keyset pagination. A cursor is the base64url JSON of the last item's sort key; the next page
 * starts strictly after it. Collections use Partner Center's shape:
 * `{ totalCount, items, links: { next }, attributes: { objectType: 'Collection' } }`, where, as in
 * Partner Center, `totalCount` is the number of items in this page.
 */
export const PageQuerySchema = z.object({
  size: z.coerce.number().int().min(1).max(500).default(100),
  seek: z.string().max(500).optional(),
});

export interface Cursor {
  /** Sort value (ISO timestamp or text). */
  k: string;
  /** Tie breaker: the row id. */
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

/** @throws 400 `request.invalid_cursor` for a cursor this service did not issue. */
export function decodeCursor(seek: string | undefined): Cursor | undefined {
  if (!seek) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(seek, 'base64url').toString('utf8'));
    const parsed = z.object({ k: z.string().max(300), id: z.string().max(100) }).parse(value);
    return parsed;
  } catch {
    throw badRequest('request.invalid_cursor', 'The seek cursor is not valid.');
  }
}

export interface Collection<T> {
  totalCount: number;
  items: T[];
  links: { next?: { uri: string; method: 'GET' } };
  attributes: { objectType: 'Collection' };
}

/**
 * Build a collection page. `rows` holds up to `size + 1` rows: the extra row only tells whether a
 * next page exists. `nextUri` gets the cursor of the last item on this page.
 */
export function toCollection<R, T>(
  rows: R[],
  size: number,
  map: (row: R) => T,
  cursorOf: (row: R) => Cursor,
  nextUri: (seek: string) => string,
): Collection<T> {
  const page = rows.slice(0, size);
  const hasNext = rows.length > size;
  return {
    totalCount: page.length,
    items: page.map(map),
    links: hasNext
      ? { next: { uri: nextUri(encodeCursor(cursorOf(page[page.length - 1]))), method: 'GET' } }
      : {},
    attributes: { objectType: 'Collection' },
  };
}
