import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { EnrollmentStatus } from '@app/contracts';
import { DomainError } from '@app/platform';
import { OutboxService } from '@app/outbox';
import { APP_CONFIG, IdentityConfig } from '../config/identity.config';
import { Tenant } from '../organizations/tenant.entity';
import { Enrollment } from './enrollment.entity';

/**
 * The status of a partner enrollment (DESIGN.md "Enrollment", seed 004 "Enroll"), kept on the
 * tenant (`partnerStatus`): `pending_verification` → (the primary contact follows the emailed link)
 * → `in_review`, or `active` with `ENROLLMENT_AUTO_APPROVE` → (an operator decides) `active` |
 * `rejected`. Every change bumps the tenant version and emails the primary contact
 * (`enrollment-status`, outbox, same transaction).
 */
@Injectable()
export class EnrollmentStatusService {
  constructor(
    private readonly outbox: OutboxService,
    @Inject(APP_CONFIG) private readonly config: IdentityConfig,
  ) {}

  /**
   * The enrollment `enrollmentId` and its partner tenant, the tenant row locked (`for update`)
   * and read afresh.
   * @throws 404 `enrollment.not_found`.
   */
  async lock(
    tx: EntityManager,
    enrollmentId: string,
  ): Promise<{ enrollment: Enrollment; tenant: Tenant }> {
    const enrollment = await tx.findOne(Enrollment, { id: enrollmentId });
    const tenant = enrollment
      ? await tx.findOne(
          Tenant,
          { id: enrollment.tenantId, kind: 'partner' },
          { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
        )
      : null;
    if (!enrollment || !tenant)
      throw new DomainError('enrollment.not_found', 404, 'The enrollment was not found.');
    return { enrollment, tenant };
  }

  /** @throws 409 `enrollment.invalid_state` (`data: { status, expected }`) unless `expected`. */
  assertStatus(tenant: Tenant, expected: EnrollmentStatus): void {
    if (tenant.partnerStatus !== expected) {
      throw new DomainError(
        'enrollment.invalid_state',
        409,
        `The enrollment is ${tenant.partnerStatus ?? 'unknown'}, not ${expected}.`,
        { status: tenant.partnerStatus, expected },
      );
    }
  }

  /**
   * The primary contact's address is verified (at `now`): an enrollment still
   * `pending_verification` moves to `in_review`, or straight to `active` with
   * `ENROLLMENT_AUTO_APPROVE`. Any other status is left as it is.
   */
  markVerified(tx: EntityManager, enrollment: Enrollment, tenant: Tenant, now: Date): void {
    if (tenant.partnerStatus !== 'pending_verification') return;
    enrollment.verifiedAt = now;
    const status = this.config.ENROLLMENT_AUTO_APPROVE ? 'active' : 'in_review';
    if (status === 'active') enrollment.reviewedAt = now;
    this.change(tx, tenant, status);
  }

  /** Move the partner to `status` and email the primary contact (outbox, same transaction). */
  change(
    tx: EntityManager,
    tenant: Tenant,
    status: 'in_review' | 'active' | 'rejected',
    reason?: string,
  ): void {
    tenant.partnerStatus = status;
    tenant.version += 1;
    const contact = tenant.primaryContact;
    if (!contact) return;
    this.outbox.enqueueEmail(tx, {
      template: 'enrollment-status',
      to: contact.email,
      locale: tenant.locale,
      data: {
        legalName: tenant.name,
        contactName: contact.name,
        status,
        ...(reason ? { reason } : {}),
      },
    });
  }
}
