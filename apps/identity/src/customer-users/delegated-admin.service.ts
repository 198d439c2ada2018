import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { PATTERNS } from '@app/contracts';
import { DomainError, RpcClient } from '@app/platform';
import { Tenant } from '../organizations/tenant.entity';

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
   * @throws 404 `customer.not_found` when identity knows no customer `customerTenantId`,
   * 403 `customer.delegated_admin_required` unless `partnerTenantId` holds active delegated admin
   * privileges for it, 503 `dependency.unavailable` when relationships does not answer in time.
   */
  async assertDelegatedAdmin(partnerTenantId: string, customerTenantId: string): Promise<void> {
    const customer = await this.em.count(Tenant, { id: customerTenantId, kind: 'customer' });
    if (customer === 0)
      throw new DomainError('customer.not_found', 404, 'The customer was not found.');
    const status = await this.rpc.send(PATTERNS.delegatedAdminStatus, {
      partnerTenantId,
      customerTenantId,
    });
    if (!status.active) {
      throw new DomainError(
        'customer.delegated_admin_required',
        403,
        "Your organisation needs an active reseller relationship with delegated admin privileges for this customer to manage its users. Ask the customer's Global admin to accept a relationship request that includes delegated admin privileges.",
      );
    }
  }
}
