/**
 * What an error carries for the caller besides its description: always rendered as an array (Partner
 * Center's `data`). A list of details (validation issues, unknown parameters, the subscriptions that
 * block a removal) is given as that list; a record of named facts (`{ permission }`,
 * `{ retryAfterSeconds }`) is rendered as a one-element array holding it.
 */
export type ErrorData = readonly unknown[] | Readonly<Record<string, unknown>>;

/**
 * A failure the caller can act on, with a stable name (`partnership.not_found`) and the HTTP status
 * it maps to. The global filter renders it as `{ code, description, data, source }`, `code` being
 * the name's number in `ERROR_CODES` (@app/contracts) and `data` an array ({@link errorDataArray}).
 * The one way a service raises an error the caller should see: `throw new DomainError(name, status,
 * description, data?)`; anything else thrown is a 500 that says nothing about internals. A record
 * holding `retryAfterSeconds` (a 429 or 503) also answers `Retry-After`.
 */
export class DomainError extends Error {
  constructor(
    public readonly code: string,
    public readonly status: number,
    description: string,
    public readonly data?: ErrorData,
  ) {
    super(description);
  }

  /** The seconds to wait that `data` carries (`{ retryAfterSeconds }`), if any. */
  get retryAfterSeconds(): number | undefined {
    return retryAfterSecondsOf(this.data);
  }
}

/** `data` as the array the API answers: a list as is, a record as `[record]`, nothing as `[]`. */
export function errorDataArray(data: unknown): unknown[] {
  if (data === undefined || data === null) return [];
  return Array.isArray(data) ? [...(data as unknown[])] : [data];
}

/** A whole number of seconds ≥ 0 at `retryAfterSeconds` of `data` (or of its one record). */
export function retryAfterSecondsOf(data: unknown): number | undefined {
  const record = Array.isArray(data) ? (data as unknown[])[0] : data;
  const value = (record as { retryAfterSeconds?: unknown } | null | undefined)?.retryAfterSeconds;
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}
