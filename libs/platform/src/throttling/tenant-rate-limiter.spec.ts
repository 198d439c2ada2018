import { DomainError } from '../errors';
import type { RateLimitOptions } from './rate-limit.options';
import { tenantThrottleKey } from './rate-limit-keys';
import { TenantRateLimiter } from './tenant-rate-limiter';
import type { ThrottleStore } from './throttle-store';

/** The storage's semantics in memory: a count per key and a block once it exceeds the limit. */
function memoryStore() {
  const hits = new Map<string, number>();
  let calls = 0;
  const store = {
    storage: {
      increment: (key: string, _ttl: number, limit: number, blockMs: number, name: string) => {
        calls += 1;
        const id = `${key}|${name}`;
        const count = (hits.get(id) ?? 0) + 1;
        hits.set(id, count);
        return Promise.resolve({
          totalHits: count,
          timeToExpire: 60,
          isBlocked: count > limit,
          timeToBlockExpire: count > limit ? blockMs / 1000 : 0,
        });
      },
    },
    guarded: <T>(operation: () => Promise<T>) => operation(),
  };
  return { store: store as unknown as ThrottleStore, hits, calls: () => calls };
}

const OPTIONS: RateLimitOptions = {
  redisUrl: 'redis://127.0.0.1:6379/0',
  bullmqPrefix: 'pcp-unit',
  tiers: {},
  tenant: { limit: 3, windowSeconds: 60 },
};

describe('TenantRateLimiter', () => {
  it('lets a tenant through up to its limit, then answers 429 with the seconds to wait; another tenant is not affected', async () => {
    const { store, hits, calls } = memoryStore();
    const limiter = new TenantRateLimiter(store, OPTIONS);
    for (let i = 0; i < 3; i += 1) await limiter.count('tenant-a');
    const refusal = await limiter.count('tenant-a').catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(DomainError);
    expect(refusal).toMatchObject({ code: 'request.throttled', status: 429 });
    expect((refusal as DomainError).retryAfterSeconds).toBe(60);
    await expect(limiter.count('tenant-b')).resolves.toBeUndefined();
    // One store call per request, in one key per tenant.
    expect(calls()).toBe(5);
    expect(hits.get(`${tenantThrottleKey('tenant-a')}|tenant`)).toBe(4);
  });

  it('counts nothing without a configured limit', async () => {
    const { store, calls } = memoryStore();
    const limiter = new TenantRateLimiter(store, { ...OPTIONS, tenant: undefined });
    await limiter.count('tenant-a');
    expect(calls()).toBe(0);
  });
});
