import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type { JWK } from 'jose';
import type { SigningKeyStatus } from './signing-key-lifecycle';

/**
 * An ES256 key pair that signs access tokens (see `signing-key-lifecycle.ts` for its statuses).
 * The public half is a JWK; the private half is a JWE under `SIGNING_KEY_ENCRYPTION_KEY`
 * (`privateKeyJwe`), destroyed when the key is retired. `privateJwk` is the plaintext form of keys
 * made before encryption at rest, encrypted and cleared at the next start-up.
 */
@Entity({ tableName: 'signing_key' })
export class SigningKey {
  @PrimaryKey({ type: 'text' })
  kid!: string;

  @Property({ type: 'text' })
  alg!: string;

  @Property({ type: 'json' })
  publicJwk!: JWK;

  @Property({ type: 'json', nullable: true, hidden: true })
  privateJwk: JWK | null = null;

  @Property({ type: 'text', nullable: true, hidden: true })
  privateKeyJwe: string | null = null;

  @Property({ type: 'text' })
  status: SigningKeyStatus = 'active';

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  /** When a rotation replaced it (status `previous`, then `retired`). */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  rotatedAt: Date | null = null;

  /** When it stops verifying: rotation + access-token TTL + clock skew. */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  retireAfter: Date | null = null;
}
