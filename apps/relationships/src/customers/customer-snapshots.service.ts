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
   * from identity's tenant in the caller's transaction `tx`, and keep the company name and default
   * domain on its reseller relationships in step (their sort and filter keys).
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
    const domain = tenant.customer?.domain ?? '';
    await tx.nativeUpdate(
      ResellerRelationship,
      {
        customerId: tenant.id,
        $or: [{ customerName: { $ne: tenant.name } }, { customerDomain: { $ne: domain } }],
      },
      { customerName: tenant.name, customerDomain: domain },
    );
    return customer;
  }

  /**
   * Record in `tx` that the customer accepted the Customer Agreement at `acceptedAt`, unless an
   * acceptance is recorded already (the row is locked by the update, so concurrent acceptances
   * agree on the first). The customer row must exist (`upsert` first).
   * @returns the acceptance that stands: `acceptedAt`, or the earlier one.
   */
  async recordAgreement(tx: EntityManager, customerId: string, acceptedAt: Date): Promise<Date> {
    const rows = await tx.execute<{ accepted_at: Date | string }[]>(
      `update "customer"
          set "customer_agreement_accepted_at" = coalesce("customer_agreement_accepted_at", ?)
        where "id" = ?
        returning "customer_agreement_accepted_at" as "accepted_at"`,
      [acceptedAt, customerId],
    );
    const stored = rows[0]?.accepted_at;
    return stored ? new Date(stored) : acceptedAt;
  }

  /** When this service recorded the customer's acceptance of the Customer Agreement, or null. */
  async agreementAcceptedAt(em: EntityManager, customerId: string): Promise<Date | null> {
    const rows = await em.execute<{ accepted_at: Date | string | null }[]>(
      `select "customer_agreement_accepted_at" as "accepted_at" from "customer" where "id" = ?`,
      [customerId],
    );
    const stored = rows[0]?.accepted_at;
    return stored ? new Date(stored) : null;
  }
}
