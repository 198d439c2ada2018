import { badRequest, decodeCursor } from '@app/common';
import { z } from 'zod';

const uuid = z.uuid();

/**
 * A keyset cursor whose sort key is a timestamp (`createdAt`, `submittedAt`), checked so that a
 * forged cursor is a 400 and never reaches the database.
 * @throws 400 `request.invalid_cursor`.
 */
export function timeCursor(seek: string | undefined): { at: Date; id: string } | undefined {
  const cursor = decodeCursor(seek);
  if (!cursor) return undefined;
  const at = new Date(cursor.k);
  if (Number.isNaN(at.getTime()) || !uuid.safeParse(cursor.id).success) {
    throw badRequest('request.invalid_cursor', 'The seek cursor is not valid.');
  }
  return { at, id: cursor.id };
}

/** A keyset cursor whose sort key is text (a name). @throws 400 `request.invalid_cursor`. */
export function textCursor(seek: string | undefined): { key: string; id: string } | undefined {
  const cursor = decodeCursor(seek);
  if (!cursor) return undefined;
  if (!uuid.safeParse(cursor.id).success) {
    throw badRequest('request.invalid_cursor', 'The seek cursor is not valid.');
  }
  return { key: cursor.k, id: cursor.id };
}

/** A query string of the defined values, for `links.next.uri`. */
export function queryString(values: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== undefined) params.set(k, String(v));
  return params.toString();
}
