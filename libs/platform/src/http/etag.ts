import { createHash } from 'node:crypto';
import { DomainError } from '../errors';

/**
 * An entity tag for one version of a resource (Partner Center's `attributes.etag`, RFC 9110 8.8.3):
 * an opaque string derived from what identifies the version (its id and a version counter or last
 * modification time). Equal inputs give equal tags; any change of an input gives another.
 */
export function entityTag(...parts: (string | number | Date)[]): string {
  const text = parts.map((p) => (p instanceof Date ? p.toISOString() : String(p))).join('\u0000');
  return createHash('sha256').update(text).digest('base64url').slice(0, 22);
}

/** The tag an `If-Match` value names: quotes and a weak `W/` prefix removed, `*` kept. */
function tagsOf(ifMatch: string): string[] {
  return ifMatch
    .split(',')
    .map((t) =>
      t
        .trim()
        .replace(/^W\//, '')
        .replace(/^"(.*)"$/, '$1'),
    )
    .filter(Boolean);
}

/**
 * Checks an update's `If-Match` header against the resource's current tag (Partner Center: "ETag
 * for concurrency; required for PUT billing profile and PATCH subscription"; Graph: required on
 * PATCH and DELETE). `"tag"`, `W/"tag"`, a bare `tag` and `*` are accepted.
 * @throws 428 `request.precondition_required` when the header is missing, 412
 *   `request.etag_mismatch` when no tag it names is the current one (GET the resource again).
 */
export function requireIfMatch(ifMatch: string | string[] | undefined, current: string): void {
  const value = Array.isArray(ifMatch) ? ifMatch.join(',') : ifMatch;
  if (!value || !value.trim()) {
    throw new DomainError(
      'request.precondition_required',
      428,
      'This update needs an If-Match header with the etag of the resource (GET it first).',
    );
  }
  const tags = tagsOf(value);
  if (tags.includes('*') || tags.includes(current)) return;
  throw new DomainError(
    'request.etag_mismatch',
    412,
    'The etag is no longer valid: the resource changed since it was read. GET it again and retry.',
  );
}
