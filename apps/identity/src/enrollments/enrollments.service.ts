import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { DEFAULT_LOCALE, EnrollmentStatus } from '@app/contracts';
import {
  Collection,
  DomainError,
  OutboxService,
  badRequest,
  conflict,
  decodeCursor,
  hashToken,
  newInvitationToken,
  notFound,
  parseKeysetCursor,
  queryString,
  toCollection,
} from '@app/common';
import { APP_CONFIG, IdentityConfig } from '../config/identity.config';
import { rethrowUniqueViolation } from '../database/unique-violation';
import { Tenant } from '../tenants/tenant.entity';
import { assertPasswordPolicy } from '../users/password-policy';
import { UsersService } from '../users/users.service';
import {
  EnrollmentCreated,
  EnrollmentInput,
  EnrollmentListQuery,
  EnrollmentView,
  toEnrollmentView,
} from './dto/enrollment.dto';
import { Enrollment } from './enrollment.entity';
import { VerificationToken } from './verification-token.entity';
import { isWebmailAddress } from './webmail-domains';

/**
 * Partner enrollment (seed 004 "Enroll"): the partner tenant starts `pending_verification`; the
 * primary contact follows the emailed link (→ `in_review`, or `active` with
 * `ENROLLMENT_AUTO_APPROVE`); an operator approves (`active`) or rejects (`rejected`). Every status
 * change emails the primary contact (outbox, same transaction).
 */
@Injectable()
export class EnrollmentsService {
  constructor(
    private readonly em: EntityManager,
    private readonly users: UsersService,
    private readonly outbox: OutboxService,
    @Inject(APP_CONFIG) private readonly config: IdentityConfig,
  ) {}

  /**
   * Enroll a partner: the tenant, its first user (Global admin and Admin agent, seed 004 step 9),
   * the verification token, and the verification email to the primary contact, in one transaction.
   * @throws 400 `enrollment.webmail_primary_contact`, 400 `user.weak_password`,
   * 409 `enrollment.mpn_id_taken`, 409 `user.email_taken`.
   */
  async enroll(input: EnrollmentInput): Promise<EnrollmentCreated> {
    if (isWebmailAddress(input.primaryContact.email)) {
      throw badRequest(
        'enrollment.webmail_primary_contact',
        'The primary contact email address must belong to your organisation: addresses at web-based email services (Gmail, Yahoo! Mail, iCloud Mail, AOL Mail, Outlook.com and the like) are not accepted.',
        { field: 'primaryContact.email' },
      );
    }
    assertPasswordPolicy(input.globalAdmin.password, { email: input.globalAdmin.email });
    const locale = input.locale ?? DEFAULT_LOCALE;
    const created = await this.em
      .transactional(async (tx) => {
        if ((await tx.count(Tenant, { mpnId: input.mpnId })) > 0) {
          throw conflict(
            'enrollment.mpn_id_taken',
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
        });
        tx.persist(tenant);
        await this.users.addUser(tx, tenant, {
          firstName: input.globalAdmin.firstName,
          lastName: input.globalAdmin.lastName,
          email: input.globalAdmin.email,
          roles: ['GlobalAdmin', 'AdminAgent'],
          locale,
          password: input.globalAdmin.password,
          passwordTemporary: false,
        });
        const enrollment = tx.create(Enrollment, { tenantId: tenant.id, submittedAt: new Date() });
        tx.persist(enrollment);
        this.issueVerification(tx, enrollment, tenant);
        return { enrollment, tenant };
      })
      .catch(rethrowUniqueViolation);
    return {
      enrollmentId: created.enrollment.id,
      tenantId: created.tenant.id,
      status: 'pending_verification',
      primaryContactEmail: input.primaryContact.email,
    };
  }

  /**
   * The primary contact verifies its address with the emailed token (single use).
   * @throws 404 `enrollment.token_not_found`, 410 `enrollment.token_used`,
   * 410 `enrollment.token_expired`, 409 `enrollment.invalid_state`.
   */
  async verify(
    token: string,
  ): Promise<{ enrollmentId: string; status: EnrollmentStatus; legalName: string }> {
    const result = await this.em.transactional(async (tx) => {
      const row = await tx.findOne(
        VerificationToken,
        { tokenHash: hashToken(token) },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (!row) {
        throw notFound('enrollment.token_not_found', 'The verification link');
      }
      if (row.usedAt) {
        throw new DomainError(
          'enrollment.token_used',
          410,
          'This verification link was already used.',
        );
      }
      if (row.expiresAt.getTime() <= Date.now()) {
        throw new DomainError(
          'enrollment.token_expired',
          410,
          'This verification link has expired.',
        );
      }
      const { enrollment, tenant } = await this.lockEnrollment(tx, row.enrollmentId);
      this.assertStatus(tenant, 'pending_verification');
      const now = new Date();
      row.usedAt = now;
      enrollment.verifiedAt = now;
      const status: EnrollmentStatus = this.config.ENROLLMENT_AUTO_APPROVE ? 'active' : 'in_review';
      if (status === 'active') enrollment.reviewedAt = now;
      this.changeStatus(tx, tenant, status);
      await tx.flush();
      return { enrollmentId: enrollment.id, status, legalName: tenant.name };
    });
    return result;
  }

  /** Enrollments for review, oldest first, optionally by status, keyset paginated. */
  async list(query: EnrollmentListQuery): Promise<Collection<EnrollmentView>> {
    const cursor = parseKeysetCursor(decodeCursor(query.seek), 'date');
    const params: unknown[] = [];
    let where = 'true';
    if (query.status) {
      where += ` and t."partner_status" = ?`;
      params.push(query.status);
    }
    if (cursor) {
      where += ` and (e."submitted_at", e."id") > (?, ?)`;
      params.push(cursor.key, cursor.id);
    }
    params.push(query.size + 1);
    const ids = await this.em.execute<{ id: string }[]>(
      `select e."id" from "enrollment" e join "tenant" t on t."id" = e."tenant_id"
        where ${where} order by e."submitted_at", e."id" limit ?`,
      params,
    );
    const enrollments = await this.em.find(
      Enrollment,
      { id: { $in: ids.map((r) => r.id) } },
      { orderBy: { submittedAt: 'asc', id: 'asc' } },
    );
    const tenants = new Map(
      (await this.em.find(Tenant, { id: { $in: enrollments.map((e) => e.tenantId) } })).map((t) => [
        t.id,
        t,
      ]),
    );
    const rows = enrollments.flatMap((e) => {
      const tenant = tenants.get(e.tenantId);
      return tenant ? [{ enrollment: e, tenant }] : [];
    });
    return toCollection(
      rows,
      query.size,
      (r) => toEnrollmentView(r.enrollment, r.tenant),
      (r) => ({ k: r.enrollment.submittedAt.toISOString(), id: r.enrollment.id }),
      (seek) => `/v1/enrollments?${queryString({ status: query.status, size: query.size, seek })}`,
    );
  }

  /**
   * The operator approves an enrollment under review: the partner becomes `active`.
   * @throws 404 `enrollment.not_found`, 409 `enrollment.invalid_state`.
   */
  approve(enrollmentId: string, operatorUserId: string): Promise<EnrollmentView> {
    return this.decide(enrollmentId, operatorUserId, 'active', null);
  }

  /**
   * The operator rejects an enrollment under review, with a reason sent to the primary contact.
   * @throws 404 `enrollment.not_found`, 409 `enrollment.invalid_state`.
   */
  reject(enrollmentId: string, operatorUserId: string, reason: string): Promise<EnrollmentView> {
    return this.decide(enrollmentId, operatorUserId, 'rejected', reason);
  }

  private async decide(
    enrollmentId: string,
    operatorUserId: string,
    status: 'active' | 'rejected',
    reason: string | null,
  ): Promise<EnrollmentView> {
    const view = await this.em.transactional(async (tx) => {
      const { enrollment, tenant } = await this.lockEnrollment(tx, enrollmentId);
      this.assertStatus(tenant, 'in_review');
      enrollment.reviewedAt = new Date();
      enrollment.reviewedBy = operatorUserId;
      enrollment.rejectionReason = reason;
      this.changeStatus(tx, tenant, status, reason ?? undefined);
      await tx.flush();
      return toEnrollmentView(enrollment, tenant);
    });
    return view;
  }

  /**
   * The operator sends a new verification link to the primary contact of an enrollment still
   * `pending_verification` (for instance after the first link expired); earlier links stop working.
   * @throws 404 `enrollment.not_found`, 409 `enrollment.invalid_state`.
   */
  async resendVerification(enrollmentId: string): Promise<EnrollmentView> {
    const view = await this.em.transactional(async (tx) => {
      const { enrollment, tenant } = await this.lockEnrollment(tx, enrollmentId);
      this.assertStatus(tenant, 'pending_verification');
      await tx.nativeUpdate(
        VerificationToken,
        { enrollmentId: enrollment.id, usedAt: null, expiresAt: { $gt: new Date() } },
        { expiresAt: new Date() },
      );
      this.issueVerification(tx, enrollment, tenant);
      await tx.flush();
      return toEnrollmentView(enrollment, tenant);
    });
    return view;
  }

  /** A new single-use verification token and its email to the primary contact (same transaction). */
  private issueVerification(tx: EntityManager, enrollment: Enrollment, tenant: Tenant): void {
    const contact = tenant.primaryContact;
    if (!contact)
      throw conflict('enrollment.invalid_state', 'The enrollment has no primary contact.');
    const { token, hash } = newInvitationToken();
    const expiresAt = new Date(Date.now() + this.config.VERIFICATION_TTL_HOURS * 3600_000);
    tx.persist(
      tx.create(VerificationToken, {
        enrollmentId: enrollment.id,
        tokenHash: hash,
        expiresAt,
        createdAt: new Date(),
      }),
    );
    this.outbox.enqueueEmail(tx, {
      template: 'enrollment-verification',
      to: contact.email,
      locale: tenant.locale,
      data: {
        legalName: tenant.name,
        contactName: contact.name,
        expiresAt: expiresAt.toISOString(),
      },
      link: `${this.config.PUBLIC_URL}/v1/enrollments/verify?token=${encodeURIComponent(token)}`,
    });
  }

  private async lockEnrollment(tx: EntityManager, enrollmentId: string) {
    const enrollment = await tx.findOne(Enrollment, { id: enrollmentId });
    const tenant = enrollment
      ? await tx.findOne(
          Tenant,
          { id: enrollment.tenantId, kind: 'partner' },
          { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
        )
      : null;
    if (!enrollment || !tenant) throw notFound('enrollment.not_found', 'The enrollment');
    return { enrollment, tenant };
  }

  private assertStatus(tenant: Tenant, expected: EnrollmentStatus): void {
    if (tenant.partnerStatus !== expected) {
      throw conflict(
        'enrollment.invalid_state',
        `The enrollment is ${tenant.partnerStatus ?? 'unknown'}, not ${expected}.`,
        { status: tenant.partnerStatus, expected },
      );
    }
  }

  /** Move the partner to `status` and email the primary contact (outbox, same transaction). */
  private changeStatus(
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
