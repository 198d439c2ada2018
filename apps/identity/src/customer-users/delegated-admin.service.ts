import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { PATTERNS } from '@app/contracts';
import { DomainError, RpcClient } from '@app/platform';
import { Tenant } from '../organizations/tenant.entity';
import { Delegation } from '../users/delegation';

/**
 * Whether a partner may act in a customer's organisation: it must hold an active reseller
 * relationship with delegated admin privileges for that customer (seeds 000/004: "manage the
 * customer's account, services, users, and licenses"). Relationships owns that fact; identity asks
 * it over `relationships.delegated-admin.status` before every call, so a revocation by the customer
 * or a removed relationship takes effect at once.
 */
@Injectable()
export class DelegatedAdminService {
  constructor(
    private readonly em: EntityManager,
    private readonly rpc: RpcClient,
  ) {}

  /**
   * @returns the delegation the partner acts through (the grant relationships names).
   * @throws 404 `customer.not_found` when identity knows no customer `customerTenantId` or
   * `partnerTenantId` holds no active delegated admin privileges for it: one answer, the same body,
   * so that another partner's customer cannot be told from an id that exists nowhere (issue 9
   * point 16); 503 `dependency.unavailable` when relationships does not answer in time.
   */
  async assertDelegatedAdmin(
    partnerTenantId: string,
    customerTenantId: string,
  ): Promise<Delegation> {
    const customer = await this.em.count(Tenant, { id: customerTenantId, kind: 'customer' });
    if (customer === 0) throw customerNotFound();
    const status = await this.rpc.send(PATTERNS.delegatedAdminStatus, {
      partnerTenantId,
      customerTenantId,
    });
    if (!status.active || !status.grantId) throw customerNotFound();
    return { kind: 'delegated_admin', byTenantId: partnerTenantId, grantId: status.grantId };
  }
}

function customerNotFound(): DomainError {
  return new DomainError('customer.not_found', 404, 'The customer was not found.');
}
