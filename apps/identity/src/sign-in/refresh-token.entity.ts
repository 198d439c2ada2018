import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/**
 * A refresh token (opaque, 256 random bits, stored only as its SHA-256 `tokenHash`). Tokens form a
 * family, one per sign-in (a session, the access token's `sid`): each use spends the token
 * (`usedAt`) and issues its successor in the family (`replacedBy`); presenting a spent token
 * revokes the whole family (`revokedAt`), as does sign-out.
 */
@Entity({ tableName: 'refresh_token' })
export class RefreshToken {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  familyId!: string;

  @Property({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'uuid' })
  tenantId!: string;

  @Property({ type: 'text', hidden: true })
  tokenHash!: string;

  /** When the family's sign-in happened; refused when before the user's `sessionsRevokedAt`. */
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  sessionStartedAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  issuedAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  usedAt: Date | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;

  @Property({ type: 'uuid', nullable: true })
  replacedBy: string | null = null;
}
