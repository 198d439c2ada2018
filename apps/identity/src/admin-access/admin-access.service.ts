import { QueryResult } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { PartnershipAuthorizedJob } from '@app/contracts';
import { Collection, cursorCollection, DomainError, timestampCursorAfter } from '@app/platform';
import { Tenant } from '../organizations/tenant.entity';
import { AdminAccessGrant } from './admin-access-grant.entity';
import { AdminAccessView, PageQuery } from './dto/admin-access.dto';

/**
 * Administrator access of indirect providers to indirect resellers' organisations (seed 004 step 3
 * note: authorizing an indirect provider grants it administrator access to the reseller's work
 * account, which the reseller can remove later; the partnership itself stays).
 */
@Injectable()
export class AdminAccessService {
  constructor(private readonly em: EntityManager) {}

  /**
   * Record the grant of a `partnership.authorized` event. Idempotent: a redelivered job changes
   * nothing, and a grant the reseller withdrew stays withdrawn unless a new partnership authorizes
   * the provider again.
   * @returns false when either tenant is unknown (the job cannot succeed).
   */
  async recordGrant(job: PartnershipAuthorizedJob): Promise<boolean> {
    const em = this.em.fork();
    const known = await em.count(Tenant, {
      id: { $in: [job.providerTenantId, job.resellerTenantId] },
      kind: 'partner',
    });
    if (known < 2) return false;
    const grant = em.create(AdminAccessGrant, {
      providerTenantId: job.providerTenantId,
      resellerTenantId: job.resellerTenantId,
      partnershipId: job.partnershipId,
      status: 'active',
      grantedAt: new Date(job.occurredAt),
      grantedBy: job.authorizedByUserId,
    });
    await em.execute(
      `insert into "admin_access_grant"
         ("id", "provider_tenant_id", "reseller_tenant_id", "partnership_id", "status", "granted_at", "granted_by")
       values (?, ?, ?, ?, 'active', ?, ?)
       on conflict ("provider_tenant_id", "reseller_tenant_id") do update
         set "partnership_id" = excluded."partnership_id", "status" = 'active',
             "granted_at" = excluded."granted_at", "granted_by" = excluded."granted_by",
             "withdrawn_at" = null, "withdrawn_by" = null
         where "admin_access_grant"."partnership_id" <> excluded."partnership_id"`,
      [
        grant.id,
        grant.providerTenantId,
        grant.resellerTenantId,
        grant.partnershipId,
        grant.grantedAt,
        grant.grantedBy,
      ],
    );
    return true;
  }

  /**
   * The indirect providers holding administrator access to `resellerTenantId`, oldest grant first,
   * keyset paginated on (grantedAt, id) by `em.findByCursor` (without its count query).
   * @throws 400 `request.invalid_cursor`.
   */
  async listForReseller(
    resellerTenantId: string,
    page: PageQuery,
  ): Promise<Collection<AdminAccessView>> {
    const grants = await this.em.findByCursor(
      AdminAccessGrant,
      { resellerTenantId, status: 'active' },
      {
        first: page.size,
        after: timestampCursorAfter(page.seek),
        orderBy: { grantedAt: 'asc', id: 'asc' },
        includeCount: false,
      },
    );
    const providers = new Map(
      (
        await this.em.find(Tenant, { id: { $in: grants.items.map((g) => g.providerTenantId) } })
      ).map((t) => [t.id, t]),
    );
    return cursorCollection(
      grants,
      (g) => ({
        providerTenantId: g.providerTenantId,
        providerName: providers.get(g.providerTenantId)?.name ?? '',
        providerMpnId: providers.get(g.providerTenantId)?.mpnId ?? null,
        partnershipId: g.partnershipId,
        status: 'active',
        grantedAt: g.grantedAt.toISOString(),
        attributes: { objectType: 'AdminAccess' },
      }),
      (seek) => `/v1/admin-access?size=${page.size}&seek=${seek}`,
    );
  }

  /**
   * The reseller withdraws a provider's administrator access (the partnership is not touched).
   * @throws 404 `admin_access.not_found` when the provider holds no active access.
   */
  async withdraw(
    resellerTenantId: string,
    providerTenantId: string,
    userId: string,
  ): Promise<void> {
    const updated = await this.em.execute<QueryResult>(
      `update "admin_access_grant" set "status" = 'withdrawn', "withdrawn_at" = now(), "withdrawn_by" = ?
        where "reseller_tenant_id" = ? and "provider_tenant_id" = ? and "status" = 'active'`,
      [userId, resellerTenantId, providerTenantId],
      'run',
    );
    if (!updated.affectedRows) {
      throw new DomainError(
        'admin_access.not_found',
        404,
        'Administrator access of this indirect provider was not found.',
      );
    }
  }

  /**
   * The caller's organisation (`providerTenantId`) must hold active administrator access to
   * `tenantId`. @throws 404 `organization.not_found` otherwise (also for an unknown tenant).
   */
  async assertActiveGrant(providerTenantId: string, tenantId: string): Promise<void> {
    const n = await this.em.count(AdminAccessGrant, {
      providerTenantId,
      resellerTenantId: tenantId,
      status: 'active',
    });
    if (n === 0)
      throw new DomainError('organization.not_found', 404, 'The organisation was not found.');
  }
}
