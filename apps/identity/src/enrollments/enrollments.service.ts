import { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { DEFAULT_LOCALE } from '@app/contracts';
import {
  Collection,
  cursorCollection,
  DomainError,
  queryString,
  timestampCursorAfter,
} from '@app/platform';
import { IdentityAudit, anonymousActor } from '../audit-events/identity-audit.service';
import { Tenant } from '../organizations/tenant.entity';
import { TENANT_CONFLICTS, rethrowUniqueViolation } from '../organizations/unique-violation';
import { PasswordHasher } from '../users/password-hasher.service';
import { assertPasswordPolicy } from '../users/password-policy';
import { userAuditView } from '../users/user-audit';
import { UsersService } from '../users/users.service';
import { VerificationLinksService } from '../verification-links/verification-links.service';
import {
  EnrollmentCreated,
  EnrollmentInput,
  EnrollmentListQuery,
  EnrollmentView,
  toEnrollmentView,
} from './dto/enrollment.dto';
import { EnrollmentStatusService } from './enrollment-status.service';
import { Enrollment } from './enrollment.entity';
import { PARTNER_AGREEMENT_VERSION } from './partner-agreement-version';
import { assertNotWebmail } from './webmail-domains';

/**
 * Partner enrollment (seed 004 "Enroll"): the partner tenant starts `pending_verification` and its
 * primary contact gets a verification link (following it is `enrollment-verification/`: →
 * `in_review`, or `active` with `ENROLLMENT_AUTO_APPROVE`); an operator approves (`active`) or
 * rejects (`rejected`) with a reason, or sends a new link. Every status change emails the primary
 * contact (`EnrollmentStatusService`, outbox, same transaction).
 */
@Injectable()
export class EnrollmentsService {
  constructor(
    private readonly em: EntityManager,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly links: VerificationLinksService,
    private readonly enrollmentStatus: EnrollmentStatusService,
    private readonly audit: IdentityAudit,
  ) {}

  /**
   * Enroll a partner: the tenant, its first user (Global admin and Admin agent, seed 004 step 9),
   * the verification token, and the verification email to the primary contact, in one transaction.
   * The organisation is new, so the Global admin's address is never taken (sign-in names are per
   * organisation, issue 9 point 9): the answer depends on the Partner ID, the primary contact's
   * domain and the password alone, never on whether an address has an account elsewhere. (Before,
   * an enrollment whose address had an account created nothing, so its Partner ID stayed free and
   * a second enrollment with that Partner ID answered 201 where it otherwise answered 409.)
   * @throws 400 `enrollment.webmail_primary_contact`, 400 `user.weak_password`,
   * 409 `enrollment.mpn_id_taken`, 503 `service.busy` (too many public password hashes waiting).
   */
  async enroll(input: EnrollmentInput): Promise<EnrollmentCreated> {
    assertNotWebmail(input.primaryContact.email, 'primaryContact.email');
    assertPasswordPolicy(input.globalAdmin.password, { email: input.globalAdmin.email });
    const locale = input.locale ?? DEFAULT_LOCALE;
    // Hashed in the public routes' bounded lane, before any connection is held.
    const passwordHash = await this.hasher.hashForPublicRoute(input.globalAdmin.password);
    return this.em
      .transactional(async (tx): Promise<EnrollmentCreated> => {
        if ((await tx.count(Tenant, { mpnId: input.mpnId })) > 0) {
          throw new DomainError(
            'enrollment.mpn_id_taken',
            409,
            'This Partner ID (MPN ID) is already enrolled.',
          );
        }
        const tenant = tx.create(Tenant, {
          kind: 'partner',
          name: input.legalBusinessName,
          country: input.address.country,
          cloud: input.cloud,
          locale,
          version: 1,
          createdAt: new Date(),
          partnerType: input.partnerType,
          mpnId: input.mpnId,
          partnerStatus: 'pending_verification',
          address: {
            addressLine1: input.address.addressLine1,
            addressLine2: input.address.addressLine2 || null,
            city: input.address.city,
            state: input.address.state || null,
            postalCode: input.address.postalCode,
          },
          primaryContact: { ...input.primaryContact, phone: input.primaryContact.phone ?? null },
          supportContact: { ...input.supportContact, phone: input.supportContact.phone ?? null },
          pendingPrimaryContactEmail: null,
        });
        tx.persist(tenant);
        const admin = await this.users.addUser(tx, tenant, {
          firstName: input.globalAdmin.firstName,
          lastName: input.globalAdmin.lastName,
          email: input.globalAdmin.email,
          roles: ['GlobalAdmin', 'AdminAgent'],
          locale,
          password: input.globalAdmin.password,
          passwordHash,
          passwordTemporary: false,
          // Issue 9 point 7: the Global admin proves its address before its first sign-in. When it
          // is the primary contact's, the enrollment's link does it; else it gets its own link.
          verification:
            input.globalAdmin.email === input.primaryContact.email ? 'enrollment' : 'link',
        });
        const submittedAt = new Date();
        // Submitting the enrollment accepts the Partner Agreement of the current version.
        const enrollment = tx.create(Enrollment, {
          tenantId: tenant.id,
          submittedAt,
          partnerAgreementAcceptedAt: submittedAt,
          partnerAgreementVersion: PARTNER_AGREEMENT_VERSION,
          partnerAgreementAcceptedBy: admin.id,
        });
        tx.persist(enrollment);
        await this.links.issue(tx, {
          enrollmentId: enrollment.id,
          tenant,
          purpose: 'enrollment',
          email: input.primaryContact.email,
          contactName: input.primaryContact.name,
        });
        const view = toEnrollmentView(enrollment, tenant);
        await this.audit.record(tx, {
          type: 'enrollment.submitted',
          actor: anonymousActor(admin.id, tenant.id),
          tenantIds: [tenant.id],
          resource: { type: 'enrollment', id: enrollment.id },
          after: {
            ...view,
            attributes: undefined,
            globalAdmin: userAuditView(admin),
            partnerAgreement: {
              version: PARTNER_AGREEMENT_VERSION,
              acceptedAt: submittedAt.toISOString(),
            },
          },
        });
        await tx.flush();
        return {
          enrollmentId: enrollment.id,
          tenantId: tenant.id,
          status: 'pending_verification',
          primaryContactEmail: input.primaryContact.email,
        };
      })
      .catch(rethrowUniqueViolation(TENANT_CONFLICTS));
  }

  /**
   * Enrollments for review, oldest first, optionally by status (the tenant's `partnerStatus`, a
   * subquery on `tenant`), keyset paginated on (submittedAt, id) by `em.findByCursor` (without its
   * count query); then their tenants, by id.
   * @throws 400 `request.invalid_cursor`.
   */
  async list(query: EnrollmentListQuery): Promise<Collection<EnrollmentView>> {
    // MikroORM takes a knex query as a subquery value (`tenant_id in (select ...)`); its filter
    // types do not say so, hence the cast.
    const where: FilterQuery<Enrollment> = query.status
      ? {
          tenantId: {
            $in: this.em
              .createQueryBuilder(Tenant)
              .select('id')
              .where({ partnerStatus: query.status })
              .getKnexQuery() as never,
          },
        }
      : {};
    const page = await this.em.findByCursor(Enrollment, where, {
      first: query.size,
      after: timestampCursorAfter(query.seek),
      orderBy: { submittedAt: 'asc', id: 'asc' },
      includeCount: false,
    });
    const tenants = new Map(
      (await this.em.find(Tenant, { id: { $in: page.items.map((e) => e.tenantId) } })).map((t) => [
        t.id,
        t,
      ]),
    );
    const rows = page.items.flatMap((e) => {
      const tenant = tenants.get(e.tenantId);
      return tenant ? [{ enrollment: e, tenant }] : [];
    });
    return cursorCollection(
      { items: rows, hasNextPage: page.hasNextPage, endCursor: page.endCursor },
      (r) => toEnrollmentView(r.enrollment, r.tenant),
      (seek) => `/v1/enrollments?${queryString({ status: query.status, size: query.size, seek })}`,
    );
  }

  /**
   * The operator approves an enrollment under review, optionally with a note for the primary
   * contact: the partner becomes `active`.
   * @throws 404 `enrollment.not_found`, 409 `enrollment.invalid_state`.
   */
  approve(
    enrollmentId: string,
    operatorUserId: string,
    reason: string | null,
  ): Promise<EnrollmentView> {
    return this.decide(enrollmentId, operatorUserId, 'active', reason);
  }

  /**
   * The operator rejects an enrollment under review, with a reason sent to the primary contact.
   * @throws 404 `enrollment.not_found`, 409 `enrollment.invalid_state`.
   */
  reject(enrollmentId: string, operatorUserId: string, reason: string): Promise<EnrollmentView> {
    if (!reason) throw new DomainError('request.invalid', 400, 'A rejection needs a reason.');
    return this.decide(enrollmentId, operatorUserId, 'rejected', reason);
  }

  private async decide(
    enrollmentId: string,
    operatorUserId: string,
    status: 'active' | 'rejected',
    reason: string | null,
  ): Promise<EnrollmentView> {
    return this.em.transactional(async (tx) => {
      const { enrollment, tenant } = await this.enrollmentStatus.lock(tx, enrollmentId);
      this.enrollmentStatus.assertStatus(tenant, 'in_review');
      enrollment.reviewedAt = new Date();
      enrollment.reviewedBy = operatorUserId;
      enrollment.reviewReason = reason;
      this.enrollmentStatus.change(tx, tenant, status, reason ?? undefined);
      await this.audit.record(tx, {
        type: status === 'active' ? 'enrollment.approved' : 'enrollment.rejected',
        tenantIds: [tenant.id],
        resource: { type: 'enrollment', id: enrollment.id },
        before: { status: 'in_review' },
        after: { status, reason },
      });
      await tx.flush();
      return toEnrollmentView(enrollment, tenant);
    });
  }

  /**
   * The operator sends a new verification link to the primary contact of an enrollment still
   * `pending_verification` (no hourly cap); earlier links stop working.
   * @throws 404 `enrollment.not_found`, 409 `enrollment.invalid_state`.
   */
  async resendVerification(enrollmentId: string): Promise<EnrollmentView> {
    return this.em.transactional(async (tx) => {
      const { enrollment, tenant } = await this.enrollmentStatus.lock(tx, enrollmentId);
      this.enrollmentStatus.assertStatus(tenant, 'pending_verification');
      const contact = tenant.primaryContact;
      if (!contact) {
        throw new DomainError(
          'enrollment.invalid_state',
          409,
          'The enrollment has no primary contact.',
        );
      }
      const { expiresAt } = await this.links.issue(tx, {
        enrollmentId: enrollment.id,
        tenant,
        purpose: 'enrollment',
        email: contact.email,
        contactName: contact.name,
      });
      await this.audit.record(tx, {
        type: 'enrollment.verification_resent',
        tenantIds: [tenant.id],
        resource: { type: 'enrollment', id: enrollment.id },
        after: { purpose: 'enrollment', email: contact.email, expiresAt },
      });
      await tx.flush();
      return toEnrollmentView(enrollment, tenant);
    });
  }
}
