import { EntityManager, FilterQuery, LockMode } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Caller } from '@app/auth';
import { Collection, cursorCollection, DomainError, timestampCursorAfter } from '@app/platform';
import { ActivityLogService } from '../activity-log/activity-log.service';
import { ResellerRelationship } from '../reseller-relationships/reseller-relationship.entity';
import {
  ResellerRelationshipsService,
  relationshipSnapshot,
} from '../reseller-relationships/reseller-relationships.service';
import { TenantDirectory } from '../tenants/tenant-directory.service';
import { CustomerPartnerResponse } from './dto/customer-partner.dto';
import { toCustomerPartnerResponse } from './dto/customer-partner.response';

/**
 * The customer's side (seed 001): its partners (resellers of record, and partners still holding
 * delegated admin privileges after the relationship was removed), and revoking a partner's
 * delegated admin privileges ("Customers can reassign or remove administrator permissions").
 */
@Injectable()
export class CustomerPartnersService {
  constructor(
    private readonly em: EntityManager,
    private readonly tenants: TenantDirectory,
    private readonly activityLog: ActivityLogService,
    private readonly relationships: ResellerRelationshipsService,
  ) {}

  /**
   * The caller customer's partners: every partner with an active relationship or active delegated
   * admin privileges, oldest relationship first, keyset paginated on (createdAt, id) by
   * `em.findByCursor` (without its count query).
   * @throws 400 `request.invalid_cursor`.
   */
  async list(
    caller: Caller,
    page: { size: number; seek?: string },
  ): Promise<Collection<CustomerPartnerResponse>> {
    const where: FilterQuery<ResellerRelationship> = {
      customerId: caller.tenantId,
      $or: [{ status: 'active' }, { delegatedAdminStatus: 'active' }],
    };
    const rows = await this.em.findByCursor(ResellerRelationship, where, {
      first: page.size,
      after: timestampCursorAfter(page.seek),
      orderBy: { createdAt: 'asc', id: 'asc' },
      includeCount: false,
    });
    const tenants = await this.tenants.getMany(rows.items.map((r) => r.partnerTenantId));
    return cursorCollection(
      rows,
      (row) => toCustomerPartnerResponse(row, tenants.get(row.partnerTenantId)),
      (seek) => `/v1/partners?size=${page.size}&seek=${seek}`,
    );
  }

  /**
   * Revoke a partner's delegated admin privileges for the caller's organisation; the reseller
   * relationship stays as it is (seed 001). No email. `delegated-admin.ended` goes to identity in
   * the same transaction: the users the partner created in the organisation under the grant are
   * disabled (issue 9 point 3).
   * @throws 404 `delegated_admin.not_found` when that partner holds no active privileges.
   */
  async revokeDelegatedAdmin(caller: Caller, partnerId: string): Promise<CustomerPartnerResponse> {
    const row = await this.em.transactional(async (tx) => {
      const relationship = await tx.findOne(
        ResellerRelationship,
        { partnerTenantId: partnerId, customerId: caller.tenantId, delegatedAdminStatus: 'active' },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (!relationship) {
        throw new DomainError(
          'delegated_admin.not_found',
          404,
          "This partner's delegated admin privileges were not found.",
        );
      }
      const before = relationshipSnapshot(relationship);
      const now = new Date();
      relationship.delegatedAdminStatus = 'revoked';
      relationship.delegatedAdminRevokedAt = now;
      relationship.updatedAt = now;
      this.relationships.delegatedAdminEnded(tx, relationship, 'revoked', now);
      await this.activityLog.record(tx, {
        actorUserId: caller.userId,
        actorTenantId: caller.tenantId,
        tenantIds: [caller.tenantId, partnerId],
        action: 'delegated_admin.revoked',
        subjectType: 'reseller_relationship',
        subjectId: relationship.id,
        before,
        after: relationshipSnapshot(relationship),
      });
      return relationship;
    });
    const tenant = (await this.tenants.getMany([partnerId])).get(partnerId);
    return toCustomerPartnerResponse(row, tenant);
  }
}
