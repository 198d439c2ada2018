import { Logger } from '@nestjs/common';
import {
  REVOCATION_COMMAND_TIMEOUT_MS,
  RevocationsUnavailableError,
  TokenRevocations,
  revocationKeyPrefix,
  tokenRefusal,
} from '@app/auth';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { REDIS_URL, deletePrefixKeys, uniquePrefix } from './support/redis';

/**
 * The access-token revocation list on real Redis (issue 9 point 11): what identity writes, every
 * service's verifier reads (test/e2e/system/token-revocation.e2e-spec.ts proves it through the
 * running services).
 */

let prefix: string;
let revocations: TokenRevocations;

beforeAll(async () => {
  Logger.overrideLogger(false);
  prefix = uniquePrefix();
  revocations = new TokenRevocations({ redisUrl: REDIS_URL, bullmqPrefix: prefix });
  // As at a service's start-up: the epoch is set (now); the tests' tokens are issued after it.
  await revocations.onModuleInit();
  await new Promise((resolve) => setTimeout(resolve, 10));
});

afterAll(async () => {
  await revocations.onModuleDestroy();
  await deletePrefixKeys(prefix);
});

describe('TokenRevocations', () => {
  it("refuses a user's tokens issued up to the millisecond of the revocation, not those after", async () => {
    const userId = randomUUID();
    const at = new Date();
    const token = (issuedAtMs: number) => ({ userId, sessionId: randomUUID(), issuedAtMs });
    await expect(revocations.isRevoked(token(at.getTime() - 1))).resolves.toBe(false);
    await revocations.revokeUsers([userId], at, 360);
    await expect(revocations.isRevoked(token(at.getTime() - 60_000))).resolves.toBe(true);
    await expect(revocations.isRevoked(token(at.getTime()))).resolves.toBe(true);
    await expect(revocations.isRevoked(token(at.getTime() + 1))).resolves.toBe(false);
    // Another user is untouched.
    await expect(
      revocations.isRevoked({ userId: randomUUID(), issuedAtMs: at.getTime() - 1 }),
    ).resolves.toBe(false);
    // An earlier revocation arriving late does not lower the entry.
    await revocations.revokeUsers([userId], new Date(at.getTime() - 10_000), 360);
    await expect(revocations.isRevoked(token(at.getTime()))).resolves.toBe(true);
  });

  it('refuses every token of a revoked session, whenever issued, and only of it', async () => {
    const userId = randomUUID();
    const sessionId = randomUUID();
    await revocations.revokeSession(sessionId, 360);
    const later = Date.now() + 60_000;
    await expect(revocations.isRevoked({ userId, sessionId, issuedAtMs: later })).resolves.toBe(
      true,
    );
    await expect(
      revocations.isRevoked({ userId, sessionId: randomUUID(), issuedAtMs: later }),
    ).resolves.toBe(false);
  });

  it('keeps its entries under <BULLMQ_PREFIX>:revoked: for the given lifetime', async () => {
    const userId = randomUUID();
    const sessionId = randomUUID();
    await revocations.revokeUsers([userId], new Date(), 360);
    await revocations.revokeSession(sessionId, 360);
    const redis = new Redis(REDIS_URL);
    try {
      const base = revocationKeyPrefix(prefix);
      for (const key of [`${base}user:${userId}`, `${base}session:${sessionId}`]) {
        const ttl = await redis.ttl(key);
        expect(ttl).toBeGreaterThan(350);
        expect(ttl).toBeLessThanOrEqual(360);
      }
    } finally {
      await redis.quit();
    }
  });

  it('refuses every token issued before the list was lost (Redis emptied), none after', async () => {
    const userId = randomUUID();
    const before = Date.now();
    await expect(revocations.isRevoked({ userId, issuedAtMs: before })).resolves.toBe(false);
    // Redis lost its data: no entry, no epoch.
    const redis = new Redis(REDIS_URL);
    try {
      await redis.del(`${revocationKeyPrefix(prefix)}epoch`);
    } finally {
      await redis.quit();
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
    // The first check sets the epoch to now: the older token must be refreshed.
    await expect(revocations.isRevoked({ userId, issuedAtMs: before })).resolves.toBe(true);
    await expect(revocations.isRevoked({ userId, issuedAtMs: Date.now() + 1 })).resolves.toBe(
      false,
    );
  });

  it('fails closed when Redis cannot be read: an error the guard answers with 503', async () => {
    const unreachable = new TokenRevocations({
      redisUrl: 'redis://127.0.0.1:1/0',
      bullmqPrefix: prefix,
    });
    try {
      const error: unknown = await unreachable
        .isRevoked({ userId: randomUUID(), issuedAtMs: Date.now() })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RevocationsUnavailableError);
      expect(tokenRefusal(error)).toMatchObject({ code: 'dependency.unavailable', status: 503 });
    } finally {
      await unreachable.onModuleDestroy();
      // ioredis keeps the failed command's timeout timer until it fires: let it, so the run ends.
      await new Promise((resolve) => setTimeout(resolve, REVOCATION_COMMAND_TIMEOUT_MS));
    }
  });
});
