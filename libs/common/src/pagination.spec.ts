import { DomainError } from './errors';
import { decodeCursor, encodeCursor, toCollection } from './pagination';

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
      (seek) => `/v1/things?seek=${seek}`,
    );
    expect(page.totalCount).toBe(2);
    expect(page.items).toEqual([{ id: 'id1' }, { id: 'id2' }]);
    expect(page.attributes).toEqual({ objectType: 'Collection' });
    const seek = new URL(`http://x${page.links.next!.uri}`).searchParams.get('seek')!;
    expect(decodeCursor(seek)).toEqual({ k: 'n2', id: 'id2' });
    const last = toCollection(
      rows.slice(0, 1),
      2,
      (r) => r,
      (r) => ({ k: r.name, id: r.id }),
      String,
    );
    expect(last.links).toEqual({});
  });
});
