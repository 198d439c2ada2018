import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { CustomerAgreementAcceptedJob } from '@app/contracts';
import { Tenant } from '../organizations/tenant.entity';

/** The Customer Agreement of a customer organisation, accepted for relationships. */
@Injectable()
export class CustomerAgreementService {
  constructor(private readonly em: EntityManager) {}

  /**
   * `customer-agreement.accepted` (seed 001 step 5 note: the customer accepts the Customer
   * Agreement when it accepts a reseller relationship, if not yet accepted), consumed from the
   * `identity-events` queue once relationships committed the acceptance. Records when
   * (`acceptedAt`, the instant relationships answered) and by whom, once: a replayed or later
   * event changes nothing (the first acceptance stays).
   * @returns false when `customerTenantId` is not a customer tenant (nothing to record).
   */
  async record(event: CustomerAgreementAcceptedJob): Promise<boolean> {
    const em = this.em.fork();
    const known = await em.count(Tenant, { id: event.customerTenantId, kind: 'customer' });
    if (known === 0) return false;
    await em.execute(
      `update "tenant" set "customer_agreement_accepted_at" = ?,
         "customer_agreement_accepted_by" = ?, "version" = "version" + 1
       where "id" = ? and "kind" = 'customer' and "customer_agreement_accepted_at" is null`,
      [new Date(event.acceptedAt), event.acceptedByUserId, event.customerTenantId],
    );
    return true;
  }
}
