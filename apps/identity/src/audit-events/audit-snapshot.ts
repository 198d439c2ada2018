/**
 * What an audit event may say about a record (`before`/`after`): never a secret (issue 14: no
 * password, hash, token, link or key material). Every value written to an event passes through
 * {@link auditSnapshot}, so a field added to a view later cannot carry a secret into the trail.
 */

/**
 * Field names that hold a secret or could: passwords (temporary ones included), hashes, tokens
 * (refresh, access, verification), links (they carry a token), secrets, key material (private
 * keys, JWE-encrypted keys, JWKs). Matched case-insensitively anywhere in the name.
 */
const SECRET_FIELD =
  /password|passwd|secret|token|hash|link|private|jwe|jwk|credential|api_?key|signature|cookie/i;

/** A URL or text carrying a token in its query (an emailed link), e.g. `…?token=…`. */
const SECRET_QUERY = /[?&](token|code|key|sig|signature)=/i;

/** What replaces a string value that carries a link's token. */
export const REDACTED = '[redacted]';

/**
 * A copy of `value` fit for an audit event: objects and arrays are copied deeply; a field whose
 * name names a secret (see `SECRET_FIELD`) is left out unless its value is a boolean or null
 * (`passwordTemporary: true` says nothing secret); a string that carries a token in a URL query is
 * replaced by `[redacted]`; dates become ISO 8601 strings; functions and undefined fields are
 * left out. Answers null for undefined (an event field is null, never absent).
 */
export function auditSnapshot(value: unknown): unknown {
  if (value === undefined) return null;
  return copy(value, new WeakSet());
}

function copy(value: unknown, seen: WeakSet<object>): unknown {
  if (value === null || typeof value === 'boolean' || typeof value === 'number') return value;
  if (typeof value === 'string') return SECRET_QUERY.test(value) ? REDACTED : value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (typeof value !== 'object') return undefined;
  if (seen.has(value)) return undefined;
  seen.add(value);
  if (Array.isArray(value)) {
    return value.map((item) => copy(item, seen) ?? null);
  }
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
    if (SECRET_FIELD.test(key) && field !== null && typeof field !== 'boolean') continue;
    const copied = copy(field, seen);
    if (copied !== undefined) out[key] = copied;
  }
  seen.delete(value);
  return out;
}
