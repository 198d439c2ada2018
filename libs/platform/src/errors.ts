/**
 * A failure the caller can act on, with a stable code (`partnership.not_found`) and the HTTP status
 * it maps to. The global filter renders it as `{ code, description, data, source }`.
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

export const notFound = (code: string, what: string) =>
  new DomainError(code, 404, `${what} was not found.`);
export const forbidden = (code: string, description: string) =>
  new DomainError(code, 403, description);
export const conflict = (code: string, description: string, data?: unknown) =>
  new DomainError(code, 409, description, data);
export const badRequest = (code: string, description: string, data?: unknown) =>
  new DomainError(code, 400, description, data);
export const unprocessable = (code: string, description: string, data?: unknown) =>
  new DomainError(code, 422, description, data);
