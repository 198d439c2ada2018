import { Logger } from '@nestjs/common';
import {
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

beforeAll(() => {
  Logger.overrideLogger(false);
  prefix = uniquePrefix();
  revocations = new TokenRevocations({ redisUrl: REDIS_URL, bullmqPrefix: prefix });
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
    }
  });
});
