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

  /**
   * When the partner accepted the Partner Agreement: submitting the enrollment accepts it (the
   * enrollment form says so), so it is the submission's time; enrollments submitted before issue 11
   * were given their submission time by the migration. Read by `GET
   * /v1/compliance/csp/agreementstatus`.
   */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  partnerAgreementAcceptedAt: Date | null = null;

  /** The version of the Partner Agreement accepted (`PARTNER_AGREEMENT_VERSION` at the time). */
  @Property({ type: 'text', nullable: true })
  partnerAgreementVersion: string | null = null;

  /** The enrolling Global admin who accepted it (null for enrollments before issue 11). */
  @Property({ type: 'uuid', nullable: true })
  partnerAgreementAcceptedBy: string | null = null;

  /** The operator's reason for the decision (required to reject, optional to approve). */
  @Property({ type: 'text', nullable: true })
  reviewReason: string | null = null;
}
