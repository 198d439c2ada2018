import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/**
 * A partner enrollment (seed 004 "Enroll"): the review record of one partner tenant. The status
 * itself is the tenant's `partnerStatus` (`pending_verification` → `in_review` → `active` |
 * `rejected`).
 */
@Entity({ tableName: 'enrollment' })
export class Enrollment {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  tenantId!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  submittedAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  verifiedAt: Date | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  reviewedAt: Date | null = null;

  /** The operator (or `null` for auto-approval) who decided. */
  @Property({ type: 'uuid', nullable: true })
  reviewedBy: string | null = null;

  /** The operator's reason for the decision (required to reject, optional to approve). */
  @Property({ type: 'text', nullable: true })
  reviewReason: string | null = null;
}
