import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import { ActivityLogService } from '../activity-log/activity-log.service';
import { PartnershipEndings } from '../partnerships/partnership-endings';
import { deleteLiveAssignments } from './access-assignments.service';
import { DelegatedAdminRelationship } from './delegated-admin-relationship.entity';
import { snapshot, tenantsOf } from './delegated-admin-relationships.service';

/** The statuses a relationship is not ended in (terminated and expired are final). */
const LIVE = ['created', 'approvalPending', 'active', 'expiring'] as const;

/**
 * Ends, in `tx` (the transaction that removes the partnership), every delegated admin relationship
 * an indirect provider holds with an indirect reseller (issue 10: the provider's access to a
 * reseller is such a relationship, and it ends cleanly with the partnership): each one not already
 * ended becomes `terminated` (a draft or a pending approval too, its approval link dying with it),
 * one activity-log entry each (`delegated_admin_relationship.terminated`, `after.reason`
 * `partnership_removed`) read by both organisations; its live access assignments become `deleted`. Like the partnership removal itself (seed
 * 002: "This tool does not generate notice") no email is sent. Access checked on every delegated
 * call ends from the next call on (identity reads the relationship's status on each call).
 * @returns the ids of the relationships terminated.
 */
export async function terminateForRemovedPartnership(
  tx: EntityManager,
  activityLog: ActivityLogService,
  pair: { providerTenantId: string; resellerTenantId: string; partnershipId: string },
  now: Date,
): Promise<string[]> {
  const rows = await tx.find(
    DelegatedAdminRelationship,
    {
      partnerTenantId: pair.providerTenantId,
      customerTenantId: pair.resellerTenantId,
      status: { $in: [...LIVE] },
    },
    { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } },
  );
  for (const row of rows) {
    const before = snapshot(row);
    row.status = 'terminated';
    row.approvalTokenHash = null;
    row.version += 1;
    row.updatedAt = now;
    const assignmentsDeleted = await deleteLiveAssignments(tx, row.id, now);
    await activityLog.record(tx, {
      type: 'delegated_admin_relationship.terminated',
      tenantIds: tenantsOf(row),
      customerId: row.customerTenantId,
      resource: { type: 'delegated_admin_relationship', id: row.id },
      before,
      after: {
        ...snapshot(row),
        reason: 'partnership_removed',
        partnershipId: pair.partnershipId,
        assignmentsDeleted,
      },
    });
  }
  return rows.map((row) => row.id);
}

/**
 * Registers {@link terminateForRemovedPartnership} with the partnerships feature, so a
 * partnership's removal ends the pair's delegated admin relationships in its own transaction.
 */
@Injectable()
export class GdapPartnershipEnd implements OnModuleInit {
  constructor(
    private readonly endings: PartnershipEndings,
    private readonly activityLog: ActivityLogService,
  ) {}

  onModuleInit(): void {
    this.endings.register((tx, ended, now) =>
      terminateForRemovedPartnership(tx, this.activityLog, ended, now),
    );
  }
}
