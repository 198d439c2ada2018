import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { DelegatedAdminEndReason, JOBS, TenantSnapshot } from '@app/contracts';
import { OutboxService } from '@app/outbox';
import { randomUUID } from 'node:crypto';
import { ActivityLogService, AuditCaller } from '../activity-log/activity-log.service';
import { requireActiveRelationship } from './customer-access';
import { TenantLocation, assertSameCloudAndMarket } from './relationship-rules';
import { ResellerRelationship } from './reseller-relationship.entity';

/** The customer of a relationship, as its snapshot (`customers/customer.entity.ts`) has it. */
export interface RelationshipCustomer extends TenantLocation {
  /** The customer's tenant id. */
  id: string;
  companyName: string;
  /** The default domain (repeated on the relationship for the `Domain` filter). */
  domain: string;
}

/** What establishing a reseller relationship sets. */
export interface EstablishInput {
  /** The partner that becomes a reseller of record. */
  partner: TenantSnapshot;
  customer: RelationshipCustomer;
  /** Grant (or re-grant) delegated admin privileges; `false` leaves existing ones unchanged. */
  delegatedAdmin: boolean;
  /**
   * For an indirect provider: the associated indirect reseller. `undefined` leaves the current
   * association unchanged.
   */
  indirectResellerId?: string | null;
}

/** An established relationship and its activity-log view before (null when it is new). */
export interface EstablishedRelationship {
  relationship: ResellerRelationship;
  before: Record<string, unknown> | null;
}

/**
 * Reseller relationships as they come and go (seeds 000/001/002): established by every way a
 * partner becomes a reseller of record (an accepted relationship request, a new customer), and
 * removed by the partner. Every method works in the caller's transaction. Establishing records
 * nothing itself: the route that establishes (an acceptance, a new customer) records its one event
 * with every relationship it established; removing records `reseller_relationship.removed`.
 */
@Injectable()
export class ResellerRelationshipsService {
  constructor(
    private readonly activityLog: ActivityLogService,
    private readonly outbox: OutboxService,
  ) {}

  /**
   * Create or re-activate `partner`'s reseller relationship with `customer` (one row per pair),
   * granting delegated admin privileges when asked; the caller records the event.
   * A new grant of the privileges, or a relationship re-established while they are active, gets a
   * new `delegatedAdminGrantId` (the removal ended the previous one, issue 9 point 3).
   * @throws 403 `relationship_request.cloud_mismatch` / `relationship_request.region_mismatch` when
   *   the partner is not of the customer's cloud and market (`assertSameCloudAndMarket`).
   */
  async establish(tx: EntityManager, input: EstablishInput): Promise<EstablishedRelationship> {
    const now = new Date();
    const { partner, customer } = input;
    // Every door checks it before writing anything; this is the last guard of every way in.
    assertSameCloudAndMarket(partner, customer);
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
      if (relationship.delegatedAdminStatus === 'active') {
        relationship.delegatedAdminGrantId = randomUUID();
      }
    }
    relationship.partnerType = partner.partner?.partnerType ?? 'direct';
    relationship.customerName = customer.companyName;
    relationship.customerDomain = customer.domain;
    if (input.indirectResellerId !== undefined) {
      relationship.indirectResellerId = input.indirectResellerId;
    }
    if (input.delegatedAdmin && relationship.delegatedAdminStatus !== 'active') {
      relationship.delegatedAdminStatus = 'active';
      relationship.delegatedAdminGrantedAt = now;
      relationship.delegatedAdminRevokedAt = null;
      relationship.delegatedAdminGrantId = randomUUID();
    }
    relationship.updatedAt = now;
    return { relationship, before };
  }

  /**
   * Remove `actor`'s reseller relationship with a customer (seed 000 "Remove a relationship with a
   * customer"): the customer leaves the partner's list, delegated admin privileges stay unchanged,
   * and no notice is sent. Records `reseller_relationship.removed`. The partner no longer acts in
   * the customer through its privileges (they count only with an active relationship): their grant
   * ends, and `delegated-admin.ended` goes to identity in `tx` (issue 9 point 3). The one removal path
   * (`customers.service.ts` `removeRelationship`) first refuses while the partner has active
   * subscriptions for the customer (`SubscriptionsService.assertNoActiveSubscriptions`).
   * @throws 404 `customer.not_found` without an active relationship.
   */
  async remove(
    tx: EntityManager,
    customerId: string,
    actor: AuditCaller,
  ): Promise<ResellerRelationship> {
    const relationship = await requireActiveRelationship(tx, actor.tenantId, customerId, true);
    const before = relationshipSnapshot(relationship);
    const now = new Date();
    relationship.status = 'removed';
    relationship.removedAt = now;
    relationship.updatedAt = now;
    if (relationship.delegatedAdminStatus === 'active') {
      this.delegatedAdminEnded(tx, relationship, 'relationship_removed', now);
    }
    await this.activityLog.record(tx, {
      type: 'reseller_relationship.removed',
      actor,
      tenantIds: [
        actor.tenantId,
        customerId,
        ...(relationship.indirectResellerId ? [relationship.indirectResellerId] : []),
      ],
      resource: { type: 'reseller_relationship', id: relationship.id },
      customerId,
      before,
      after: relationshipSnapshot(relationship),
    });
    return relationship;
  }

  /**
   * The partner gives up its own delegated admin privileges for a customer (Partner Center "Remove
   * DAP": `PATCH /v1/customers/{id}` with `allowDelegatedAccess: false`): the relationship stays,
   * the grant ends and `delegated-admin.ended` goes to identity in `tx` (the users the partner
   * created under it are disabled, as after a customer's revocation). Records
   * `delegated_admin.removed`. Privileges not held: nothing changes, nothing is recorded.
   * `relationship` is the caller's active relationship, locked in `tx`.
   */
  async giveUpDelegatedAdmin(
    tx: EntityManager,
    relationship: ResellerRelationship,
    actor: AuditCaller,
  ): Promise<ResellerRelationship> {
    if (relationship.delegatedAdminStatus !== 'active') return relationship;
    const before = relationshipSnapshot(relationship);
    const now = new Date();
    relationship.delegatedAdminStatus = 'revoked';
    relationship.delegatedAdminRevokedAt = now;
    relationship.updatedAt = now;
    this.delegatedAdminEnded(tx, relationship, 'revoked', now);
    await this.activityLog.record(tx, {
      type: 'delegated_admin.removed',
      actor,
      tenantIds: [
        actor.tenantId,
        relationship.customerId,
        ...(relationship.indirectResellerId ? [relationship.indirectResellerId] : []),
      ],
      resource: { type: 'reseller_relationship', id: relationship.id },
      customerId: relationship.customerId,
      before,
      after: relationshipSnapshot(relationship),
    });
    return relationship;
  }

  /**
   * Queue `delegated-admin.ended` in `tx` for the current grant of `relationship`'s delegated admin
   * privileges: identity disables the users the partner created in the customer under it (issue 9
   * point 3). Nothing when none was ever granted.
   */
  delegatedAdminEnded(
    tx: EntityManager,
    relationship: ResellerRelationship,
    reason: DelegatedAdminEndReason,
    at: Date,
  ): void {
    if (!relationship.delegatedAdminGrantId) return;
    this.outbox.enqueue(tx, JOBS.delegatedAdminEnded, {
      partnerTenantId: relationship.partnerTenantId,
      customerTenantId: relationship.customerId,
      grantId: relationship.delegatedAdminGrantId,
      reason,
      occurredAt: at.toISOString(),
    });
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
