import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { TenantSnapshot } from '@app/contracts';
import { ResellerRelationship } from '../reseller-relationships/reseller-relationship.entity';
import { Customer } from './customer.entity';

/**
 * The customer rows relationships keeps: snapshots of identity's customer tenants, written
 * whenever a relationship with the customer is established (an accepted relationship request, a
 * new customer).
 */
@Injectable()
export class CustomerSnapshots {
  /**
   * Insert or refresh the customer snapshot (id, company name, default domain, country, cloud)
   * from identity's tenant in the caller's transaction `tx`, and keep the company name on its
   * reseller relationships in step (it is their sort key).
   */
  async upsert(tx: EntityManager, tenant: TenantSnapshot): Promise<Customer> {
    const now = new Date();
    const customer = await tx.upsert(
      Customer,
      {
        id: tenant.id,
        companyName: tenant.name,
        domain: tenant.customer?.domain ?? '',
        country: tenant.country,
        cloud: tenant.cloud,
        createdAt: now,
        updatedAt: now,
      },
      {
        onConflictFields: ['id'],
        onConflictAction: 'merge',
        onConflictMergeFields: ['companyName', 'domain', 'country', 'cloud', 'updatedAt'],
      },
    );
    await tx.nativeUpdate(
      ResellerRelationship,
      { customerId: tenant.id, customerName: { $ne: tenant.name } },
      { customerName: tenant.name },
    );
    return customer;
  }
}
