import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { newInvitationToken } from '@app/platform';
import { OutboxService } from '@app/outbox';
import { APP_CONFIG, IdentityConfig } from '../config/identity.config';
import { Tenant } from '../organizations/tenant.entity';
import { VerificationPurpose, VerificationToken } from './verification-token.entity';

/**
 * Links one requester may have sent to one address within an hour through the public resend
 * routes (the first link included). Beyond it a resend sends nothing (and answers the same), so the
 * public routes cannot flood a mailbox.
 */
export const VERIFICATION_LINKS_PER_HOUR = 5;

/** A link to send: which enrollment, what it verifies, to whom. */
export interface VerificationLinkRequest {
  /** The partner's enrollment (`enrollment.id`). */
  enrollmentId: string;
  /** The partner tenant: its legal name and locale go into the email. */
  tenant: Tenant;
  purpose: VerificationPurpose;
  /** The address that receives (and so verifies) the link. */
  email: string;
  /** The name the email greets. */
  contactName: string;
}

/**
 * Verification links (seed 004 step 8: "we'll email your primary contact to verify"): a random
 * single-use token stored only as a hash, with an expiry of `VERIFICATION_TTL_HOURS`, emailed
 * through the outbox in the caller's transaction. A new link for the same enrollment and purpose
 * expires the earlier ones and cancels their emails if still queued: only the newest link works.
 * Issued by enrollment (`enrollments/`) and by a primary contact change (`partner-profile/`);
 * following a link is `enrollment-verification/`.
 */
@Injectable()
export class VerificationLinksService {
  constructor(
    private readonly outbox: OutboxService,
    @Inject(APP_CONFIG) private readonly config: IdentityConfig,
  ) {}

  /** Issue a link in `tx` (the caller flushes); answers when it expires. */
  async issue(tx: EntityManager, request: VerificationLinkRequest): Promise<{ expiresAt: Date }> {
    const { enrollmentId, tenant, purpose, email } = request;
    await this.supersede(tx, enrollmentId, purpose);
    const { token, hash } = newInvitationToken();
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.config.VERIFICATION_TTL_HOURS * 3600_000);
    const link = `${this.config.PUBLIC_URL}/v1/enrollments/verify?token=${encodeURIComponent(token)}`;
    const data = {
      legalName: tenant.name,
      contactName: request.contactName,
      expiresAt: expiresAt.toISOString(),
    };
    const emailMessageId =
      purpose === 'enrollment'
        ? this.outbox.enqueueEmail(tx, {
            template: 'enrollment-verification',
            to: email,
            locale: tenant.locale,
            data,
            link,
            expiresAt,
          })
        : this.outbox.enqueueEmail(tx, {
            template: 'primary-contact-verification',
            to: email,
            locale: tenant.locale,
            data,
            link,
            expiresAt,
          });
    tx.persist(
      tx.create(VerificationToken, {
        enrollmentId,
        purpose,
        email,
        emailMessageId,
        tokenHash: hash,
        expiresAt,
        createdAt: now,
      }),
    );
    return { expiresAt };
  }

  /**
   * Expire every unused, unexpired link of `enrollmentId` for `purpose` and cancel the emails that
   * carry them if they are still queued (`email.cancel`, reason `superseded`).
   */
  async supersede(
    tx: EntityManager,
    enrollmentId: string,
    purpose: VerificationPurpose,
  ): Promise<void> {
    const now = new Date();
    const live = await tx.find(VerificationToken, {
      enrollmentId,
      purpose,
      usedAt: null,
      expiresAt: { $gt: now },
    });
    for (const row of live) {
      row.expiresAt = now;
      if (row.emailMessageId) {
        await this.outbox.cancelEmail(tx, row.emailMessageId, 'superseded', now);
      }
    }
  }

  /** Links issued in the last hour for this enrollment and purpose (the public resend cap). */
  async issuedInLastHour(
    tx: EntityManager,
    enrollmentId: string,
    purpose: VerificationPurpose,
  ): Promise<number> {
    return tx.count(VerificationToken, {
      enrollmentId,
      purpose,
      createdAt: { $gt: new Date(Date.now() - 3600_000) },
    });
  }
}
