import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/**
 * The token of an enrollment verification link (seed 004 step 8: "we'll email your primary contact
 * to verify"): stored only as a SHA-256 hash, single use, with an expiry.
 */
@Entity({ tableName: 'enrollment_verification_token' })
export class VerificationToken {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  enrollmentId!: string;

  @Property({ type: 'text' })
  tokenHash!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  usedAt: Date | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();
}
