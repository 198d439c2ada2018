import { Entity, Index, type Opt, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { Locale, Role } from '@app/contracts';
import { randomUUID } from 'node:crypto';
import type { DelegationKind } from './delegation';

/**
 * A user of one tenant (DESIGN.md "User"): a lower-cased email (the sign-in name), unique within the
 * tenant only (issue 9 point 9: another organisation may have a user of the same address; sign-in
 * then may need the organisation, `sign-in/sign-in-candidates.service.ts`), roles valid for the tenant
 * kind, an argon2id password hash, and whether that password is temporary (shown once, to be
 * changed at first sign-in, seed 004 "Add a new user").
 */
@Entity({ tableName: 'user_account' })
@Unique({ name: 'user_account_tenant_email_unique', properties: ['tenantId', 'email'] })
@Index({ name: 'user_account_email_idx', properties: ['email', 'createdAt', 'id'] })
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

  /**
   * When the user was deleted by a partner acting through delegated admin privileges (Partner
   * Center's `softDeletionTime`, state `inactive`): it is disabled, restorable until
   * `CUSTOMER_USER_RETENTION_DAYS` have passed, then purged. Null: not deleted.
   */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  softDeletedAt: Opt<Date> | null = null;

  /** Whether the user was disabled before its soft deletion (what a restore gives back). */
  @Property({ type: 'boolean' })
  disabledBeforeDeletion: Opt<boolean> = false;

  /**
   * For a user created by another organisation acting through a delegation (issue 9 point 3): that
   * partner's tenant (the indirect provider, or the partner holding delegated admin privileges),
   * the kind of delegation and the grant behind it (`admin_access_grant.id`, or the delegated admin
   * grant id relationships answers). When that grant ends, the user is disabled. Null otherwise.
   */
  @Property({ type: 'uuid', nullable: true })
  delegatedByTenantId: string | null = null;

  @Property({ type: 'text', nullable: true })
  delegationKind: DelegationKind | null = null;

  @Property({ type: 'uuid', nullable: true })
  delegationGrantId: string | null = null;
}
