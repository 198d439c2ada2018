import {
  NamespacedRedisClient,
  NamespacedRedisServer,
  redisReconnectDelay,
} from './namespaced-redis.transport';

type RetryStrategy = (attempt: number) => number | undefined;

describe('the namespaced Redis transport after a lost connection', () => {
  it('waits 100 ms more per attempt, at most 2 s, without ever giving up', () => {
    expect([1, 2, 10, 20, 21, 10_000].map(redisReconnectDelay)).toEqual([
      100, 200, 1000, 2000, 2000, 2000,
    ]);
  });

  it.each([
    [
      'client',
      () => new NamespacedRedisClient({ host: '127.0.0.1', port: 1, retryAttempts: 0 }, 'ns:'),
    ],
    ['server', () => new NamespacedRedisServer({ host: '127.0.0.1', port: 1 }, 'ns:')],
  ])('the %s reconnects until it is closed on purpose, keeping commands meanwhile', (_, create) => {
    const transport = create();
    const options = transport.getClientOptions() as {
      retryStrategy: RetryStrategy;
      maxRetriesPerRequest: number | null;
    };
    expect(options.maxRetriesPerRequest).toBeNull();
    expect(options.retryStrategy(1)).toBe(100);
    expect(options.retryStrategy(1000)).toBe(2000);
    (transport as unknown as { isManuallyClosed: boolean }).isManuallyClosed = true;
    expect(options.retryStrategy(1)).toBeUndefined();
  });
});
