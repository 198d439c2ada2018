import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/**
 * What a link of a partner's enrollment proves: `enrollment`, the primary contact's address at
 * enrollment (seed 004 step 8); `primary_contact`, a changed primary contact email, which becomes
 * the primary contact once verified.
 */
export type VerificationPurpose = 'enrollment' | 'primary_contact';

/**
 * What a link of one user does (issue 9 points 7 and 8): `sign_in_email`, the user proves its
 * sign-in address before its first sign-in; `password_reset`, the user chooses a new password
 * (which proves the address too).
 */
export type UserLinkPurpose = 'sign_in_email' | 'password_reset';

/**
 * The token of an emailed link: a partner's primary contact verification (seed 004 step 8: "we'll
 * email your primary contact to verify"), a user's sign-in address verification or password reset
 * (issue 9 points 7, 8). Stored only as a SHA-256 hash, single use, with an expiry. A newer link
 * for the same enrollment (or user) and purpose expires the older ones.
 */
@Entity({ tableName: 'enrollment_verification_token' })
export class VerificationToken {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The enrollment of an `enrollment` or `primary_contact` link; null for a user's link. */
  @Property({ type: 'uuid', nullable: true })
  enrollmentId: string | null = null;

  /** The user of a `sign_in_email` or `password_reset` link; null for an enrollment's link. */
  @Property({ type: 'uuid', nullable: true })
  userId: string | null = null;

  @Property({ type: 'text' })
  purpose: VerificationPurpose | UserLinkPurpose = 'enrollment';

  /** The address the link was sent to (and that it verifies). */
  @Property({ type: 'text', nullable: true })
  email: string | null = null;

  /** The outbox id (idempotency key) of the email that carried the link. */
  @Property({ type: 'uuid', nullable: true })
  emailMessageId: string | null = null;

  @Property({ type: 'text' })
  tokenHash!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  usedAt: Date | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();
}
