import Redis from 'ioredis';
import { redisOptionsFromUrl } from './redis-options';

/** The only `maxmemory-policy` under which Redis never drops a queue key to make room. */
export const REQUIRED_EVICTION_POLICY = 'noeviction';

/**
 * The `maxmemory-policy` of a connected Redis: `CONFIG GET maxmemory-policy`, or, where `CONFIG`
 * is disabled or renamed (managed Redis services), the `maxmemory_policy` line of `INFO memory`.
 * @throws Error when neither answers a policy.
 */
export async function readEvictionPolicy(redis: Redis): Promise<string> {
  try {
    const reply: unknown = await redis.config('GET', 'maxmemory-policy');
    if (Array.isArray(reply) && typeof reply[1] === 'string') return reply[1];
  } catch {
    // CONFIG is not available to this client: INFO below.
  }
  const info = await redis.info('memory');
  const match = /^maxmemory_policy:(\S+)/m.exec(info);
  if (!match) throw new Error('neither CONFIG GET nor INFO memory reports maxmemory-policy');
  return match[1];
}

/**
 * The start-up check of every service, before it serves or consumes anything: the Redis at
 * `redisUrl` must run with `maxmemory-policy noeviction`. Any other policy lets Redis evict keys
 * when it is full, and a BullMQ queue whose job or list keys are evicted loses work silently.
 * Connection attempts are retried for up to `timeoutMs` (Redis may still be starting).
 * @throws Error with one line naming the policy and the fix (`runMain` prints it and exits 1), or
 *   saying that Redis did not answer.
 */
export async function assertRedisKeepsQueueKeys(
  redisUrl: string,
  timeoutMs = 10_000,
): Promise<void> {
  const options = redisOptionsFromUrl(redisUrl);
  const where = `${options.host}:${options.port}`;
  const deadline = Date.now() + timeoutMs;
  let policy: string | undefined;
  let lastError = 'no answer';
  while (policy === undefined) {
    const redis = new Redis({
      ...options,
      lazyConnect: true,
      connectTimeout: Math.max(500, Math.min(5000, deadline - Date.now())),
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    redis.on('error', () => undefined);
    try {
      await redis.connect();
      policy = await readEvictionPolicy(redis);
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    } finally {
      redis.disconnect();
    }
    if (policy === undefined) {
      if (Date.now() >= deadline) {
        throw new Error(
          `Redis at ${where} did not answer the start-up check of its eviction policy within ${timeoutMs} ms (${lastError}).`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  if (policy !== REQUIRED_EVICTION_POLICY) {
    throw new Error(
      `Redis at ${where} runs with maxmemory-policy ${policy}, which can evict queue keys (BullMQ jobs would be lost): refusing to start. Run Redis with --maxmemory-policy ${REQUIRED_EVICTION_POLICY} (or CONFIG SET maxmemory-policy ${REQUIRED_EVICTION_POLICY} and CONFIG REWRITE), then start again.`,
    );
  }
}
