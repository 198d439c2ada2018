import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { DomainError, hashToken, newInvitationToken } from '@app/platform';
import { OutboxService } from '@app/outbox';
import { APP_CONFIG, IdentityConfig } from '../config/identity.config';
import { Locale } from '@app/contracts';
import { Tenant } from '../organizations/tenant.entity';
import {
  UserLinkPurpose,
  VerificationPurpose,
  VerificationToken,
} from './verification-token.entity';

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

/** A user's link to send: the user (its address, name, locale) and its organization. */
export interface UserLinkRequest {
  user: { id: string; email: string; firstName: string; locale: Locale };
  /** The user's organization: its name goes into the email. */
  tenant: Pick<Tenant, 'name'>;
  purpose: UserLinkPurpose;
}

/** Where each user link leads (`GET` opens a page; only its form's `POST` changes anything). */
const USER_LINK_PATHS: Record<UserLinkPurpose, string> = {
  sign_in_email: '/v1/auth/email-verification',
  password_reset: '/v1/auth/password-reset',
};

/**
 * Verification links (seed 004 step 8: "we'll email your primary contact to verify"): a random
 * single-use token stored only as a hash, with an expiry of `VERIFICATION_TTL_HOURS`, emailed
 * through the outbox in the caller's transaction. A new link for the same enrollment and purpose
 * expires the earlier ones and cancels their emails if still queued: only the newest link works.
 * Issued by enrollment (`enrollments/`) and by a primary contact change (`partner-profile/`);
 * following a link is `enrollment-verification/`. The links of one user (issue 9 points 7, 8) work
 * the same way (`issueForUser`, `spendUserLink`): a new user's sign-in address verification
 * (`VERIFICATION_TTL_HOURS`; followed in `email-verification/`) and a password reset
 * (`PASSWORD_RESET_TTL_MINUTES`; `password-reset/`).
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
    // The page opens in the email's language (`lang`).
    const link = `${this.config.PUBLIC_URL}/v1/enrollments/verify?token=${encodeURIComponent(token)}&lang=${tenant.locale}`;
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
    await this.expireLive(tx, { enrollmentId, purpose });
  }

  /**
   * Issue a link of `purpose` to a user in `tx` (the caller flushes): earlier unused links of the
   * same user and purpose stop working (their emails are cancelled if still queued). The email
   * names the user's organization (one sign-in name may have accounts in several).
   */
  async issueForUser(tx: EntityManager, request: UserLinkRequest): Promise<{ expiresAt: Date }> {
    const { user, tenant, purpose } = request;
    await this.supersedeForUser(tx, user.id, purpose);
    const { token, hash } = newInvitationToken();
    const now = new Date();
    const ttlMs =
      purpose === 'password_reset'
        ? this.config.PASSWORD_RESET_TTL_MINUTES * 60_000
        : this.config.VERIFICATION_TTL_HOURS * 3600_000;
    const expiresAt = new Date(now.getTime() + ttlMs);
    const link = `${this.config.PUBLIC_URL}${USER_LINK_PATHS[purpose]}?token=${encodeURIComponent(token)}&lang=${user.locale}`;
    const data = {
      organizationName: tenant.name,
      firstName: user.firstName,
      expiresAt: expiresAt.toISOString(),
    };
    const email = { to: user.email, locale: user.locale, data, link, expiresAt };
    const emailMessageId =
      purpose === 'password_reset'
        ? this.outbox.enqueueEmail(tx, { template: 'password-reset', ...email })
        : this.outbox.enqueueEmail(tx, { template: 'sign-in-email-verification', ...email });
    tx.persist(
      tx.create(VerificationToken, {
        enrollmentId: null,
        userId: user.id,
        purpose,
        email: user.email,
        emailMessageId,
        tokenHash: hash,
        expiresAt,
        createdAt: now,
      }),
    );
    return { expiresAt };
  }

  /** Expire the unused links of `userId` for `purpose` and cancel their queued emails. */
  async supersedeForUser(tx: EntityManager, userId: string, purpose: UserLinkPurpose) {
    await this.expireLive(tx, { userId, purpose });
  }

  /**
   * Expire in `tx` every unused, unexpired link of one owner (an enrollment or a user) for one
   * purpose, and cancel the emails that carry them if they are still queued (`email.cancel`,
   * reason `superseded`).
   */
  private async expireLive(
    tx: EntityManager,
    owner:
      | { enrollmentId: string; purpose: VerificationPurpose }
      | { userId: string; purpose: UserLinkPurpose },
  ): Promise<void> {
    const now = new Date();
    const live = await tx.find(VerificationToken, {
      ...owner,
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

  /**
   * The link `token` names among the links of one user for `purpose` (locked `for update` when
   * `lock`), or null; the caller checks it against its user (`assertUsableUserLink`) and spends it
   * (`usedAt`), in `users/user-links.service.ts`.
   */
  findUserLink(
    em: EntityManager,
    token: string,
    purpose: UserLinkPurpose,
    lock = false,
  ): Promise<VerificationToken | null> {
    return em.findOne(
      VerificationToken,
      { tokenHash: hashToken(token), purpose, userId: { $ne: null } },
      lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {},
    );
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

/**
 * A user's link is usable: it exists, its user exists with the address the link was sent to, it
 * is unused and unexpired.
 * @throws 404 `link.not_found` (no such link or user), 410 `link.used`, 410 `link.expired` (past
 * its expiry, replaced by a newer link, or the user's sign-in name changed since it was sent).
 */
export function assertUsableUserLink(
  row: VerificationToken | null,
  currentEmail: string | undefined,
): asserts row is VerificationToken & { userId: string } {
  if (!row?.userId || currentEmail === undefined) {
    throw new DomainError('link.not_found', 404, 'This link is not valid: open the complete link.');
  }
  if (row.usedAt) throw new DomainError('link.used', 410, 'This link was already used.');
  if (row.expiresAt.getTime() <= Date.now() || row.email !== currentEmail) {
    throw new DomainError(
      'link.expired',
      410,
      'This link has expired, or a newer link replaced it: only the newest link works.',
    );
  }
}
