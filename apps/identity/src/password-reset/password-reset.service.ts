import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { IdentityAudit, anonymousActor } from '../audit-events/identity-audit.service';
import { Tenant } from '../organizations/tenant.entity';
import { SessionRevocationService } from '../session-revocation/session-revocation.service';
import { RefreshTokensService } from '../sign-in/refresh-tokens.service';
import { PasswordHasher } from '../users/password-hasher.service';
import { assertPasswordPolicy } from '../users/password-policy';
import { UserLinksService } from '../users/user-links.service';
import { User } from '../users/user.entity';
import { VerificationLinksService } from '../verification-links/verification-links.service';

/** Accounts one request emails a link to at most (a sign-in name may exist in several). */
const MAX_ACCOUNTS_PER_REQUEST = 20;

/**
 * Forgotten password (issue 9 point 8). A public request emails every account with that sign-in
 * name (enabled, verified or not; one email per account, naming its organization) a single-use
 * link that expires after `PASSWORD_RESET_TTL_MINUTES`; the route answers the same whether or not
 * the address has an account. The link opens a page (nothing changes on `GET`) whose form sets a
 * new password (the password policy; hashed in the public routes' bounded lane), marks the address
 * verified (the person proved it), revokes every session of the user and spends the link.
 */
@Injectable()
export class PasswordResetService {
  constructor(
    private readonly em: EntityManager,
    private readonly hasher: PasswordHasher,
    private readonly links: VerificationLinksService,
    private readonly userLinks: UserLinksService,
    private readonly refreshTokens: RefreshTokensService,
    private readonly revocation: SessionRevocationService,
    private readonly audit: IdentityAudit,
  ) {}

  /**
   * Email a reset link to each enabled account whose sign-in name is `email` (earlier unused links
   * of that account stop working), each recorded as `user.password_reset_requested` in the trail
   * of that account's organisation alone (one event per account: the trails of the organisations
   * sharing a sign-in name must not name each other). Nothing happens, and nothing is recorded,
   * for an unknown address; the caller answers the same either way.
   */
  async request(email: string): Promise<void> {
    await this.em.transactional(async (tx) => {
      const users = await tx.find(
        User,
        { email, disabled: false },
        { limit: MAX_ACCOUNTS_PER_REQUEST, orderBy: { createdAt: 'asc' } },
      );
      if (users.length === 0) return;
      const tenants = new Map(
        (await tx.find(Tenant, { id: { $in: users.map((u) => u.tenantId) } })).map((t) => [
          t.id,
          t,
        ]),
      );
      for (const user of users) {
        const tenant = tenants.get(user.tenantId);
        if (!tenant) continue;
        const { expiresAt } = await this.links.issueForUser(tx, {
          user,
          tenant,
          purpose: 'password_reset',
        });
        await this.audit.record(tx, {
          type: 'user.password_reset_requested',
          actor: anonymousActor(),
          tenantIds: [user.tenantId],
          resource: { type: 'user', id: user.id },
          after: { email: user.email, expiresAt },
        });
      }
      await tx.flush();
    });
  }

  /**
   * The account a usable reset link is for (its address and organization); nothing changes.
   * @throws 404 `link.not_found`, 410 `link.used`, 410 `link.expired`.
   */
  async preview(token: string): Promise<{ email: string; organizationName: string }> {
    const em = this.em.fork();
    const user = await this.userLinks.check(em, token, 'password_reset');
    const tenant = await em.findOne(Tenant, { id: user.tenantId });
    return { email: user.email, organizationName: tenant?.name ?? '' };
  }

  /**
   * Set the new password through the link: checked against the policy (the account's address
   * known from the link), hashed in the public lane before the transaction; then, in one
   * transaction, the link is spent, the password set (no longer temporary), the address verified,
   * and every session revoked, recorded as `user.password_reset` (actor anonymous, naming the
   * user: the link is the proof).
   * @throws 404 `link.not_found`, 410 `link.used`, 410 `link.expired`, 400 `user.weak_password`,
   * 503 `service.busy`.
   */
  async reset(token: string, password: string): Promise<{ email: string }> {
    const account = await this.userLinks.check(this.em.fork(), token, 'password_reset');
    assertPasswordPolicy(password, { email: account.email });
    const passwordHash = await this.hasher.hashForPublicRoute(password);
    const reset = await this.em.transactional(async (tx) => {
      const user = await this.userLinks.spend(tx, token, 'password_reset');
      const now = new Date();
      const before = {
        passwordTemporary: user.passwordTemporary,
        emailVerified: user.emailVerifiedAt !== null,
      };
      user.passwordHash = passwordHash;
      user.passwordTemporary = false;
      user.emailVerifiedAt ??= now;
      await this.revokeSessions(tx, user, now);
      await this.audit.record(tx, {
        type: 'user.password_reset',
        actor: anonymousActor(user.id, user.tenantId),
        tenantIds: [user.tenantId],
        resource: { type: 'user', id: user.id },
        before,
        after: {
          passwordTemporary: false,
          emailVerified: true,
          sessionsRevoked: true,
          by: 'reset_link',
        },
      });
      await tx.flush();
      return { id: user.id, email: user.email };
    });
    // Once committed: the access tokens of those sessions stop on every service (issue 9 point 11).
    await this.revocation.revokeUsers([reset.id]);
    return { email: reset.email };
  }

  /**
   * Every session of `user` ends: refresh tokens of sessions started before `now` are refused
   * (`sessionsRevokedAt`) and revoked, in `tx`; `reset` then puts the user on the access-token
   * revocation list. The one place a password reset revokes sessions.
   */
  private async revokeSessions(tx: EntityManager, user: User, now: Date): Promise<void> {
    user.sessionsRevokedAt = now;
    await this.refreshTokens.revokeAllOf(tx, user.id, now);
  }
}
