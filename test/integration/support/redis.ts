import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { devSettings } from '../../../scripts/lib/system';

/** The local Redis (`npm start`'s: 127.0.0.1:6379, db 0). */
export const REDIS_URL = devSettings().redisUrl;

/** A BullMQ prefix of one test file's own, `pcp-int-<12 hex digits>` (not ioredis `keyPrefix`). */
export function uniquePrefix(): string {
  return `pcp-int-${randomBytes(6).toString('hex')}`;
}

/** Deletes every Redis key under BullMQ prefix `prefix` (`<prefix>:*`); returns how many. */
export async function deletePrefixKeys(prefix: string): Promise<number> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
  return deleted;
}
