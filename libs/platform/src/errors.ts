/**
 * A failure the caller can act on, with a stable code (`partnership.not_found`) and the HTTP status
 * it maps to. The global filter renders it as `{ code, description, data, source }`. The one way a
 * service raises an error the caller should see: `throw new DomainError(code, status, description,
 * data?)`; anything else thrown is a 500 that says nothing about internals.
 */
export class DomainError extends Error {
  constructor(
    public readonly code: string,
    public readonly status: number,
    description: string,
    public readonly data?: unknown,
  ) {
    super(description);
  }
}
