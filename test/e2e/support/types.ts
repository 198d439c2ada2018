/**
 * The response shapes every service shares (Partner Center's shapes where the product follows
 * them); each app's own shapes are in its folder (identity/types.ts, relationships/types.ts). A
 * spec declares only what it alone reads.
 */

/** A page of a list: `{ totalCount, items, links: { next }, attributes }` (a Collection). */
export interface Collection<T> {
  totalCount: number;
  items: T[];
  links: { next?: { uri: string; method: string } };
  attributes: { objectType: string };
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
