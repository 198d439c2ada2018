import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { IdentityAudit, anonymousActor } from '../audit-events/identity-audit.service';
import { Tenant } from '../organizations/tenant.entity';
import { UserLinksService } from '../users/user-links.service';

/**
 * A new user proves its sign-in address (issue 9 point 7) by following the link emailed when the
 * user was created (`UsersService.addUser`): until then sign-in answers 403
 * `auth.email_unverified`. Opening the link shows a page (`preview`, nothing changes); its button
 * spends it (`verify`).
 */
@Injectable()
export class EmailVerificationService {
  constructor(
    private readonly em: EntityManager,
    private readonly userLinks: UserLinksService,
    private readonly audit: IdentityAudit,
  ) {}

  /**
   * The organization and address a usable link verifies; nothing changes.
   * @throws 404 `link.not_found`, 410 `link.used`, 410 `link.expired`.
   */
  async preview(token: string): Promise<{ organizationName: string; email: string }> {
    const em = this.em.fork();
    const user = await this.userLinks.check(em, token, 'sign_in_email');
    const tenant = await em.findOne(Tenant, { id: user.tenantId });
    return { organizationName: tenant?.name ?? '', email: user.email };
  }

  /**
   * Spend the link: its user's address is verified (single use), recorded as `user.email_verified`
   * (actor anonymous, naming the user: the link is the proof).
   * @throws 404 `link.not_found`, 410 `link.used`, 410 `link.expired`.
   */
  async verify(token: string): Promise<{ organizationName: string; email: string }> {
    return this.em.transactional(async (tx) => {
      const user = await this.userLinks.spend(tx, token, 'sign_in_email');
      const before = { emailVerified: user.emailVerifiedAt !== null };
      user.emailVerifiedAt ??= new Date();
      await this.audit.record(tx, {
        type: 'user.email_verified',
        actor: anonymousActor(user.id, user.tenantId),
        tenantIds: [user.tenantId],
        resource: { type: 'user', id: user.id },
        before,
        after: { emailVerified: true, email: user.email },
      });
      const tenant = await tx.findOne(Tenant, { id: user.tenantId });
      await tx.flush();
      return { organizationName: tenant?.name ?? '', email: user.email };
    });
  }
}
