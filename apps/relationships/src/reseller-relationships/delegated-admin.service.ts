import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { DelegatedAdminStatusRequestSchema, PATTERNS, RpcResponse } from '@app/contracts';
import { z } from 'zod';
import { ResellerRelationship } from './reseller-relationship.entity';

/**
 * Delegated admin privileges as other services ask about them: a partner holds them for a customer
 * while its reseller relationship with that customer is active (not removed) and its delegated
 * admin privileges are active (granted with an accepted request or a new customer, not revoked by
 * the customer). Seeds 000/004: only then may it manage the customer's users.
 */
@Injectable()
export class DelegatedAdminService {
  constructor(private readonly em: EntityManager) {}

  /**
   * `relationships.delegated-admin.status` → `{ active, relationshipId?, grantId? }` (`grantId`:
   * this grant of the privileges, which the `delegated-admin.ended` event names). Read-only.
   */
  async status(
    req: z.infer<typeof DelegatedAdminStatusRequestSchema>,
  ): Promise<RpcResponse<typeof PATTERNS.delegatedAdminStatus>> {
    const relationship = await this.em.fork().findOne(ResellerRelationship, {
      partnerTenantId: req.partnerTenantId,
      customerId: req.customerTenantId,
      status: 'active',
      delegatedAdminStatus: 'active',
    });
    return relationship?.delegatedAdminGrantId
      ? {
          active: true,
          relationshipId: relationship.id,
          grantId: relationship.delegatedAdminGrantId,
        }
      : { active: false };
  }
}
