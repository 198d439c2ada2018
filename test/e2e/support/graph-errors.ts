import { errorCode } from './http';

/**
 * The Graph-shaped routes (issue 10: `/v1/tenantRelationships/…`) answer errors as Microsoft Graph
 * does, `{ "error": { "code", "message", "innerError": { "request-id", "date" } } }`, where the
 * rest of the API answers `{ code, description, data, source }`. The proofs that walk every route
 * (authorization matrix, fuzz) read either with these helpers.
 */

/**
 * The error code of a body in either error format: the number of the API format
 * (`{ code, description, data: [], source }`), the error name of Graph's; null when it is in
 * neither.
 */
export function errorCodeOf(body: unknown): string | number | null {
  const b = body as Record<string, unknown> | null | undefined;
  const keys = Object.keys(b ?? {})
    .sort()
    .join(',');
  if (keys === 'code,data,description,source') {
    return typeof b?.code === 'number' && Array.isArray(b.data) ? b.code : null;
  }
  if (keys !== 'error') return null;
  const error = b?.error as Record<string, unknown> | null | undefined;
  const inner = error?.innerError as Record<string, unknown> | null | undefined;
  const shaped =
    Object.keys(error ?? {})
      .sort()
      .join(',') === 'code,innerError,message' &&
    typeof error?.code === 'string' &&
    typeof error.message === 'string' &&
    typeof inner?.['request-id'] === 'string' &&
    typeof inner.date === 'string';
  return shaped ? (error.code as string) : null;
}

/**
 * `text` with Graph's per-answer `innerError` (request id, date) blanked, so that two refusals can
 * be compared byte for byte as the API format's are.
 */
export function comparableErrorText(text: string): string {
  return text.replace(/"innerError":\{[^{}]*\}/g, '"innerError":{}');
}

/** Whether `actual` (from {@link errorCodeOf}) is the error `name`, in whichever format it came. */
export function isErrorCode(actual: string | number | null, name: string): boolean {
  return typeof actual === 'number' ? actual === errorCode(name) : actual === name;
}
