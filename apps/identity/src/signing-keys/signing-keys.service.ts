import { EntityManager } from '@mikro-orm/postgresql';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { ACCESS_TOKEN_ALG } from '@app/auth';
import {
  JWK,
  JWTHeaderParameters,
  KeyLike,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
} from 'jose';
import { APP_CONFIG, IdentityConfig } from '../config/identity.config';
import { IdentityAudit, SYSTEM_ACTOR } from '../audit-events/identity-audit.service';
import { SigningKey } from './signing-key.entity';
import { decryptPrivateJwk, encryptPrivateJwk } from './signing-key-encryption';
import {
  SigningKeyStatus,
  isDueForRetirement,
  isDueForRotation,
  isVerifying,
  retireAfterFor,
} from './signing-key-lifecycle';

/** A public JWK as published in `/.well-known/jwks.json`. */
export type PublicJwk = JWK & { kid: string; alg: string; use: 'sig' };

/** A signing key as the operator sees it (never its private half). */
export interface SigningKeyView {
  kid: string;
  alg: string;
  status: SigningKeyStatus;
  createdAt: string;
  rotatedAt: string | null;
  retireAfter: string | null;
  publicJwk: PublicJwk;
}

interface VerifyingKey {
  kid: string;
  status: SigningKeyStatus;
  createdAt: Date;
  rotatedAt: Date | null;
  retireAfter: Date | null;
  publicJwk: PublicJwk;
  publicKey: KeyLike | Uint8Array;
}

/** Advisory lock that serialises key generation, rotation and retirement across instances. */
const SIGNING_KEY_LOCK = 'identity.signing_key';
/** How stale this instance's view of the keys may get before it reads them again. */
const KEYS_REFRESH_MS = 5_000;
/** How often an instance checks whether the active key is due for rotation. */
const ROTATION_CHECK_INTERVAL_MS = 60_000;
/** Why a new signing key became active (the `reason` of its `signing_key.rotated` event). */
type RotationReason = 'first_key' | 'operator' | 'automatic';

/** What a rotation did: the new active key, the key it replaced, the keys it retired. */
interface Rotation {
  kid: string;
  previousKid: string | null;
  retiredKids: string[];
}

/** A `kid` as identity makes them: a base64url JWK thumbprint (RFC 7638, SHA-256). */
const KID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * The ES256 keys that sign access tokens, stored in the database with their private halves
 * encrypted (`SIGNING_KEY_ENCRYPTION_KEY`, JWE dir/A256GCM). One key is `active` and signs; a
 * rotation (`rotate`, or automatically when the active key is `SIGNING_KEY_ROTATION_DAYS` old,
 * checked every minute by whichever instance takes the advisory lock) makes it `previous`: it
 * still verifies and stays in the JWKS until every token it signed has expired, then retires.
 * Every instance reads the keys again at most every few seconds when it signs, verifies or
 * publishes, so a rotation made by one instance reaches the others without a restart; a token
 * naming a `kid` this instance has not seen is looked up at once.
 */
@Injectable()
export class SigningKeysService
  implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly logger = new Logger(SigningKeysService.name);
  private verifying = new Map<string, VerifyingKey>();
  private active: { kid: string; privateKey: KeyLike | Uint8Array } | undefined;
  private activeError: Error | undefined;
  private loadedAt = 0;
  private loading: Promise<void> | undefined;
  private rotationTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly em: EntityManager,
    private readonly audit: IdentityAudit,
    @Inject(APP_CONFIG) private readonly config: IdentityConfig,
  ) {}

  /**
   * Under the advisory lock: encrypt plaintext private keys left by older versions, retire what is
   * due, and generate the first key unless one is active (two instances booting together end up
   * with one key), or rotate a key already due. Then load the keys; the active one must decrypt
   * (a wrong `SIGNING_KEY_ENCRYPTION_KEY` stops the start-up with a message saying so). Each
   * change is recorded in the platform's trail, actor `system`: `signing_key.encrypted`,
   * `signing_key.retired`, `signing_key.rotated` (`first_key` or `automatic`).
   */
  async onModuleInit(): Promise<void> {
    const platformTenantId = await this.audit.platformTenant();
    await this.em.fork().transactional(async (tx) => {
      await tx.execute(`select pg_advisory_xact_lock(hashtext(?))`, [SIGNING_KEY_LOCK]);
      for (const kid of await this.encryptPlaintextKeys(tx)) {
        await this.recordKey(tx, platformTenantId, 'signing_key.encrypted', kid, {
          encryptedAtRest: true,
        });
      }
      const now = new Date();
      await this.recordRetired(tx, platformTenantId, await this.retireDue(tx, now));
      const active = await tx.findOne(SigningKey, { status: 'active' });
      if (!active) {
        const kid = await this.addActiveKey(tx, now);
        await this.recordRotation(
          tx,
          platformTenantId,
          { kid, previousKid: null, retiredKids: [] },
          'first_key',
        );
      } else if (isDueForRotation(active, now, this.config.SIGNING_KEY_ROTATION_DAYS)) {
        await this.recordRotation(tx, platformTenantId, await this.rotateIn(tx, now), 'automatic');
      }
    });
    await this.reload();
    if (!this.active) throw this.activeError ?? new Error('no active signing key');
  }

  onApplicationBootstrap(): void {
    this.rotationTimer = setInterval(() => void this.checkRotation(), ROTATION_CHECK_INTERVAL_MS);
    this.rotationTimer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.rotationTimer);
  }

  /** The key that signs new tokens: the active one, as of at most a few seconds ago. */
  async signingKey(): Promise<{ kid: string; privateKey: KeyLike | Uint8Array }> {
    await this.refreshIfStale();
    if (!this.active) throw this.activeError ?? new Error('no active signing key');
    return this.active;
  }

  /**
   * The verification key named by a token header (a `keyResolver` for `AccessTokenVerifier`): an
   * active key, or a previous one before its `retireAfter`.
   * @throws when no such key has that `kid`.
   */
  async verificationKey(header: JWTHeaderParameters): Promise<KeyLike | Uint8Array> {
    await this.refreshIfStale();
    const kid = header.kid ?? '';
    let key = this.verifying.get(kid);
    if (!key && KID_PATTERN.test(kid)) {
      // Signed moments ago by another instance that rotated: read that key now.
      const row = await this.em.fork().findOne(SigningKey, { kid });
      if (row && isVerifying(row, new Date())) {
        key = await this.toVerifyingKey(row);
        this.verifying.set(kid, key);
      }
    }
    if (!key || !isVerifying(key, new Date())) throw new Error('unknown or retired signing key');
    return key.publicKey;
  }

  /**
   * The public keys to publish (`{ kty, crv, x, y, kid, alg: 'ES256', use: 'sig' }`): the active
   * key first, then previous keys until they retire.
   */
  async publicJwks(): Promise<PublicJwk[]> {
    await this.refreshIfStale();
    return this.published(new Date()).map((k) => k.publicJwk);
  }

  /**
   * Rotate now: the active key becomes `previous` (verifying until rotation + access-token TTL +
   * skew) and a new key becomes active. Serialised across instances by the advisory lock.
   * Recorded as `signing_key.rotated` (`reason: 'operator'`, the operator as actor) in the
   * platform's trail, naming the keys the rotation retired.
   * @returns the new active key and the published keys.
   */
  async rotate(): Promise<{ key: SigningKeyView; keys: SigningKeyView[] }> {
    const platformTenantId = await this.audit.platformTenant();
    const kid = await this.em.fork().transactional(async (tx) => {
      await tx.execute(`select pg_advisory_xact_lock(hashtext(?))`, [SIGNING_KEY_LOCK]);
      const rotation = await this.rotateIn(tx, new Date());
      await this.audit.record(tx, {
        type: 'signing_key.rotated',
        tenantIds: [platformTenantId],
        resource: { type: 'signing_key', id: rotation.kid },
        before: { activeKid: rotation.previousKid },
        after: { activeKid: rotation.kid, retiredKids: rotation.retiredKids, reason: 'operator' },
      });
      return rotation.kid;
    });
    await this.reload();
    const keys = this.published(new Date()).map(toView);
    const key = keys.find((k) => k.kid === kid);
    if (!key) throw new Error(`the new signing key ${kid} is not loaded`);
    return { key, keys };
  }

  /**
   * The periodic check: the instance that takes the advisory lock (the others skip) retires what
   * is due and rotates the active key once it is `SIGNING_KEY_ROTATION_DAYS` old; recorded as
   * `signing_key.retired` or `signing_key.rotated` (`automatic`), actor `system`.
   */
  async checkRotation(now: Date = new Date()): Promise<void> {
    try {
      const platformTenantId = await this.audit.platformTenant();
      const rotated = await this.em.fork().transactional(async (tx) => {
        const [lock] = await tx.execute<{ locked: boolean }[]>(
          `select pg_try_advisory_xact_lock(hashtext(?)) as locked`,
          [SIGNING_KEY_LOCK],
        );
        if (!lock?.locked) return false;
        const retired = await this.retireDue(tx, now);
        const active = await tx.findOne(SigningKey, { status: 'active' });
        if (active && !isDueForRotation(active, now, this.config.SIGNING_KEY_ROTATION_DAYS)) {
          await this.recordRetired(tx, platformTenantId, retired);
          return false;
        }
        const rotation = await this.rotateIn(tx, now);
        await this.recordRotation(
          tx,
          platformTenantId,
          { ...rotation, retiredKids: [...retired, ...rotation.retiredKids] },
          'automatic',
        );
        return true;
      });
      if (rotated) await this.reload();
    } catch (error) {
      this.logger.error(`signing key rotation check failed: ${(error as Error).message}`);
    }
  }

  private async rotateIn(tx: EntityManager, now: Date): Promise<Rotation> {
    const current = await tx.findOne(SigningKey, { status: 'active' });
    if (current) {
      current.status = 'previous';
      current.rotatedAt = now;
      current.retireAfter = retireAfterFor(now, this.config.ACCESS_TOKEN_TTL_SECONDS);
      // The partial unique index allows one active key: demote before the new one is inserted.
      await tx.flush();
    }
    const retiredKids = await this.retireDue(tx, now);
    const kid = await this.addActiveKey(tx, now);
    this.logger.log(`rotated the signing key: ${current?.kid ?? 'none'} → ${kid}`);
    return { kid, previousKid: current?.kid ?? null, retiredKids };
  }

  /** Record in `tx` a rotation that runs by itself (start-up, the periodic check). */
  private async recordRotation(
    tx: EntityManager,
    platformTenantId: string,
    rotation: Rotation,
    reason: RotationReason,
  ): Promise<void> {
    await this.recordKey(
      tx,
      platformTenantId,
      'signing_key.rotated',
      rotation.kid,
      { activeKid: rotation.kid, retiredKids: rotation.retiredKids, reason },
      { activeKid: rotation.previousKid },
    );
  }

  /** Record in `tx` each key retired by itself (start-up, the periodic check). */
  private async recordRetired(
    tx: EntityManager,
    platformTenantId: string,
    kids: readonly string[],
  ): Promise<void> {
    for (const kid of kids) {
      await this.recordKey(
        tx,
        platformTenantId,
        'signing_key.retired',
        kid,
        { status: 'retired', privateKeyDestroyed: true },
        { status: 'previous' },
      );
    }
  }

  /** One signing key event of the platform's trail, actor `system`. */
  private async recordKey(
    tx: EntityManager,
    platformTenantId: string,
    type: 'signing_key.rotated' | 'signing_key.retired' | 'signing_key.encrypted',
    kid: string,
    after: Record<string, unknown>,
    before?: Record<string, unknown>,
  ): Promise<void> {
    await this.audit.record(tx, {
      type,
      actor: SYSTEM_ACTOR,
      tenantIds: [platformTenantId],
      resource: { type: 'signing_key', id: kid },
      before,
      after,
    });
  }

  /** Generate an ES256 key pair and insert it as the active key; its private half encrypted. */
  private async addActiveKey(tx: EntityManager, now: Date = new Date()): Promise<string> {
    const { publicKey, privateKey } = await generateKeyPair(ACCESS_TOKEN_ALG, {
      extractable: true,
    });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: ACCESS_TOKEN_ALG };
    tx.create(SigningKey, {
      kid,
      alg: ACCESS_TOKEN_ALG,
      publicJwk: { ...publicJwk, kid, alg: ACCESS_TOKEN_ALG, use: 'sig' },
      privateJwk: null,
      privateKeyJwe: await encryptPrivateJwk(
        privateJwk,
        kid,
        this.config.SIGNING_KEY_ENCRYPTION_KEY,
      ),
      status: 'active',
      createdAt: now,
      rotatedAt: null,
      retireAfter: null,
    });
    await tx.flush();
    this.logger.log(`generated signing key ${kid}`);
    return kid;
  }

  /**
   * Retire previous keys whose tokens have all expired; their private halves are destroyed.
   * Answers their kids.
   */
  private async retireDue(tx: EntityManager, now: Date): Promise<string[]> {
    const previous = await tx.find(SigningKey, { status: 'previous' });
    const due = previous.filter((k) => isDueForRetirement(k, now));
    for (const key of due) {
      key.status = 'retired';
      key.privateJwk = null;
      key.privateKeyJwe = null;
      this.logger.log(`retired signing key ${key.kid}`);
    }
    await tx.flush();
    return due.map((key) => key.kid);
  }

  /** Encrypt the plaintext private keys of older versions (once, at start-up); answers their kids. */
  private async encryptPlaintextKeys(tx: EntityManager): Promise<string[]> {
    const plaintext = await tx.find(SigningKey, { privateJwk: { $ne: null } });
    for (const key of plaintext) {
      if (key.privateJwk && key.status !== 'retired') {
        key.privateKeyJwe = await encryptPrivateJwk(
          key.privateJwk,
          key.kid,
          this.config.SIGNING_KEY_ENCRYPTION_KEY,
        );
      }
      key.privateJwk = null;
      this.logger.log(`encrypted the private half of signing key ${key.kid} at rest`);
    }
    await tx.flush();
    return plaintext.map((key) => key.kid);
  }

  private published(now: Date): VerifyingKey[] {
    return [...this.verifying.values()]
      .filter((k) => isVerifying(k, now))
      .sort(
        (a, b) =>
          Number(b.status === 'active') - Number(a.status === 'active') ||
          b.createdAt.getTime() - a.createdAt.getTime(),
      );
  }

  /**
   * Read the keys again when this instance's view is older than `KEYS_REFRESH_MS`. When the
   * database does not answer, the keys already loaded keep serving (and the next read waits
   * another `KEYS_REFRESH_MS`).
   */
  private async refreshIfStale(): Promise<void> {
    if (Date.now() - this.loadedAt <= KEYS_REFRESH_MS) return;
    try {
      await this.reload();
    } catch (error) {
      if (this.verifying.size === 0) throw error;
      this.loadedAt = Date.now();
      this.logger.warn(`reading the signing keys failed: ${(error as Error).message}`);
    }
  }

  /** Read the active and previous keys; decrypt the active one when it changed. */
  private reload(): Promise<void> {
    this.loading ??= this.load().finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async load(): Promise<void> {
    const rows = await this.em
      .fork()
      .find(
        SigningKey,
        { status: { $in: ['active', 'previous'] } },
        { orderBy: { createdAt: 'desc' } },
      );
    const verifying = new Map<string, VerifyingKey>();
    for (const row of rows) {
      const known = this.verifying.get(row.kid);
      verifying.set(
        row.kid,
        known
          ? { ...known, status: row.status, rotatedAt: row.rotatedAt, retireAfter: row.retireAfter }
          : await this.toVerifyingKey(row),
      );
    }
    this.verifying = verifying;
    this.loadedAt = Date.now();
    const active = rows.find((r) => r.status === 'active');
    if (active && active.kid !== this.active?.kid) {
      try {
        this.active = { kid: active.kid, privateKey: await this.privateKeyOf(active) };
        this.activeError = undefined;
      } catch (error) {
        // Verification goes on with the public keys; signing fails until the key decrypts.
        this.active = undefined;
        this.activeError = error as Error;
        this.logger.error(this.activeError.message);
      }
    }
  }

  private async toVerifyingKey(row: SigningKey): Promise<VerifyingKey> {
    return {
      kid: row.kid,
      status: row.status,
      createdAt: row.createdAt,
      rotatedAt: row.rotatedAt,
      retireAfter: row.retireAfter,
      publicJwk: { ...row.publicJwk, kid: row.kid, alg: row.alg, use: 'sig' },
      publicKey: await importJWK(row.publicJwk, row.alg),
    };
  }

  private async privateKeyOf(row: SigningKey): Promise<KeyLike | Uint8Array> {
    const jwk = row.privateKeyJwe
      ? await decryptPrivateJwk(row.privateKeyJwe, row.kid, this.config.SIGNING_KEY_ENCRYPTION_KEY)
      : row.privateJwk;
    if (!jwk) throw new Error(`signing key ${row.kid} has no private half`);
    return importJWK(jwk, row.alg);
  }
}

function toView(key: VerifyingKey): SigningKeyView {
  return {
    kid: key.kid,
    alg: key.publicJwk.alg,
    status: key.status,
    createdAt: key.createdAt.toISOString(),
    rotatedAt: key.rotatedAt?.toISOString() ?? null,
    retireAfter: key.retireAfter?.toISOString() ?? null,
    publicJwk: key.publicJwk,
  };
}
