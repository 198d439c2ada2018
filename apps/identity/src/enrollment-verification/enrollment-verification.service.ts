import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { EnrollmentStatus } from '@app/contracts';
import { DomainError, hashToken } from '@app/platform';
import { IdentityAudit, anonymousActor } from '../audit-events/identity-audit.service';
import { EnrollmentStatusService } from '../enrollments/enrollment-status.service';
import { Enrollment } from '../enrollments/enrollment.entity';
import { Tenant } from '../organizations/tenant.entity';
import { User } from '../users/user.entity';
import {
  VERIFICATION_LINKS_PER_HOUR,
  VerificationLinksService,
} from '../verification-links/verification-links.service';
import {
  VerificationPurpose,
  VerificationToken,
} from '../verification-links/verification-token.entity';

/** The purposes of an enrollment's links (a user's links are followed elsewhere). */
const ENROLLMENT_PURPOSES: VerificationPurpose[] = ['enrollment', 'primary_contact'];

/** @throws 404 `enrollment.token_not_found`, 410 `enrollment.token_used`. */
function assertUnused(
  row: VerificationToken | null,
): asserts row is VerificationToken & { enrollmentId: string } {
  if (!row?.enrollmentId) throw tokenNotFound();
  if (row.usedAt) {
    throw new DomainError('enrollment.token_used', 410, 'This verification link was already used.');
  }
}

const tokenNotFound = () =>
  new DomainError('enrollment.token_not_found', 404, 'The verification link was not found.');

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
 * Following a verification link (seed 004 step 8: "we'll email your primary contact to verify"),
 * and asking for a new one. A link proves the primary contact's address at enrollment (the
 * enrollment then moves on, `EnrollmentStatusService.markVerified`) or a changed primary contact
 * email (which then becomes the primary contact). Links are single use, expire, and only the newest
 * one for an enrollment and purpose works (`VerificationLinksService`).
 */
@Injectable()
export class EnrollmentVerificationService {
  constructor(
    private readonly em: EntityManager,
    private readonly enrollmentStatus: EnrollmentStatusService,
    private readonly links: VerificationLinksService,
    private readonly audit: IdentityAudit,
  ) {}

  /**
   * Follow a verification link (single use). `enrollment`: the primary contact verifies its
   * address and the enrollment moves on. `primary_contact`: the new address becomes the primary
   * contact (and, if the enrollment still waited for its verification, that verifies it too).
   * Recorded as `enrollment.verified` or `partner_profile.primary_contact_changed` (actor
   * anonymous: the link is the proof).
   * @throws 404 `enrollment.token_not_found`, 410 `enrollment.token_used`,
   * 410 `enrollment.token_expired` (a newer link also expires it; ask for a new one with
   * `POST /v1/enrollments/verification/resend`), 409 `enrollment.invalid_state`.
   */
  async verify(token: string): Promise<VerificationResult> {
    return this.em.transactional(async (tx) => {
      const row = await tx.findOne(
        VerificationToken,
        { tokenHash: hashToken(token), purpose: { $in: ENROLLMENT_PURPOSES } },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      assertUnused(row);
      const { enrollment, tenant } = await this.enrollmentStatus.lock(tx, row.enrollmentId);
      this.assertStillPending(row, tenant);
      const now = new Date();
      row.usedAt = now;
      const purpose = row.purpose === 'primary_contact' ? 'primary_contact' : 'enrollment';
      const before = {
        status: tenant.partnerStatus,
        primaryContactEmail: tenant.primaryContact?.email ?? null,
      };
      if (row.email) {
        // Issue 9 point 7: the address is proved, so a user of this partner signing in with it
        // (the Global admin whose address is the primary contact's) is verified too.
        await tx.nativeUpdate(
          User,
          { tenantId: tenant.id, email: row.email, emailVerifiedAt: null },
          { emailVerifiedAt: now },
        );
      }
      if (purpose === 'primary_contact') {
        const contact = tenant.primaryContact ?? { name: '', email: '', phone: null };
        tenant.primaryContact = { ...contact, email: row.email ?? contact.email };
        tenant.pendingPrimaryContactEmail = null;
        tenant.version += 1;
        // Links still out for the previous address no longer prove anything.
        await this.links.supersede(tx, enrollment.id, 'enrollment');
      } else {
        this.enrollmentStatus.assertStatus(tenant, 'pending_verification');
      }
      this.enrollmentStatus.markVerified(tx, enrollment, tenant, now);
      await this.audit.record(tx, {
        type:
          purpose === 'primary_contact'
            ? 'partner_profile.primary_contact_changed'
            : 'enrollment.verified',
        actor: anonymousActor(null, tenant.id),
        tenantIds: [tenant.id],
        resource:
          purpose === 'primary_contact'
            ? { type: 'partner_profile', id: tenant.id }
            : { type: 'enrollment', id: enrollment.id },
        before,
        after: {
          status: tenant.partnerStatus,
          primaryContactEmail: tenant.primaryContact?.email ?? null,
          verifiedAt: now,
        },
      });
      await tx.flush();
      return {
        enrollmentId: enrollment.id,
        tenantId: tenant.id,
        purpose,
        status: tenant.partnerStatus ?? 'pending_verification',
        legalName: tenant.name,
        primaryContactEmail: tenant.primaryContact?.email ?? '',
      };
    });
  }

  /**
   * What the page a link opens shows before its button is pressed (issue 9 point 14: `GET`
   * changes nothing, so a mail scanner's prefetch cannot spend the link): the partner's legal
   * name when the link would verify now.
   * @throws the errors of `verify`, except 409 `enrollment.invalid_state`, which only the POST
   * tells.
   */
  async preview(token: string): Promise<{ legalName: string }> {
    const em = this.em.fork();
    const row = await em.findOne(VerificationToken, {
      tokenHash: hashToken(token),
      purpose: { $in: ENROLLMENT_PURPOSES },
    });
    assertUnused(row);
    const enrollment = await em.findOne(Enrollment, { id: row.enrollmentId });
    const tenant = enrollment
      ? await em.findOne(Tenant, { id: enrollment.tenantId, kind: 'partner' })
      : null;
    if (!tenant) throw tokenNotFound();
    this.assertStillPending(row, tenant);
    return { legalName: tenant.name };
  }

  /** @throws 410 `enrollment.token_expired` (past its expiry, or no longer wanted). */
  private assertStillPending(row: VerificationToken, tenant: Tenant): void {
    if (row.expiresAt.getTime() <= Date.now() || !this.stillPending(row, tenant)) {
      throw new DomainError(
        'enrollment.token_expired',
        410,
        'This verification link has expired or was replaced by a newer one. Ask for a new link: POST /v1/enrollments/verification/resend { email }.',
        { resend: { method: 'POST', uri: '/v1/enrollments/verification/resend' } },
      );
    }
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
   * same 202 whatever happened. Each link sent is recorded (`enrollment.verification_resent`), one
   * event per link: an address may be pending at several organisations, whose trails must not name
   * each other.
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
      const row = await tx.findOne(VerificationToken, {
        tokenHash: hashToken(token),
        purpose: { $in: ENROLLMENT_PURPOSES },
      });
      if (!row?.email || !row.enrollmentId) return;
      const enrollment = await tx.findOne(Enrollment, { id: row.enrollmentId });
      if (!enrollment) return;
      const purpose = row.purpose === 'primary_contact' ? 'primary_contact' : 'enrollment';
      await this.resendFor(tx, enrollment.tenantId, purpose, row.email);
      await tx.flush();
    });
  }

  /**
   * One capped resend for a tenant's pending verification of `purpose` to `email`, recorded with
   * its audit event (actor anonymous).
   */
  private async resendFor(
    tx: EntityManager,
    tenantId: string,
    purpose: VerificationPurpose,
    email: string,
  ): Promise<void> {
    const enrollment = await tx.findOne(Enrollment, { tenantId });
    if (!enrollment) return;
    const { tenant } = await this.enrollmentStatus.lock(tx, enrollment.id);
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
    const { expiresAt } = await this.links.issue(tx, {
      enrollmentId: enrollment.id,
      tenant,
      purpose,
      email,
      contactName: tenant.primaryContact?.name ?? '',
    });
    await this.audit.record(tx, {
      type: 'enrollment.verification_resent',
      actor: anonymousActor(null, tenant.id),
      tenantIds: [tenant.id],
      resource: { type: 'enrollment', id: enrollment.id },
      after: { purpose, email, expiresAt },
    });
  }
}
