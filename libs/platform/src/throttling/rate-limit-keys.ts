import { createHash } from 'node:crypto';

/**
 * Keys of the rate limits in the shared Redis store (every instance of a service counts in the
 * same keys). Client addresses and targets (emails, domains, tokens) appear only as SHA-256
 * hashes, so the store holds no personal data and an unknown email is counted exactly like a
 * known one.
 */

/** The form under which an email, a domain or a token is counted: trimmed, NFKC, lower case. */
export function normaliseTarget(value: string): string {
  return value.trim().normalize('NFKC').toLowerCase();
}

/** SHA-256 of `value` (UTF-8), hex. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** `address:<route>:<sha256 of the client address>`: requests of one address to one route. */
export function addressThrottleKey(route: string, clientAddress: string): string {
  return `address:${route}:${sha256Hex(clientAddress)}`;
}

/**
 * `target:<route>:<sha256 of the normalised target>`: requests to one route that name one target
 * (an email, a domain, a token), from any address.
 */
export function targetThrottleKey(route: string, target: string): string {
  return `target:${route}:${sha256Hex(normaliseTarget(target))}`;
}

/**
 * The two Redis keys `@nest-lab/throttler-storage-redis` (1.x) keeps for `increment(key, …,
 * name)`: the hit counter and the block marker, in one hash slot (`{key:name}`). Reading the block
 * marker tells whether a key is blocked without counting a hit.
 */
export function throttlerStorageKeys(key: string, name: string): { hits: string; blocked: string } {
  return { hits: `{${key}:${name}}:hits`, blocked: `{${key}:${name}}:blocked` };
}

/**
 * `tenant:<tenant id>`: every authenticated request of one tenant, on any route of any service
 * (the services share the Redis and the prefix, so the count is the API's).
 */
export function tenantThrottleKey(tenantId: string): string {
  return `tenant:${tenantId}`;
}

/** Every throttle key lives under `<BULLMQ_PREFIX>:throttle:`, so each test run has its own. */
export function throttleKeyPrefix(bullmqPrefix: string): string {
  return `${bullmqPrefix}:throttle:`;
}
