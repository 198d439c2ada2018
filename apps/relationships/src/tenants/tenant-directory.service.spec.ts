import { Caller } from '@app/auth';
import { DomainError, RpcClient } from '@app/platform';
import { TenantSnapshot } from '@app/contracts';
import { TenantDirectory } from './tenant-directory.service';

/** A tenant snapshot as identity answers it (only the fields the directory reads matter). */
function snapshot(
  id: string,
  name: string,
  kind: 'partner' | 'customer' = 'partner',
  status = 'active',
): TenantSnapshot {
  return {
    id,
    name,
    kind,
    partner: kind === 'partner' ? { status } : null,
  } as unknown as TenantSnapshot;
}

/** An RpcClient stand-in that answers `identity.tenants.get` from a map and counts the calls. */
function fakeIdentity(tenants: Map<string, TenantSnapshot>) {
  const calls: string[][] = [];
  const rpc = {
    send: (_pattern: string, request: { tenantIds: string[] }) => {
      calls.push(request.tenantIds);
      return Promise.resolve({
        tenants: request.tenantIds.flatMap((id) => {
          const tenant = tenants.get(id);
          return tenant ? [tenant] : [];
        }),
      });
    },
  } as unknown as RpcClient;
  return { rpc, calls };
}

describe('TenantDirectory snapshot reuse (TENANT_SNAPSHOT_TTL_MS)', () => {
  afterEach(() => jest.restoreAllMocks());

  it('asks identity once per tenant within the TTL, and again after it', async () => {
    // The cache reads the monotonic clock: move it by hand.
    let now = performance.now();
    jest.spyOn(performance, 'now').mockImplementation(() => now);
    const tenants = new Map([['a', snapshot('a', 'Contoso')]]);
    const { rpc, calls } = fakeIdentity(tenants);
    const directory = new TenantDirectory(rpc, { TENANT_SNAPSHOT_TTL_MS: 1000 });

    expect((await directory.get('a')).name).toBe('Contoso');
    tenants.set('a', snapshot('a', 'Contoso Ltd'));
    expect((await directory.get('a')).name).toBe('Contoso');
    expect(calls).toEqual([['a']]);

    now += 1001;
    // lru-cache keeps the clock reading it took for 1 ms (ttlResolution): let that lapse.
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await directory.get('a')).name).toBe('Contoso Ltd');
    expect(calls).toEqual([['a'], ['a']]);
  });

  it('shares one lookup among the requests that find a settled partner expired at once', async () => {
    let now = performance.now();
    jest.spyOn(performance, 'now').mockImplementation(() => now);
    const tenants = new Map([
      ['a', snapshot('a', 'Contoso')],
      ['c', snapshot('c', 'Wingtip', 'customer')],
    ]);
    const { rpc, calls } = fakeIdentity(tenants);
    const directory = new TenantDirectory(rpc, { TENANT_SNAPSHOT_TTL_MS: 1000 });
    await directory.getMany(['a', 'c']);

    tenants.set('a', snapshot('a', 'Contoso Ltd'));
    now += 1001;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const names = await Promise.all(
      Array.from({ length: 5 }, () => directory.get('a').then((tenant) => tenant.name)),
    );
    expect(names).toEqual(Array(5).fill('Contoso Ltd'));
    // A customer is never shared: each request reads it.
    await Promise.all([directory.get('c'), directory.get('c')]);
    expect(calls).toEqual([['a', 'c'], ['a'], ['c'], ['c']]);
    // Refreshed: cached again.
    await directory.get('a');
    expect(calls).toHaveLength(4);
  });

  it('reads again in one lookup the settled partners whose snapshots expire together', async () => {
    // A whole multiple of the TTL: snapshots read in this second expire together at its end.
    let now = 1_000_000;
    jest.spyOn(performance, 'now').mockImplementation(() => now);
    const tenants = new Map(['a', 'b', 'c'].map((id) => [id, snapshot(id, `Partner ${id}`)]));
    const { rpc, calls } = fakeIdentity(tenants);
    const directory = new TenantDirectory(rpc, { TENANT_SNAPSHOT_TTL_MS: 1000 });

    await directory.get('a');
    now += 300;
    await directory.get('b');
    now += 600;
    await directory.get('c');
    expect(calls).toEqual([['a'], ['b'], ['c']]);

    // 'c' was read 100 ms ago: it expires with the others, never later than the TTL.
    now = 1_001_001;
    await new Promise((resolve) => setTimeout(resolve, 5));
    tenants.set('c', snapshot('c', 'Partner c, renamed'));
    const names = await Promise.all(
      ['a', 'b', 'c', 'a'].map((id) => directory.get(id).then((tenant) => tenant.name)),
    );
    expect(names).toEqual(['Partner a', 'Partner b', 'Partner c, renamed', 'Partner a']);
    expect(calls).toEqual([['a'], ['b'], ['c'], ['a', 'b', 'c']]);

    // Cached again, all three, until the next whole second.
    await Promise.all(['a', 'b', 'c'].map((id) => directory.get(id)));
    expect(calls).toHaveLength(4);
  });

  it('fails every request of a shared refresh when identity does not answer', async () => {
    let now = 2_000_000;
    jest.spyOn(performance, 'now').mockImplementation(() => now);
    const tenants = new Map(['a', 'b'].map((id) => [id, snapshot(id, `Partner ${id}`)]));
    const { rpc } = fakeIdentity(tenants);
    const directory = new TenantDirectory(rpc, { TENANT_SNAPSHOT_TTL_MS: 1000 });
    await directory.getMany(['a', 'b']);

    const unavailable = new DomainError('rpc.unavailable', 503, 'identity did not answer');
    jest.spyOn(rpc, 'send').mockRejectedValueOnce(unavailable);
    now += 1001;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const outcomes = await Promise.allSettled([directory.get('a'), directory.get('b')]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    expect(rpc.send).toHaveBeenCalledTimes(1);
    // The next request asks again.
    expect((await directory.get('a')).name).toBe('Partner a');
  });

  it('asks only for the ids it does not hold, and never caches an unknown id', async () => {
    const tenants = new Map([
      ['a', snapshot('a', 'Contoso')],
      ['b', snapshot('b', 'Fabrikam')],
    ]);
    const { rpc, calls } = fakeIdentity(tenants);
    const directory = new TenantDirectory(rpc, { TENANT_SNAPSHOT_TTL_MS: 1000 });

    await directory.get('a');
    const many = await directory.getMany(['a', 'b', 'ghost']);
    expect([...many.keys()].sort()).toEqual(['a', 'b']);
    await expect(directory.get('ghost')).rejects.toMatchObject({ code: 'tenant.not_found' });
    expect(calls).toEqual([['a'], ['b', 'ghost'], ['ghost']]);
  });

  it('reads customers and partners not yet active from identity every time', async () => {
    const tenants = new Map([
      ['c', snapshot('c', 'Wingtip', 'customer')],
      ['p', snapshot('p', 'Fabrikam', 'partner', 'pending_verification')],
    ]);
    const { rpc, calls } = fakeIdentity(tenants);
    const directory = new TenantDirectory(rpc, { TENANT_SNAPSHOT_TTL_MS: 1000 });

    await directory.getMany(['c', 'p']);
    tenants.set('p', snapshot('p', 'Fabrikam', 'partner', 'active'));
    expect((await directory.get('p')).partner?.status).toBe('active');
    await directory.get('c');
    expect(calls).toEqual([['c', 'p'], ['p'], ['c']]);
  });

  it('asks identity every time when the TTL is 0', async () => {
    const { rpc, calls } = fakeIdentity(new Map([['a', snapshot('a', 'Contoso')]]));
    const directory = new TenantDirectory(rpc, { TENANT_SNAPSHOT_TTL_MS: 0 });
    await directory.get('a');
    await directory.get('a');
    expect(calls).toEqual([['a'], ['a']]);
  });
  it('reads a cached partner again when the caller expects another partner type (seed 004: a direct partner adds the indirect reseller role)', async () => {
    const direct = (type: string) =>
      ({
        ...snapshot('p', 'Fabrikam'),
        partner: { status: 'active', partnerType: type },
      }) as unknown as TenantSnapshot;
    const tenants = new Map([['p', direct('direct')]]);
    const { rpc, calls } = fakeIdentity(tenants);
    const directory = new TenantDirectory(rpc, { TENANT_SNAPSHOT_TTL_MS: 60_000 });
    const caller = { tenantId: 'p', tenantKind: 'partner' } as Caller;

    expect((await directory.requireActivePartner(caller)).partner?.partnerType).toBe('direct');
    tenants.set('p', direct('indirect_reseller'));
    // Without an expectation the cached snapshot serves; with one, identity is asked again.
    expect((await directory.requireActivePartner(caller)).partner?.partnerType).toBe('direct');
    const fresh = await directory.requireActivePartner(caller, 'indirect_reseller');
    expect(fresh.partner?.partnerType).toBe('indirect_reseller');
    expect(calls).toEqual([['p'], ['p']]);
    // Now cached as an indirect reseller: no further call.
    await directory.requireActivePartner(caller, 'indirect_reseller');
    expect(calls).toHaveLength(2);
  });
});
