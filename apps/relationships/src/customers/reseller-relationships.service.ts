import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { TenantSnapshot } from '@app/contracts';
import { ActivityLogService } from '../activity-log/activity-log.service';
import { Customer } from './customer.entity';
import { ResellerRelationship } from './reseller-relationship.entity';

/** Who acts: a user of a tenant (the inviting partner's customer, or a partner creating one). */
export interface Actor {
  userId: string | null;
  tenantId: string;
}

/** What establishing a reseller relationship sets. */
export interface EstablishInput {
  /** The partner that becomes a reseller of record. */
  partner: TenantSnapshot;
  customer: Customer;
  /** Grant (or re-grant) delegated admin privileges; `false` leaves existing ones unchanged. */
  delegatedAdmin: boolean;
  /**
   * For an indirect provider: the associated indirect reseller. `undefined` leaves the current
   * association unchanged.
   */
  indirectResellerId?: string | null;
  actor: Actor;
}

/**
 * The writes shared by every way a reseller relationship comes to be (an accepted relationship
 * request, a new customer) and the customer snapshot they rely on. Every method works in the
 * caller's transaction and records the activity log there.
 */
@Injectable()
export class ResellerRelationshipsService {
  constructor(private readonly activityLog: ActivityLogService) {}

  /**
   * Insert or refresh the customer snapshot (id, company name, default domain, country, cloud)
   * from identity's tenant, and keep the company name on its relationships in step (it is their
   * sort key).
   */
  async upsertCustomer(tx: EntityManager, tenant: TenantSnapshot): Promise<Customer> {
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

  /**
   * Create or re-activate `partner`'s reseller relationship with `customer` (one row per pair),
   * granting delegated admin privileges when asked, and record `reseller_relationship.established`.
   */
  async establish(tx: EntityManager, input: EstablishInput): Promise<ResellerRelationship> {
    const now = new Date();
    const { partner, customer } = input;
    let relationship = await tx.findOne(
      ResellerRelationship,
      { partnerTenantId: partner.id, customerId: customer.id },
      { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
    );
    const before = relationship ? relationshipSnapshot(relationship) : null;
    if (!relationship) {
      relationship = Object.assign(new ResellerRelationship(), {
        partnerTenantId: partner.id,
        customerId: customer.id,
        createdAt: now,
      });
      tx.persist(relationship);
    }
    if (relationship.status !== 'active' || !before) {
      relationship.status = 'active';
      relationship.establishedAt = now;
      relationship.removedAt = null;
    }
    relationship.partnerType = partner.partner?.partnerType ?? 'direct';
    relationship.customerName = customer.companyName;
    if (input.indirectResellerId !== undefined) {
      relationship.indirectResellerId = input.indirectResellerId;
    }
    if (input.delegatedAdmin && relationship.delegatedAdminStatus !== 'active') {
      relationship.delegatedAdminStatus = 'active';
      relationship.delegatedAdminGrantedAt = now;
      relationship.delegatedAdminRevokedAt = null;
    }
    relationship.updatedAt = now;
    this.activityLog.record(tx, {
      actorUserId: input.actor.userId,
      actorTenantId: input.actor.tenantId,
      tenantIds: [
        partner.id,
        customer.id,
        ...(relationship.indirectResellerId ? [relationship.indirectResellerId] : []),
      ],
      action: 'reseller_relationship.established',
      subjectType: 'reseller_relationship',
      subjectId: relationship.id,
      before,
      after: relationshipSnapshot(relationship),
    });
    return relationship;
  }
}

/** The activity-log view of a relationship. */
export function relationshipSnapshot(relationship: ResellerRelationship): Record<string, unknown> {
  return {
    partnerTenantId: relationship.partnerTenantId,
    customerId: relationship.customerId,
    status: relationship.status,
    indirectResellerId: relationship.indirectResellerId,
    delegatedAdminStatus: relationship.delegatedAdminStatus,
    delegatedAdminGrantedAt: relationship.delegatedAdminGrantedAt?.toISOString() ?? null,
    delegatedAdminRevokedAt: relationship.delegatedAdminRevokedAt?.toISOString() ?? null,
  };
}
