import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/**
 * What a verification link proves: `enrollment`, the primary contact's address at enrollment (seed
 * 004 step 8); `primary_contact`, a changed primary contact email, which becomes the primary
 * contact once verified.
 */
export type VerificationPurpose = 'enrollment' | 'primary_contact';

/**
 * The token of a verification link (seed 004 step 8: "we'll email your primary contact to
 * verify"): stored only as a SHA-256 hash, single use, with an expiry. A newer link for the same
 * enrollment and purpose expires the older ones.
 */
@Entity({ tableName: 'enrollment_verification_token' })
export class VerificationToken {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  enrollmentId!: string;

  @Property({ type: 'text' })
  purpose: VerificationPurpose = 'enrollment';

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
