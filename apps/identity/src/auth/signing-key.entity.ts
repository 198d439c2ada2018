import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type { JWK } from 'jose';

/**
 * An ES256 key pair that signs access tokens, as JWKs. Generated at first boot; the newest active
 * key signs, every active key verifies and is published in `/.well-known/jwks.json`.
 */
@Entity({ tableName: 'signing_key' })
export class SigningKey {
  @PrimaryKey({ type: 'text' })
  kid!: string;

  @Property({ type: 'text' })
  alg!: string;

  @Property({ type: 'json' })
  publicJwk!: JWK;

  @Property({ type: 'json', hidden: true })
  privateJwk!: JWK;

  @Property({ type: 'boolean' })
  active: boolean = true;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();
}
