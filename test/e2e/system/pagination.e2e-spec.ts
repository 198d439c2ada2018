import {
  addUser,
  api,
  bearer,
  enrollPartner,
  expectStatus,
  type ApiError,
  type Collection,
  type EnrolledPartner,
  type ServiceName,
  errorCode,
  linkHeaders,
  type Link,
} from '../support';

/**
 * Keyset pagination end to end (DESIGN.md "Collections"): a `seek` cursor this system did not issue
 * answers 400 `request.invalid_cursor` on the lists of both services, whatever it holds (never a
 * database error), and following `links.next.uri` walks a list page by page without repeats.
 */

/** base64url of the JSON of `value`, the way the services encode a cursor. */
function seekOf(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** Well-formed cursors whose contents were forged. */
const FORGED: Record<string, string> = {
  'a key that is not a date and an id that is not a uuid': seekOf({ k: 'not-a-date', id: 'x' }),
  'a valid date but an id that is not a uuid': seekOf({
    k: '2026-01-01T00:00:00.000Z',
    id: 'not-a-uuid',
  }),
  'something that is not a cursor at all': 'not-a-cursor',
  "MikroORM's cursor shape with an operator for a value": seekOf([{ $ne: null }, 'x']),
  "MikroORM's cursor shape, one value short": seekOf(['2026-01-01T00:00:00.000Z']),
  "MikroORM's cursor shape, numbers": seekOf([1, 2]),
};

/** The lists checked: service, path (with any required query), and whether it needs a token. */
const LISTS: { service: ServiceName; path: string; signedIn: boolean }[] = [
  { service: 'relationships', path: '/v1/activity-logs', signedIn: true },
  { service: 'relationships', path: '/v1/partnership-requests', signedIn: true },
  { service: 'relationships', path: '/v1/partnership-requests/received', signedIn: true },
  { service: 'relationships', path: '/v1/customers', signedIn: true },
  {
    service: 'relationships',
    path: '/v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf',
    signedIn: true,
  },
  { service: 'identity', path: '/v1/users', signedIn: true },
  { service: 'identity', path: '/v1/indirect-providers', signedIn: false },
];

describe('keyset pagination cursors', () => {
  let provider: EnrolledPartner;

  beforeAll(async () => {
    provider = await enrollPartner({ partnerType: 'indirect_provider' });
  });

  describe.each(LISTS)('GET $path ($service)', ({ service, path, signedIn }) => {
    const url = (seek: string) => `${path}${path.includes('?') ? '&' : '?'}seek=${seek}`;

    it('answers the first page (no cursor) with 200', async () => {
      const call = api(service).get(path);
      const page = expectStatus<Collection<unknown>>(
        await (signedIn ? call.set(bearer(provider.token)) : call),
        200,
      );
      expect(page.attributes).toEqual({ objectType: 'Collection' });
    });

    it.each(Object.entries(FORGED))(
      'answers 400 request.invalid_cursor for %s',
      async (_what, seek) => {
        const call = api(service).get(url(seek));
        const body = expectStatus<ApiError>(
          await (signedIn ? call.set(bearer(provider.token)) : call),
          400,
        );
        expect(body.code).toBe(errorCode('request.invalid_cursor'));
        expect(body.description).toEqual(expect.any(String));
      },
    );
  });

  it.each<[ServiceName, string]>([
    ['identity', '/v1/indirect-providers?name=Con%00toso'],
    [
      'relationships',
      '/v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf&name=%00',
    ],
  ])(
    '%s refuses a NUL character in a search filter with 400 (never a database error)',
    async (service, path) => {
      const body = expectStatus<ApiError>(
        await api(service).get(path).set(bearer(provider.token)),
        400,
      );
      expect(body.code).toBe(errorCode('request.invalid'));
      expect(body.description).toMatch(/NUL/);
    },
  );

  it('follows links.next.uri of GET /v1/users?size=1 page by page without repeating a user', async () => {
    const admin = await enrollPartner({ partnerType: 'indirect_reseller' });
    const added: string[] = [];
    for (const firstName of ['Page', 'Turner']) {
      added.push((await addUser(admin.token, ['HelpdeskAgent'], { firstName })).user.id);
    }

    const seen: string[] = [];
    let next: Link | undefined = { uri: '/v1/users?size=1', method: 'GET', headers: [] };
    let pages = 0;
    while (next) {
      const page: Collection<{ id: string; email: string }> = expectStatus(
        await api('identity').get(next.uri).set(bearer(admin.token)).set(linkHeaders(next)),
        200,
      );
      pages += 1;
      expect(page.totalCount).toBe(page.items.length);
      expect(page.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.items.map((u) => u.id));
      if (page.links.next) {
        expect(page.links.next.method).toBe('GET');
        expect(page.links.next.uri).toBe('/v1/users?size=1&seekOperation=Next');
        expect(page.links.next.headers).toEqual([
          { key: 'MS-ContinuationToken', value: page.continuationToken },
        ]);
      }
      next = page.links.next;
      if (pages > 10) throw new Error(`GET /v1/users?size=1 did not end: ${seen.join(', ')}`);
    }

    // The Global admin and the two added users, each exactly once, in the list's order.
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(3);
    expect(seen).toEqual(expect.arrayContaining(added));
    expect(pages).toBe(3);

    const all = expectStatus<Collection<{ id: string }>>(
      await api('identity').get('/v1/users?size=10').set(bearer(admin.token)),
      200,
    );
    expect(all.items.map((u) => u.id)).toEqual(seen);
    expect(all.links).toEqual({
      self: { uri: '/v1/users?size=10', method: 'GET', headers: [] },
    });
  });
});
