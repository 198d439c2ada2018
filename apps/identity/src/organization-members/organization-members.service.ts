import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { OrganizationHasUserRequestSchema, PATTERNS, RpcResponse } from '@app/contracts';
import { z } from 'zod';

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
   * user of `tenantId` signs in with `email` (compared in lower case) and `tenantId` is the
   * address's first organisation (it holds the oldest account of the address, in any state).
   * Read-only; the answer is about that tenant only.
   *
   * Why the first organisation: sign-in names are per organisation (issue 9 point 9), so any
   * organisation's admin can create a user of any address inside its own organisation. Without
   * this condition, a stranger holding a forwarded link would add a user of the invitee's address
   * and accept the invitation. An account made later, in another organisation, never takes the
   * invitee's place. (Once addresses are proved before the first sign-in, a user whose address is
   * proved is the better test; until then, the first holder of an address is the one that
   * registered it while addresses were unique.)
   */
  async hasUser(
    req: z.infer<typeof OrganizationHasUserRequestSchema>,
  ): Promise<RpcResponse<typeof PATTERNS.organizationHasUser>> {
    const [row] = await this.em.fork().execute<{ member: boolean }[]>(
      `select exists (
           select 1 from "user_account"
            where "tenant_id" = ? and "email" = ? and not "disabled"
         ) and coalesce((
           select "tenant_id" = ? from "user_account"
            where "email" = ? order by "created_at", "id" limit 1
         ), false) as "member"`,
      [req.tenantId, req.email.toLowerCase(), req.tenantId, req.email.toLowerCase()],
    );
    return { member: row?.member === true };
  }
}
