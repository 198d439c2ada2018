import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { CustomerAgreementAcceptedJob } from '@app/contracts';
import { IdentityAudit, userActor } from '../audit-events/identity-audit.service';
import { Tenant } from '../organizations/tenant.entity';

/** The Customer Agreement of a customer organisation, accepted for relationships. */
@Injectable()
export class CustomerAgreementService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: IdentityAudit,
  ) {}

  /**
   * `customer-agreement.accepted` (seed 001 step 5 note: the customer accepts the Customer
   * Agreement when it accepts a reseller relationship, if not yet accepted), consumed from the
   * `identity-events` queue once relationships committed the acceptance. Records when
   * (`acceptedAt`, the instant relationships answered) and by whom, once, with its audit event
   * (`customer_agreement.accepted`, the customer's Global admin as actor): a replayed or later
   * event changes and records nothing (the first acceptance stays).
   * @returns false when `customerTenantId` is not a customer tenant (nothing to record).
   */
  async record(event: CustomerAgreementAcceptedJob): Promise<boolean> {
    return this.em.fork().transactional(async (tx) => {
      const known = await tx.count(Tenant, { id: event.customerTenantId, kind: 'customer' });
      if (known === 0) return false;
      const accepted = await tx.execute<{ id: string }[]>(
        `update "tenant" set "customer_agreement_accepted_at" = ?,
           "customer_agreement_accepted_by" = ?, "version" = "version" + 1
         where "id" = ? and "kind" = 'customer' and "customer_agreement_accepted_at" is null
         returning "id"`,
        [new Date(event.acceptedAt), event.acceptedByUserId, event.customerTenantId],
      );
      if (accepted.length > 0) {
        await this.audit.record(tx, {
          type: 'customer_agreement.accepted',
          actor: userActor(event.acceptedByUserId, event.customerTenantId),
          tenantIds: [event.customerTenantId],
          resource: { type: 'organization', id: event.customerTenantId },
          before: { customerAgreementAcceptedAt: null },
          after: {
            customerAgreementAcceptedAt: event.acceptedAt,
            customerAgreementAcceptedBy: event.acceptedByUserId,
            invitationId: event.invitationId,
            customerAgreementVersion: event.version ?? null,
          },
        });
      }
      return true;
    });
  }
}
