import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { DEFAULT_LOCALE, EnrollmentStatus } from '@app/contracts';
import {
  Collection,
  decodeCursor,
  DomainError,
  hashToken,
  parseKeysetCursor,
  queryString,
  toCollection,
} from '@app/platform';
import { OutboxService } from '@app/outbox';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, IdentityConfig } from '../config/identity.config';
import { TENANT_CONFLICTS, rethrowUniqueViolation } from '../organizations/unique-violation';
import { Tenant } from '../organizations/tenant.entity';
import { PasswordHasher } from '../users/password-hasher.service';
import { assertPasswordPolicy } from '../users/password-policy';
import { USER_CONFLICTS } from '../users/user-conflicts';
import { UsersService } from '../users/users.service';
import {
  EnrollmentCreated,
  EnrollmentInput,
  EnrollmentListQuery,
  EnrollmentView,
  toEnrollmentView,
} from './dto/enrollment.dto';
import { Enrollment } from './enrollment.entity';
import {
  VERIFICATION_LINKS_PER_HOUR,
  VerificationLinksService,
} from './verification-links.service';
import { VerificationPurpose, VerificationToken } from './verification-token.entity';
import { assertNotWebmail } from './webmail-domains';

/** What following a verification link did. */
export interface VerificationResult {
  enrollmentId: string;
  tenantId: string;
  /** `enrollment`: the primary contact verified at enrollment; `primary_contact`: a new address became the primary contact. */
  purpose: VerificationPurpose;
  /** The partner's enrollment status afterwards. */
  status: EnrollmentStatus;
  legalName: string;
  primaryContactEmail: string;
}

/**
 * Partner enrollment (seed 004 "Enroll"): the partner tenant starts `pending_verification`; the
 * primary contact follows the emailed link (→ `in_review`, or `active` with
 * `ENROLLMENT_AUTO_APPROVE`); an operator approves (`active`) or rejects (`rejected`) with a
 * reason. Every status change emails the primary contact (outbox, same transaction). Links are
 * single use, expire, and can be resent (a new link stops the earlier ones).
 */
@Injectable()
export class EnrollmentsService {
  constructor(
    private readonly em: EntityManager,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly outbox: OutboxService,
    private readonly links: VerificationLinksService,
    @Inject(APP_CONFIG) private readonly config: IdentityConfig,
  ) {}

  /**
   * Enroll a partner: the tenant, its first user (Global admin and Admin agent, seed 004 step 9),
   * the verification token, and the verification email to the primary contact, in one transaction.
   * When the Global admin's email already has an account, nothing is created, the answer has the
   * same shape (no way to tell whether an email has an account) and that address gets the
   * account-exists notice instead.
   * @throws 400 `enrollment.webmail_primary_contact`, 400 `user.weak_password`,
   * 409 `enrollment.mpn_id_taken`.
   */
  async enroll(input: EnrollmentInput): Promise<EnrollmentCreated> {
    assertNotWebmail(input.primaryContact.email, 'primaryContact.email');
    assertPasswordPolicy(input.globalAdmin.password, { email: input.globalAdmin.email });
    const locale = input.locale ?? DEFAULT_LOCALE;
    const answer = (enrollmentId: string, tenantId: string): EnrollmentCreated => ({
      enrollmentId,
      tenantId,
      status: 'pending_verification',
      primaryContactEmail: input.primaryContact.email,
    });
    const created = await this.em
      .transactional(async (tx) => {
        if ((await tx.count(Tenant, { mpnId: input.mpnId })) > 0) {
          throw new DomainError(
            'enrollment.mpn_id_taken',
            409,
            'This Partner ID (MPN ID) is already enrolled.',
          );
        }
        if (await this.users.emailTaken(tx, input.globalAdmin.email)) {
          await this.users.queueAccountExistsNotice(
            tx,
            input.globalAdmin.email,
            'partner-enrollment',
          );
          return null;
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
        await this.links.issue(tx, {
          enrollment,
          tenant,
          purpose: 'enrollment',
          email: input.primaryContact.email,
          contactName: input.primaryContact.name,
        });
        await tx.flush();
        return answer(enrollment.id, tenant.id);
      })
      .catch(rethrowUniqueViolation(TENANT_CONFLICTS, USER_CONFLICTS))
      .catch((error: unknown) => this.accountExistsOnRace(error, input.globalAdmin.email));
    if (created) return created;
    // The same argon2 cost as a real enrollment, then an answer of the same shape.
    await this.hasher.hash(input.globalAdmin.password);
    return answer(randomUUID(), randomUUID());
  }

  /** A concurrent request took the email between the check and the insert: answer as above. */
  private async accountExistsOnRace(error: unknown, email: string): Promise<null> {
    if (!(error instanceof DomainError) || error.code !== 'user.email_taken') throw error;
    await this.em
      .fork()
      .transactional((tx) => this.users.queueAccountExistsNotice(tx, email, 'partner-enrollment'));
    return null;
  }

  /**
   * Follow a verification link (single use). `enrollment`: the primary contact verifies its
   * address and the enrollment moves on. `primary_contact`: the new address becomes the primary
   * contact (and, if the enrollment still waited for its verification, that verifies it too).
   * @throws 404 `enrollment.token_not_found`, 410 `enrollment.token_used`,
   * 410 `enrollment.token_expired` (a newer link also expires it; ask for a new one with
   * `POST /v1/enrollments/verification/resend`), 409 `enrollment.invalid_state`.
   */
  async verify(token: string): Promise<VerificationResult> {
    return this.em.transactional(async (tx) => {
      const row = await tx.findOne(
        VerificationToken,
        { tokenHash: hashToken(token) },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (!row)
        throw new DomainError(
          'enrollment.token_not_found',
          404,
          'The verification link was not found.',
        );
      if (row.usedAt) {
        throw new DomainError(
          'enrollment.token_used',
          410,
          'This verification link was already used.',
        );
      }
      const { enrollment, tenant } = await this.lockEnrollment(tx, row.enrollmentId);
      if (row.expiresAt.getTime() <= Date.now() || !this.stillPending(row, tenant)) {
        throw new DomainError(
          'enrollment.token_expired',
          410,
          'This verification link has expired or was replaced by a newer one. Ask for a new link: POST /v1/enrollments/verification/resend { email }.',
          { resend: { method: 'POST', uri: '/v1/enrollments/verification/resend' } },
        );
      }
      const now = new Date();
      row.usedAt = now;
      if (row.purpose === 'primary_contact') {
        const contact = tenant.primaryContact ?? { name: '', email: '', phone: null };
        tenant.primaryContact = { ...contact, email: row.email ?? contact.email };
        tenant.pendingPrimaryContactEmail = null;
        tenant.version += 1;
        // Links still out for the previous address no longer prove anything.
        await this.links.supersede(tx, enrollment.id, 'enrollment');
      } else {
        this.assertStatus(tenant, 'pending_verification');
      }
      if (tenant.partnerStatus === 'pending_verification') {
        enrollment.verifiedAt = now;
        const status = this.config.ENROLLMENT_AUTO_APPROVE ? 'active' : 'in_review';
        if (status === 'active') enrollment.reviewedAt = now;
        this.changeStatus(tx, tenant, status);
      }
      await tx.flush();
      return {
        enrollmentId: enrollment.id,
        tenantId: tenant.id,
        purpose: row.purpose,
        status: tenant.partnerStatus ?? 'pending_verification',
        legalName: tenant.name,
        primaryContactEmail: tenant.primaryContact?.email ?? '',
      };
    });
  }

  /**
   * Whether the verification a link stands for is still wanted: an enrollment link while the
   * enrollment waits for it and the address is still the primary contact's; a primary contact link
   * while that address is the pending change. Anything else is stale (expired).
   */
  private stillPending(row: VerificationToken, tenant: Tenant): boolean {
    if (row.purpose === 'primary_contact') {
      return row.email !== null && tenant.pendingPrimaryContactEmail === row.email;
    }
    if (tenant.partnerStatus !== 'pending_verification') return true; // 409 invalid_state below
    return row.email === null || tenant.primaryContact?.email === row.email;
  }

  /**
   * Public resend (`POST /v1/enrollments/verification/resend`): a new link to `email` for every
   * verification it has pending (an enrollment waiting for its primary contact, a primary contact
   * change waiting for the new address); earlier links stop working. Nothing happens for an
   * address with nothing pending, or beyond `VERIFICATION_LINKS_PER_HOUR`: the route answers the
   * same 202 whatever happened.
   */
  async resendTo(email: string): Promise<void> {
    await this.em.transactional(async (tx) => {
      const enrolling = await tx.execute<{ id: string }[]>(
        `select "id" from "tenant" where "partner_status" = 'pending_verification'
           and ("primary_contact"->>'email') = ? limit 10`,
        [email],
      );
      const changing = await tx.find(
        Tenant,
        { pendingPrimaryContactEmail: email, kind: 'partner' },
        { limit: 10 },
      );
      for (const { id } of enrolling) await this.resendFor(tx, id, 'enrollment', email);
      for (const tenant of changing) await this.resendFor(tx, tenant.id, 'primary_contact', email);
      await tx.flush();
    });
  }

  /**
   * Resend from an expired link's page: a new link to the address the old one was sent to, if
   * that verification is still pending (same cap as `resendTo`). Unknown tokens do nothing.
   */
  async resendForToken(token: string): Promise<void> {
    await this.em.transactional(async (tx) => {
      const row = await tx.findOne(VerificationToken, { tokenHash: hashToken(token) });
      if (!row?.email) return;
      const enrollment = await tx.findOne(Enrollment, { id: row.enrollmentId });
      if (!enrollment) return;
      await this.resendFor(tx, enrollment.tenantId, row.purpose, row.email);
      await tx.flush();
    });
  }

  /** One capped resend for a tenant's pending verification of `purpose` to `email`. */
  private async resendFor(
    tx: EntityManager,
    tenantId: string,
    purpose: VerificationPurpose,
    email: string,
  ): Promise<void> {
    const enrollment = await tx.findOne(Enrollment, { tenantId });
    if (!enrollment) return;
    const { tenant } = await this.lockEnrollment(tx, enrollment.id);
    const pending =
      purpose === 'enrollment'
        ? tenant.partnerStatus === 'pending_verification' && tenant.primaryContact?.email === email
        : tenant.pendingPrimaryContactEmail === email;
    if (!pending) return;
    if (
      (await this.links.issuedInLastHour(tx, enrollment.id, purpose)) >= VERIFICATION_LINKS_PER_HOUR
    ) {
      return;
    }
    await this.links.issue(tx, {
      enrollment,
      tenant,
      purpose,
      email,
      contactName: tenant.primaryContact?.name ?? '',
    });
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
      const { enrollment, tenant } = await this.lockEnrollment(tx, enrollmentId);
      this.assertStatus(tenant, 'in_review');
      enrollment.reviewedAt = new Date();
      enrollment.reviewedBy = operatorUserId;
      enrollment.reviewReason = reason;
      this.changeStatus(tx, tenant, status, reason ?? undefined);
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
      const { enrollment, tenant } = await this.lockEnrollment(tx, enrollmentId);
      this.assertStatus(tenant, 'pending_verification');
      const contact = tenant.primaryContact;
      if (!contact) {
        throw new DomainError(
          'enrollment.invalid_state',
          409,
          'The enrollment has no primary contact.',
        );
      }
      await this.links.issue(tx, {
        enrollment,
        tenant,
        purpose: 'enrollment',
        email: contact.email,
        contactName: contact.name,
      });
      await tx.flush();
      return toEnrollmentView(enrollment, tenant);
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
    if (!enrollment || !tenant)
      throw new DomainError('enrollment.not_found', 404, 'The enrollment was not found.');
    return { enrollment, tenant };
  }

  private assertStatus(tenant: Tenant, expected: EnrollmentStatus): void {
    if (tenant.partnerStatus !== expected) {
      throw new DomainError(
        'enrollment.invalid_state',
        409,
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
