import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { AcceptCustomerAgreementRequestSchema, PATTERNS, RpcResponse } from '@app/contracts';
import { DomainError } from '@app/platform';
import { z } from 'zod';
import { toTenantSnapshot } from '../organizations/tenant-snapshot';
import { Tenant } from '../organizations/tenant.entity';
import { User } from '../users/user.entity';

/** The Customer Agreement of a customer organisation, accepted for relationships. */
@Injectable()
export class CustomerAgreementService {
  constructor(private readonly em: EntityManager) {}

  /**
   * `identity.customer-agreement.accept` (seed 001: the customer accepts the Customer Agreement
   * when it accepts a reseller relationship, if not yet accepted). Idempotent: acceptance is
   * recorded once (when and by whom), later calls change nothing and answer the same tenant.
   * @throws 404 `customer.not_found` for an unknown or non-customer tenant, 404 `user.not_found`
   * when the accepting user is not a user of that customer.
   */
  async accept(
    req: z.infer<typeof AcceptCustomerAgreementRequestSchema>,
  ): Promise<RpcResponse<typeof PATTERNS.acceptCustomerAgreement>> {
    const em = this.em.fork();
    const tenant = await em.findOne(Tenant, { id: req.customerTenantId, kind: 'customer' });
    if (!tenant) throw new DomainError('customer.not_found', 404, 'The customer was not found.');
    if (!tenant.customerAgreementAcceptedAt) {
      const user = await em.count(User, { id: req.acceptedByUserId, tenantId: tenant.id });
      if (user === 0)
        throw new DomainError('user.not_found', 404, 'The accepting user was not found.');
      await em.execute(
        `update "tenant" set "customer_agreement_accepted_at" = now(),
           "customer_agreement_accepted_by" = ?, "version" = "version" + 1
         where "id" = ? and "kind" = 'customer' and "customer_agreement_accepted_at" is null`,
        [req.acceptedByUserId, tenant.id],
      );
    }
    const fresh = await this.em.fork().findOneOrFail(Tenant, { id: tenant.id });
    return { tenant: toTenantSnapshot(fresh) };
  }
}
