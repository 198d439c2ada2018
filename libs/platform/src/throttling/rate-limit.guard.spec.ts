import { Controller, ExecutionContext, Post } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '../errors';
import { RateLimitGuard, requestTargets } from './rate-limit.guard';
import { RateLimitOptions } from './rate-limit.options';
import { NotRateLimited, RateLimited } from './rate-limited.decorator';
import { addressThrottleKey, targetThrottleKey } from './rate-limit-keys';
import { ThrottleStore } from './throttle-store';

@Controller('demo')
class DemoController {
  @Post('sign-up')
  @RateLimited('public', { body: ['admin.email', 'domain'], query: ['token'] })
  signUp(): void {}

  @Post('sign-in')
  @RateLimited('session')
  signIn(): void {}

  @Post('health')
  @NotRateLimited('probes')
  health(): void {}
}

/** The storage's semantics in memory: a count per key and a block once it exceeds the limit. */
class MemoryStore {
  readonly hits = new Map<string, number>();
  readonly storage = {
    increment: (key: string, _ttl: number, limit: number, blockMs: number, name: string) => {
      const id = `${key}|${name}`;
      const hits = (this.hits.get(id) ?? 0) + 1;
      this.hits.set(id, hits);
      return Promise.resolve({
        totalHits: hits,
        timeToExpire: 60,
        isBlocked: hits > limit,
        timeToBlockExpire: hits > limit ? blockMs / 1000 : 0,
      });
    },
  };
  guarded<T>(operation: () => Promise<T>): Promise<T> {
    return operation();
  }
}

const OPTIONS: RateLimitOptions = {
  redisUrl: 'redis://127.0.0.1:6379/0',
  bullmqPrefix: 'pcp-unit',
  tiers: {
    public: { addressLimit: 3, targetLimit: 2, windowSeconds: 60 },
    session: { addressLimit: 2, windowSeconds: 30 },
  },
};

function contextOf(
  handler: keyof DemoController,
  request: { ip: string; body?: unknown; query?: unknown },
): ExecutionContext {
  return {
    getHandler: () => DemoController.prototype[handler],
    getClass: () => DemoController,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('RateLimitGuard', () => {
  let store: MemoryStore;
  let guard: RateLimitGuard;
  beforeEach(() => {
    store = new MemoryStore();
    guard = new RateLimitGuard(new Reflector(), store as unknown as ThrottleStore, OPTIONS);
  });

  it('refuses the request over the per-address limit with 429 and the seconds to wait', async () => {
    const body = () => ({ admin: { email: `a${Math.random()}@contoso.example` } });
    for (let i = 0; i < 3; i += 1) {
      await expect(
        guard.canActivate(contextOf('signUp', { ip: '203.0.113.7', body: body() })),
      ).resolves.toBe(true);
    }
    const error = await refusal(
      guard.canActivate(contextOf('signUp', { ip: '203.0.113.7', body: body() })),
    );
    expect(error).toMatchObject({ code: 'request.throttled', status: 429 });
    expect(error.data).toEqual({ retryAfterSeconds: 60 });
    expect(error.message).toMatch(/from your address/);
    // Another address is not affected.
    await expect(
      guard.canActivate(contextOf('signUp', { ip: '203.0.113.8', body: body() })),
    ).resolves.toBe(true);
  });

  it('refuses the request over the per-target limit from any address, whatever the case of the email', async () => {
    const send = (ip: string, email: string) =>
      guard.canActivate(contextOf('signUp', { ip, body: { admin: { email } } }));
    await expect(send('198.51.100.1', 'ada@contoso.example')).resolves.toBe(true);
    await expect(send('198.51.100.2', ' ADA@Contoso.example')).resolves.toBe(true);
    const error = await refusal(send('198.51.100.3', 'ada@contoso.example'));
    expect(error).toMatchObject({ code: 'request.throttled', status: 429 });
    expect(error.message).toMatch(/same email address, domain or link/);
    await expect(send('198.51.100.4', 'bob@contoso.example')).resolves.toBe(true);
  });

  it('does not count a request refused for its address against its targets', async () => {
    for (let i = 0; i < 5; i += 1) {
      await guard
        .canActivate(
          contextOf('signUp', { ip: '192.0.2.1', body: { admin: { email: `x${i}@f.example` } } }),
        )
        .catch(() => undefined);
    }
    const route = 'DemoController.signUp';
    expect(store.hits.get(`${targetThrottleKey(route, 'x4@f.example')}|target`)).toBeUndefined();
    expect(store.hits.get(`${addressThrottleKey(route, '192.0.2.1')}|address`)).toBe(5);
  });

  it('counts the session tier per address only, and lets an exempt route through uncounted', async () => {
    const signIn = () =>
      guard.canActivate(contextOf('signIn', { ip: '192.0.2.9', body: { email: 'a@b.example' } }));
    await signIn();
    await signIn();
    expect((await refusal(signIn())).data).toEqual({ retryAfterSeconds: 30 });
    await expect(guard.canActivate(contextOf('health', { ip: '192.0.2.9' }))).resolves.toBe(true);
    expect([...store.hits.keys()].filter((key) => key.includes('health'))).toEqual([]);
    expect([...store.hits.keys()].filter((key) => key.endsWith('|target'))).toEqual([]);
  });
});

describe('requestTargets', () => {
  it('reads strings at the declared paths, normalised and once each', () => {
    expect(
      requestTargets(
        {
          body: { admin: { email: ' Ada@Contoso.Example' }, domain: 'ada@contoso.example' },
          query: { token: 'AbC' },
        },
        { body: ['admin.email', 'domain'], query: ['token'] },
      ),
    ).toEqual(['ada@contoso.example', 'abc']);
  });

  it('ignores missing, non-string, empty and inherited values', () => {
    expect(
      requestTargets(
        { body: { admin: ['x'], domain: 42, email: '  ' }, query: 'token=abc' },
        { body: ['admin.email', 'domain', 'email', 'constructor', 'toString'], query: ['token'] },
      ),
    ).toEqual([]);
    expect(requestTargets({}, { body: ['email'] })).toEqual([]);
  });
});

describe('rate limit keys', () => {
  it('keep client addresses and targets out of the keys (SHA-256 only), per route', () => {
    const address = addressThrottleKey('AuthController.signIn', '203.0.113.7');
    expect(address).toMatch(/^address:AuthController\.signIn:[0-9a-f]{64}$/);
    expect(address).not.toContain('203.0.113.7');
    expect(addressThrottleKey('AuthController.refresh', '203.0.113.7')).not.toBe(address);
    const target = targetThrottleKey('CustomerSignupsController.signUp', 'ada@contoso.example');
    expect(target).toMatch(/^target:CustomerSignupsController\.signUp:[0-9a-f]{64}$/);
    expect(target).not.toContain('ada');
    expect(targetThrottleKey('CustomerSignupsController.signUp', 'ADA@contoso.example ')).toBe(
      target,
    );
  });
});
