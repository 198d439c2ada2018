import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import {
  VerificationLinksService,
  assertUsableUserLink,
} from '../verification-links/verification-links.service';
import { UserLinkPurpose } from '../verification-links/verification-token.entity';
import { User } from './user.entity';

/**
 * The emailed links of one user (issue 9 points 7, 8: a sign-in address verification, a password
 * reset): which user a usable link is for, and spending it. Issuing them is
 * `VerificationLinksService.issueForUser`.
 */
@Injectable()
export class UserLinksService {
  constructor(private readonly links: VerificationLinksService) {}

  /**
   * The user of `token` when it names a usable link of `purpose` (what the page a link opens
   * shows before its button is pressed; nothing changes).
   * @throws 404 `link.not_found`, 410 `link.used`, 410 `link.expired`.
   */
  async check(em: EntityManager, token: string, purpose: UserLinkPurpose): Promise<User> {
    const row = await this.links.findUserLink(em, token, purpose);
    const user = row?.userId ? await em.findOne(User, { id: row.userId }) : null;
    assertUsableUserLink(row, user?.email);
    return user as User;
  }

  /**
   * Spend the link `token` of `purpose` in `tx` (its row and its user locked): single use.
   * Answers its user, to change in the same transaction.
   * @throws 404 `link.not_found`, 410 `link.used`, 410 `link.expired`.
   */
  async spend(tx: EntityManager, token: string, purpose: UserLinkPurpose): Promise<User> {
    const row = await this.links.findUserLink(tx, token, purpose, true);
    const user = row?.userId
      ? await tx.findOne(
          User,
          { id: row.userId },
          { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
        )
      : null;
    assertUsableUserLink(row, user?.email);
    row.usedAt = new Date();
    return user as User;
  }
}
