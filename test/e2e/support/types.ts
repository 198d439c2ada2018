/**
 * The response shapes every service shares (Partner Center's shapes where the product follows
 * them); each app's own shapes are in its folder (identity/types.ts, relationships/types.ts). A
 * spec declares only what it alone reads.
 */

/** A link of a collection: GET `uri` with every header of `headers` (Partner Center's `Link`). */
export interface Link {
  uri: string;
  method: string;
  headers: { key: string; value: string }[];
}

/**
 * A page of a list, Partner Center's seek collection: `{ totalCount, items, links: { self, next? },
 * continuationToken?, attributes }`. Follow `links.next` with {@link linkHeaders}.
 */
export interface Collection<T> {
  totalCount: number;
  items: T[];
  links: { self?: Link; next?: Link };
  continuationToken?: string;
  attributes: { objectType: string };
}

/** The headers of a link as supertest's `.set()` takes them (`MS-ContinuationToken` of a next link). */
export function linkHeaders(link: Pick<Link, 'headers'> | undefined): Record<string, string> {
  return Object.fromEntries((link?.headers ?? []).map(({ key, value }) => [key, value]));
}

/**
 * The error body of every service: `{ code, description, data, source }`, `code` the number of the
 * error's name (`errorCode(name)`), `data` an array.
 */
export interface ApiError {
  code: number;
  description: string;
  data: unknown[];
  source: string;
}
