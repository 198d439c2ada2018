import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { OrganizationHasUserRequestSchema, PATTERNS, RpcResponse } from '@app/contracts';
import { z } from 'zod';
import { User } from '../users/user.entity';

/**
 * Who belongs to an organisation, as other services ask it: relationships binds a per-invitee
 * invitation (a partnership request to a reseller's address, a relationship request to a customer
 * admin's address) to the organisation its invitee belongs to, and asks here whether the accepting
 * organisation holds that address.
 */
@Injectable()
export class OrganizationMembersService {
  constructor(private readonly em: EntityManager) {}

  /**
   * `identity.organizations.has-user` `{ tenantId, email }` → `{ member }`: true when an enabled
   * user of `tenantId` signs in with `email` (compared in lower case). Read-only; answers about
   * that tenant only. (When sign-in names become per organisation and addresses are proved before
   * the first sign-in, only a user whose address is proved may count here.)
   */
  async hasUser(
    req: z.infer<typeof OrganizationHasUserRequestSchema>,
  ): Promise<RpcResponse<typeof PATTERNS.organizationHasUser>> {
    const count = await this.em.fork().count(User, {
      tenantId: req.tenantId,
      email: req.email.toLowerCase(),
      disabled: false,
    });
    return { member: count > 0 };
  }
}
