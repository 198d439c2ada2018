import { Cursor as OrmCursor } from '@mikro-orm/core';
import { z } from 'zod';
import { DomainError } from './errors';
import {
  PageQuerySchema,
  collectionSchema,
  cursorCollection,
  decodeCursor,
  encodeCursor,
  keysetAfter,
  parseKeysetCursor,
  queryString,
  timestampCursorAfter,
  toCollection,
} from './pagination';

const ID = '7b0c7d3c-6c55-4a57-9d39-6ad1c1b1c1a1';
const AT = '2026-01-01T00:00:00.000Z';

/** Runs `fn` and asserts it throws the 400 `request.invalid_cursor` DomainError. */
function expectInvalidCursor(fn: () => unknown): void {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(DomainError);
  expect((thrown as DomainError).status).toBe(400);
  expect((thrown as DomainError).code).toBe('request.invalid_cursor');
}

describe('keyset pagination', () => {
  it('round-trips a cursor', () => {
    const cursor = { k: 'Contoso', id: '7b0c7d3c-6c55-4a57-9d39-6ad1c1b1c1a1' };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    expect(decodeCursor(undefined)).toBeUndefined();
  });

  it('refuses a cursor it did not issue with 400', () => {
    expect(() => decodeCursor('not-a-cursor')).toThrow(DomainError);
    try {
      decodeCursor('bm9wZQ');
    } catch (error) {
      expect((error as DomainError).status).toBe(400);
      expect((error as DomainError).code).toBe('request.invalid_cursor');
    }
  });

  it("builds Partner Center's collection shape with a next link only when more rows exist", () => {
    const rows = [1, 2, 3].map((n) => ({ id: `id${n}`, name: `n${n}` }));
    const page = toCollection(
      rows,
      2,
      (r) => ({ id: r.id }),
      (r) => ({ k: r.name, id: r.id }),
      (seek) => `/v1/things?size=2&name=n&seek=${seek}`,
    );
    expect(page.totalCount).toBe(2);
    expect(page.items).toEqual([{ id: 'id1' }, { id: 'id2' }]);
    expect(page.attributes).toEqual({ objectType: 'Collection' });
    // Partner Center's next link: same path and query, seekOperation=Next, the token in a header.
    const token = page.continuationToken!;
    expect(decodeCursor(token)).toEqual({ k: 'n2', id: 'id2' });
    expect(page.links.next).toEqual({
      uri: '/v1/things?size=2&name=n&seekOperation=Next',
      method: 'GET',
      headers: [{ key: 'MS-ContinuationToken', value: token }],
    });
    const last = toCollection(
      rows.slice(0, 1),
      2,
      (r) => r,
      (r) => ({ k: r.name, id: r.id }),
      String,
    );
    expect(last.links).toEqual({});
    expect(last).not.toHaveProperty('continuationToken');
  });

  it('matches collectionSchema, with and without a next page', () => {
    const schema = collectionSchema(z.object({ id: z.string() }));
    const rows = [{ id: 'a' }, { id: 'b' }];
    const cursorOf = (r: { id: string }) => ({ k: r.id, id: r.id });
    expect(schema.safeParse(toCollection(rows, 1, (r) => r, cursorOf, String)).success).toBe(true);
    expect(schema.safeParse(toCollection(rows, 5, (r) => r, cursorOf, String)).success).toBe(true);
  });

  describe('keysetAfter', () => {
    it('is undefined without a cursor (first page)', () => {
      expect(keysetAfter(undefined, 'createdAt', 'asc', 'date')).toBeUndefined();
    });

    it('starts strictly after a date cursor, ascending', () => {
      expect(keysetAfter({ k: AT, id: ID }, 'createdAt', 'asc', 'date')).toEqual({
        createdAt: { $gte: new Date(AT) },
        $or: [{ createdAt: { $gt: new Date(AT) } }, { id: { $gt: ID } }],
      });
    });

    it('starts strictly after a date cursor, descending', () => {
      const condition = keysetAfter({ k: AT, id: ID }, 'occurredAt', 'desc', 'date');
      expect(condition).toEqual({
        occurredAt: { $lte: new Date(AT) },
        $or: [{ occurredAt: { $lt: new Date(AT) } }, { id: { $lt: ID } }],
      });
      expect(condition!.$or[0].occurredAt).toEqual({ $lt: expect.any(Date) });
      expect(condition!.occurredAt).toEqual({ $lte: expect.any(Date) });
    });

    it('starts strictly after a text cursor, keeping the key as text', () => {
      expect(keysetAfter({ k: 'Contoso', id: ID }, 'name', 'asc', 'text')).toEqual({
        name: { $gte: 'Contoso' },
        $or: [{ name: { $gt: 'Contoso' } }, { id: { $gt: ID } }],
      });
    });

    it('selects exactly the rows strictly after the cursor, in either direction', () => {
      type Row = { name: string; id: string };
      /** Evaluates the MikroORM filter on a row (the operators keysetAfter writes). */
      const holds = (where: Record<string, unknown>, row: Row): boolean =>
        Object.entries(where).every(([key, value]) => {
          if (key === '$or') {
            return (value as Record<string, unknown>[]).some((w) => holds(w, row));
          }
          const actual = row[key as keyof Row];
          if (typeof value !== 'object' || value === null) return actual === value;
          const [[op, expected]] = Object.entries(value as Record<string, string>);
          const compare = actual < expected ? -1 : actual > expected ? 1 : 0;
          return { $gt: compare > 0, $gte: compare >= 0, $lt: compare < 0, $lte: compare <= 0 }[
            op as '$gt'
          ];
        });
      const ids = [
        '11111111-1111-4111-8111-111111111111',
        ID,
        'f0000000-0000-4000-8000-000000000000',
      ];
      const rows = ['Adatum', 'Contoso', 'Fabrikam'].flatMap((name) =>
        ids.map((id) => ({ name, id })),
      );
      for (const order of ['asc', 'desc'] as const) {
        const condition = keysetAfter({ k: 'Contoso', id: ID }, 'name', order, 'text')!;
        const after = (row: Row) => {
          const compare =
            row.name === 'Contoso'
              ? row.id > ID
                ? 1
                : row.id < ID
                  ? -1
                  : 0
              : row.name > 'Contoso'
                ? 1
                : -1;
          return order === 'asc' ? compare > 0 : compare < 0;
        };
        expect(rows.filter((row) => holds(condition, row))).toEqual(rows.filter(after));
        expect(rows.filter(after)).toHaveLength(4);
      }
    });

    it('refuses a key that is not an ISO timestamp for a date list', () => {
      for (const k of [
        'not-a-date',
        '',
        '2026-02-30T00:00:00.000Z',
        '2026-01-01',
        '1',
        'Contoso',
      ]) {
        expectInvalidCursor(() => keysetAfter({ k, id: ID }, 'createdAt', 'asc', 'date'));
      }
    });

    it('refuses an id that is not a uuid', () => {
      for (const id of ['x', 'not-a-uuid', '', `${ID}0`, "1' or '1'='1"]) {
        expectInvalidCursor(() => keysetAfter({ k: AT, id }, 'createdAt', 'asc', 'date'));
        expectInvalidCursor(() => keysetAfter({ k: 'Contoso', id }, 'name', 'asc', 'text'));
      }
    });

    it('refuses text keys PostgreSQL text cannot hold (NUL) or that are too long', () => {
      expectInvalidCursor(() => keysetAfter({ k: 'a\u0000b', id: ID }, 'name', 'asc', 'text'));
      expectInvalidCursor(() => keysetAfter({ k: 'a'.repeat(301), id: ID }, 'name', 'asc', 'text'));
      expect(keysetAfter({ k: 'a'.repeat(300), id: ID }, 'name', 'asc', 'text')).toBeDefined();
    });

    it('accepts the cursor toCollection issues, decoded', () => {
      const seek = encodeCursor({ k: new Date(AT).toISOString(), id: ID });
      expect(keysetAfter(decodeCursor(seek), 'createdAt', 'asc', 'date')).toBeDefined();
    });
  });

  describe('parseKeysetCursor', () => {
    it('is undefined without a cursor', () => {
      expect(parseKeysetCursor(undefined, 'date')).toBeUndefined();
      expect(parseKeysetCursor(undefined, 'text')).toBeUndefined();
    });

    it('gives a Date key for a date cursor and the text for a text cursor', () => {
      const at = parseKeysetCursor({ k: AT, id: ID }, 'date');
      expect(at).toEqual({ key: new Date(AT), id: ID });
      expect(at!.key).toBeInstanceOf(Date);
      expect(parseKeysetCursor({ k: 'Contoso', id: ID }, 'text')).toEqual({
        key: 'Contoso',
        id: ID,
      });
    });

    it('accepts an ISO timestamp with an offset', () => {
      expect(parseKeysetCursor({ k: '2026-01-01T02:00:00+02:00', id: ID }, 'date')).toEqual({
        key: new Date(AT),
        id: ID,
      });
    });

    it('refuses a garbage date and a non-uuid id with 400 request.invalid_cursor', () => {
      expectInvalidCursor(() => parseKeysetCursor({ k: 'not-a-date', id: ID }, 'date'));
      expectInvalidCursor(() => parseKeysetCursor({ k: AT, id: 'not-a-uuid' }, 'date'));
      expectInvalidCursor(() => parseKeysetCursor({ k: 'Contoso', id: 'x' }, 'text'));
    });
  });

  it('builds a query string of the defined values only', () => {
    expect(queryString({ name: 'a b', country: undefined, size: 2, seek: 'xyz' })).toBe(
      'name=a+b&size=2&seek=xyz',
    );
  });

  describe('timestampCursorAfter (the after of em.findByCursor)', () => {
    /** base64url of the JSON of `value`, the way MikroORM's Cursor encodes. */
    const seekOf = (value: unknown) =>
      Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

    it('is undefined without a cursor (first page)', () => {
      expect(timestampCursorAfter(undefined)).toBeUndefined();
      expect(timestampCursorAfter('')).toBeUndefined();
    });

    it("passes MikroORM's own token through, which Cursor.decode reads as a Date and the id", () => {
      const seek = seekOf([AT, ID]);
      expect(timestampCursorAfter(seek)).toBe(seek);
      const decoded = OrmCursor.decode(timestampCursorAfter(seek)!);
      expect(decoded).toEqual([new Date(AT), ID]);
      expect(decoded[0]).toBeInstanceOf(Date);
    });

    it('writes a timestamp with an offset, and a cursor of our earlier { k, id } shape, canonically', () => {
      expect(timestampCursorAfter(seekOf(['2026-01-01T02:00:00+02:00', ID]))).toBe(
        seekOf([AT, ID]),
      );
      expect(timestampCursorAfter(encodeCursor({ k: AT, id: ID }))).toBe(seekOf([AT, ID]));
    });

    it('refuses with 400 what Cursor.decode would throw on, ignore, or send to PostgreSQL', () => {
      for (const seek of [
        'not-a-cursor',
        seekOf('text'),
        seekOf(null),
        seekOf(42),
        seekOf([]),
        seekOf([AT]),
        seekOf([AT, ID, ID]),
        seekOf(['not-a-date', ID]),
        seekOf([AT, 'not-a-uuid']),
        seekOf([{ $ne: null }, ID]),
        seekOf([AT, { $gt: '' }]),
        seekOf([1, 2]),
        seekOf({ k: 'not-a-date', id: 'x' }),
        seekOf({ k: AT }),
      ]) {
        expectInvalidCursor(() => timestampCursorAfter(seek));
      }
    });
  });

  describe('cursorCollection (a page of em.findByCursor)', () => {
    it("builds Partner Center's collection shape with the page's endCursor as the next seek", () => {
      const page = cursorCollection(
        { items: [{ id: 'a' }, { id: 'b' }], hasNextPage: true, endCursor: 'WyJiIl0' },
        (r) => ({ id: r.id }),
        (seek) => `/v1/things?seek=${seek}`,
      );
      expect(page).toEqual({
        totalCount: 2,
        items: [{ id: 'a' }, { id: 'b' }],
        links: {
          next: {
            uri: '/v1/things?seekOperation=Next',
            method: 'GET',
            headers: [{ key: 'MS-ContinuationToken', value: 'WyJiIl0' }],
          },
        },
        continuationToken: 'WyJiIl0',
        attributes: { objectType: 'Collection' },
      });
    });

    it('has no next link on the last page or an empty one', () => {
      const last = cursorCollection(
        { items: [{ id: 'a' }], hasNextPage: false, endCursor: 'WyJhIl0' },
        (r) => r,
        String,
      );
      expect(last.links).toEqual({});
      const empty = cursorCollection(
        { items: [], hasNextPage: false, endCursor: null },
        String,
        String,
      );
      expect(empty).toEqual({
        totalCount: 0,
        items: [],
        links: {},
        attributes: { objectType: 'Collection' },
      });
    });
  });

  it("keeps our own cursor for name-ordered lists: MikroORM's Cursor.decode makes a timestamp-like name a Date", () => {
    // Should this ever fail (MikroORM no longer coerces), em.findByCursor could serve the lists
    // ordered by a name too (partnerships, directory).
    const name = '2026-01-01T00:00:00.000 Holdings';
    const [key] = OrmCursor.decode(seekOf([name, ID]));
    expect(key).toBeInstanceOf(Date);
    expect(decodeCursor(encodeCursor({ k: name, id: ID }))).toEqual({ k: name, id: ID });

    function seekOf(value: unknown): string {
      return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
    }
  });
});

describe('PageQuerySchema', () => {
  it('refuses a query parameter it does not know instead of ignoring it', () => {
    expect(PageQuerySchema.safeParse({ size: '5', $top: '5' }).success).toBe(false);
    expect(PageQuerySchema.safeParse({ size: '5' }).success).toBe(true);
  });
});
