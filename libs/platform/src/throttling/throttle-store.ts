import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { DomainError } from '../errors';
import { redisOptionsFromUrl } from '../redis/redis-options';
import { RATE_LIMIT_OPTIONS, RateLimitOptions } from './rate-limit.options';
import { throttleKeyPrefix } from './rate-limit-keys';

/**
 * The Redis store of the rate limits, shared by every instance of a service: one ioredis
 * connection on `REDIS_URL` whose keys all start with `<BULLMQ_PREFIX>:throttle:` (its own
 * `keyPrefix`: this connection is not BullMQ's), and the `@nest-lab/throttler-storage-redis`
 * storage on it, whose `increment` counts hits and blocks atomically (one Lua script).
 */
@Injectable()
export class ThrottleStore implements OnModuleDestroy {
  private readonly logger = new Logger(ThrottleStore.name);
  readonly redis: Redis;
  readonly storage: ThrottlerStorageRedisService;

  constructor(@Inject(RATE_LIMIT_OPTIONS) options: RateLimitOptions) {
    this.redis = new Redis({
      ...redisOptionsFromUrl(options.redisUrl),
      keyPrefix: throttleKeyPrefix(options.bullmqPrefix),
      // Fail a limited request fast (503) rather than hold it while Redis is away.
      maxRetriesPerRequest: 2,
      // The counts of the requests that arrive together go out in one write (ioredis
      // auto-pipelining: the commands of one event-loop tick share a round trip).
      enableAutoPipelining: true,
    });
    this.redis.on('error', (error) => this.logger.warn(`throttle store: ${error.message}`));
    this.storage = new ThrottlerStorageRedisService(this.redis);
  }

  async onModuleDestroy(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  /**
   * Run a store operation; a Redis failure answers 503 `dependency.unavailable` (the request is
   * refused rather than let through uncounted).
   */
  async guarded<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      this.logger.warn(`throttle store: ${(error as Error)?.message ?? String(error)}`);
      throw new DomainError(
        'dependency.unavailable',
        503,
        'This is unavailable for a moment: its rate limits cannot be checked. Retry later.',
      );
    }
  }
}
