import { ClientRedis, RedisOptions, ServerRedis } from '@nestjs/microservices';

/**
 * Reconnection of both ends of the transport: without `retryAttempts`, `@nestjs/microservices`
 * gives a Redis connection up for good the first time it drops, so a Redis restart would leave a
 * service deaf (server) or answering 503 forever (client). Both retry every second instead, for as
 * long as the process lives; a call made while Redis is away still fails at once (503).
 */
export const TRANSPORT_RECONNECT = {
  retryAttempts: Number.MAX_SAFE_INTEGER,
  retryDelay: 1000,
} as const;

/**
 * The Redis transport of `@nestjs/microservices` with every request/reply channel prefixed by a
 * namespace (`MESSAGE_NAMESPACE`). Redis pub/sub ignores the db index, so two systems (two test
 * runs) on one Redis would otherwise answer each other's requests. Reconnects after Redis comes
 * back (`TRANSPORT_RECONNECT`).
 */
export class NamespacedRedisServer extends ServerRedis {
  constructor(
    options: Required<RedisOptions>['options'],
    private readonly namespace: string,
  ) {
    super({ ...TRANSPORT_RECONNECT, ...options });
  }
  override getRequestPattern(pattern: string): string {
    return `${this.namespace}${pattern}`;
  }
  override getReplyPattern(pattern: string): string {
    return `${this.namespace}${pattern}.reply`;
  }
  override handleMessage(channel: string, buffer: string, pub: never, pattern: string) {
    const strip = (c: string) =>
      c.startsWith(this.namespace) ? c.slice(this.namespace.length) : c;
    return super.handleMessage(strip(channel), buffer, pub, strip(pattern));
  }
}

/** The client end of `NamespacedRedisServer` (same namespace, same reconnection). */
export class NamespacedRedisClient extends ClientRedis {
  constructor(
    options: Required<RedisOptions>['options'],
    private readonly namespace: string,
  ) {
    super({ ...TRANSPORT_RECONNECT, ...options });
  }
  override getRequestPattern(pattern: string): string {
    return `${this.namespace}${pattern}`;
  }
  override getReplyPattern(pattern: string): string {
    return `${this.namespace}${pattern}.reply`;
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
