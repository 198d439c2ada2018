import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
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
import { SigningKey } from './signing-key.entity';

/** A public JWK as published in `/.well-known/jwks.json`. */
export type PublicJwk = JWK & { kid: string; alg: string; use: 'sig' };

interface LoadedKey {
  kid: string;
  createdAt: Date;
  publicJwk: PublicJwk;
  publicKey: KeyLike | Uint8Array;
  privateKey: KeyLike | Uint8Array;
}

/** Advisory lock key that serialises first-boot key generation across identity instances. */
const KEY_GENERATION_LOCK = 'identity.signing_key.generate';

/**
 * The ES256 keys that sign access tokens, stored in the database. At start-up an instance takes a
 * transaction-scoped advisory lock and generates a key only if none is active, so two instances
 * booting together end up with one key. The newest active key signs; all active keys verify and are
 * published. A token naming an unknown `kid` reloads the keys (another instance may have rotated).
 */
@Injectable()
export class SigningKeysService implements OnModuleInit {
  private readonly logger = new Logger(SigningKeysService.name);
  private keys: LoadedKey[] = [];
  private lastReload = 0;

  constructor(private readonly em: EntityManager) {}

  async onModuleInit(): Promise<void> {
    await this.ensureKey();
    await this.reload();
  }

  /** Generate the first key unless an active one exists (race-safe across instances). */
  async ensureKey(): Promise<void> {
    await this.em.fork().transactional(async (tx) => {
      await tx.execute(`select pg_advisory_xact_lock(hashtext(?))`, [KEY_GENERATION_LOCK]);
      const existing = await tx.count(SigningKey, { active: true });
      if (existing > 0) return;
      const { publicKey, privateKey } = await generateKeyPair(ACCESS_TOKEN_ALG, {
        extractable: true,
      });
      const publicJwk = await exportJWK(publicKey);
      const kid = await calculateJwkThumbprint(publicJwk);
      tx.create(SigningKey, {
        kid,
        alg: ACCESS_TOKEN_ALG,
        publicJwk: { ...publicJwk, kid, alg: ACCESS_TOKEN_ALG, use: 'sig' },
        privateJwk: { ...(await exportJWK(privateKey)), kid, alg: ACCESS_TOKEN_ALG },
        active: true,
        createdAt: new Date(),
      });
      this.logger.log(`generated signing key ${kid}`);
    });
  }

  private async reload(): Promise<void> {
    const rows = await this.em
      .fork()
      .find(SigningKey, { active: true }, { orderBy: { createdAt: 'desc', kid: 'asc' } });
    this.keys = await Promise.all(
      rows.map(async (row) => ({
        kid: row.kid,
        createdAt: row.createdAt,
        publicJwk: { ...row.publicJwk, kid: row.kid, alg: row.alg, use: 'sig' as const },
        publicKey: await importJWK(row.publicJwk, row.alg),
        privateKey: await importJWK(row.privateJwk, row.alg),
      })),
    );
    this.lastReload = Date.now();
  }

  /** The key that signs new tokens: the newest active one. */
  async signingKey(): Promise<{ kid: string; privateKey: KeyLike | Uint8Array }> {
    if (this.keys.length === 0) await this.reload();
    const key = this.keys[0];
    if (!key) throw new Error('no active signing key');
    return { kid: key.kid, privateKey: key.privateKey };
  }

  /**
   * The verification key named by a token header (a `keyResolver` for `AccessTokenVerifier`).
   * @throws when no active key has that `kid`.
   */
  async verificationKey(header: JWTHeaderParameters): Promise<KeyLike | Uint8Array> {
    let key = this.keys.find((k) => k.kid === header.kid);
    if (!key && Date.now() - this.lastReload > 5_000) {
      await this.reload();
      key = this.keys.find((k) => k.kid === header.kid);
    }
    if (!key) throw new Error('unknown signing key');
    return key.publicKey;
  }

  /**
   * The public keys to publish (`{ kty, crv, x, y, kid, alg: 'ES256', use: 'sig' }`), reloaded at
   * most once a minute so that a key added by another instance is published too.
   */
  async publicJwks(): Promise<PublicJwk[]> {
    if (Date.now() - this.lastReload > 60_000) await this.reload();
    return this.keys.map((k) => k.publicJwk);
  }
}
