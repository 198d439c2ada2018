import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type { Locale, Role } from '@app/contracts';
import { randomUUID } from 'node:crypto';

/**
 * A user of one tenant (DESIGN.md "User"): unique lower-cased email (the sign-in name), roles valid
 * for the tenant kind, an argon2id password hash, and whether that password is temporary (shown
 * once, to be changed at first sign-in, seed 004 "Add a new user").
 */
@Entity({ tableName: 'user_account' })
export class User {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  tenantId!: string;

  @Property({ type: 'text' })
  email!: string;

  @Property({ type: 'text' })
  firstName!: string;

  @Property({ type: 'text' })
  lastName!: string;

  @Property({ type: 'json' })
  roles!: Role[];

  @Property({ type: 'text', hidden: true })
  passwordHash!: string;

  @Property({ type: 'boolean' })
  passwordTemporary: boolean = false;

  @Property({ type: 'text' })
  locale!: Locale;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'boolean' })
  disabled: boolean = false;

  /**
   * When the user proved its sign-in address (issue 9 point 7: a verification link, the primary
   * contact's link of its enrollment when the addresses match, or a password reset link). Null:
   * not yet; sign-in answers 403 `auth.email_unverified` with the right password.
   */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  emailVerifiedAt: Date | null = null;

  /**
   * Sessions (refresh token families) started before this moment are refused: set when the password
   * is reset or changed, or the user is disabled. Null: none revoked.
   */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  sessionsRevokedAt: Date | null = null;
}
