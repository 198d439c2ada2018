import { ClientRedis, RedisOptions, ServerRedis } from '@nestjs/microservices';

type TransportRedisOptions = ReturnType<ClientRedis['getClientOptions']>;

/**
 * Milliseconds before reconnection attempt `attempt` (1, 2, …) to Redis: 100 ms more per attempt,
 * at most 2 s, for as long as the service runs. Nest's Redis transport gives up at the first lost
 * connection unless told otherwise, which leaves a service deaf to requests (server) or unable to
 * ask (client) after a Redis restart until the service itself restarts (found by `npm run drill`,
 * drill 2).
 */
export function redisReconnectDelay(attempt: number): number {
  return Math.min(Math.max(attempt, 1) * 100, 2000);
}

/**
 * ioredis options both sides add: reconnect forever (above), and keep commands issued while
 * disconnected until the connection is back instead of rejecting them after 20 attempts (the
 * transport publishes without awaiting, so such a rejection would be unhandled). A request sent
 * meanwhile has the caller's timeout (`RPC_TIMEOUT_MS`) anyway.
 */
function reconnecting(
  options: TransportRedisOptions,
  manuallyClosed: () => boolean,
): TransportRedisOptions {
  return {
    ...options,
    maxRetriesPerRequest: null,
    retryStrategy: (attempt: number) =>
      manuallyClosed() ? undefined : redisReconnectDelay(attempt),
  };
}

/**
 * The Redis transport of `@nestjs/microservices` with every request/reply channel prefixed by a
 * namespace (`MESSAGE_NAMESPACE`). Redis pub/sub ignores the db index, so two systems (two test
 * runs) on one Redis would otherwise answer each other's requests. Both sides reconnect after a
 * lost connection for as long as the service runs (`redisReconnectDelay`).
 */
export class NamespacedRedisServer extends ServerRedis {
  constructor(
    options: Required<RedisOptions>['options'],
    private readonly namespace: string,
  ) {
    super(options);
  }
  override getRequestPattern(pattern: string): string {
    return `${this.namespace}${pattern}`;
  }
  override getReplyPattern(pattern: string): string {
    return `${this.namespace}${pattern}.reply`;
  }
  override getClientOptions(): TransportRedisOptions {
    return reconnecting(super.getClientOptions(), () => this.isManuallyClosed);
  }
  override handleMessage(channel: string, buffer: string, pub: never, pattern: string) {
    const strip = (c: string) =>
      c.startsWith(this.namespace) ? c.slice(this.namespace.length) : c;
    return super.handleMessage(strip(channel), buffer, pub, strip(pattern));
  }
}

export class NamespacedRedisClient extends ClientRedis {
  constructor(
    options: Required<RedisOptions>['options'],
    private readonly namespace: string,
  ) {
    super(options);
  }
  override getRequestPattern(pattern: string): string {
    return `${this.namespace}${pattern}`;
  }
  override getReplyPattern(pattern: string): string {
    return `${this.namespace}${pattern}.reply`;
  }
  override getClientOptions(): TransportRedisOptions {
    return reconnecting(super.getClientOptions(), () => this.isManuallyClosed);
  }
  /** As Nest's, without an unhandled rejection when the connection is already closed. */
  protected override unsubscribeFromChannel(channel: string): void {
    const remaining = (this.subscriptionsCount.get(channel) ?? 0) - 1;
    this.subscriptionsCount.set(channel, remaining);
    const subscriber = this.subClient as unknown as { unsubscribe(c: string): Promise<unknown> };
    if (remaining <= 0) subscriber.unsubscribe(channel).catch(() => undefined);
  }
}

/** ioredis options from a `redis://host:port/db` URL. */
export function redisOptionsFromUrl(url: string): {
  host: string;
  port: number;
  db: number;
  password?: string;
  username?: string;
} {
  const u = new URL(url);
  const db = Number(u.pathname.replace('/', '') || '0');
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    db: Number.isFinite(db) ? db : 0,
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
  };
}
