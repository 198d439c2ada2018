import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { PartnershipAuthorizedJob, PartnershipRemovedJob } from '@app/contracts';
import { Collection, cursorCollection, DomainError, timestampCursorAfter } from '@app/platform';
import { IdentityAudit, SYSTEM_ACTOR, userActor } from '../audit-events/identity-audit.service';
import { DelegatedUsersService } from '../delegated-users/delegated-users.service';
import { Tenant } from '../organizations/tenant.entity';
import { Delegation } from '../users/delegation';
import { AdminAccessGrant } from './admin-access-grant.entity';
import { AdminAccessView, PageQuery } from './dto/admin-access.dto';

/**
 * Administrator access of indirect providers to indirect resellers' organisations (seed 004 step 3
 * note: authorizing an indirect provider grants it administrator access to the reseller's work
 * account, which the reseller can remove later; the partnership itself stays). Access ends when the
 * reseller withdraws it or the partnership is removed; then the users the provider created in the
 * reseller through it are disabled (`DelegatedUsersService.disableForEndedGrant`, issue 9 point 3).
 * Each authorization is its own grant, so authorizing the provider again restores access (point 4).
 */
@Injectable()
export class AdminAccessService {
  constructor(
    private readonly em: EntityManager,
    private readonly delegatedUsers: DelegatedUsersService,
    private readonly audit: IdentityAudit,
  ) {}

  /**
   * Record the grant of a `partnership.authorized` event: a new active grant keyed by the
   * authorization. Idempotent: a redelivered job (same `authorizationId`) changes nothing, so a
   * grant the reseller withdrew stays withdrawn until the reseller authorizes the provider again.
   * A still active grant of an earlier authorization is ended first (its partnership was removed:
   * that event is still on its way) with its users; an authorization older than the active grant
   * changes nothing. A new grant is recorded with its audit event (`admin_access.granted`, the
   * reseller's user who authorized as actor; an earlier grant it ended, and the users disabled with
   * it, in `after`).
   * @returns false when either tenant is unknown (the job cannot succeed).
   */
  async recordGrant(job: PartnershipAuthorizedJob): Promise<boolean> {
    const disabled: string[] = [];
    const recorded = await this.em.fork().transactional(async (tx) => {
      const known = await tx.count(Tenant, {
        id: { $in: [job.providerTenantId, job.resellerTenantId] },
        kind: 'partner',
      });
      if (known < 2) return false;
      if ((await tx.count(AdminAccessGrant, { authorizationId: job.authorizationId })) > 0) {
        return true;
      }
      const grantedAt = new Date(job.occurredAt);
      const active = await this.lockActive(tx, job.providerTenantId, job.resellerTenantId);
      if (active && active.grantedAt.getTime() > grantedAt.getTime()) return true;
      if (active) disabled.push(...(await this.end(tx, active, 'ended', grantedAt, null)));
      const grant = tx.create(AdminAccessGrant, {
        providerTenantId: job.providerTenantId,
        resellerTenantId: job.resellerTenantId,
        partnershipId: job.partnershipId,
        authorizationId: job.authorizationId,
        status: 'active',
        grantedAt,
        grantedBy: job.authorizedByUserId,
      });
      await this.audit.record(tx, {
        type: 'admin_access.granted',
        actor: userActor(job.authorizedByUserId, job.resellerTenantId),
        tenantIds: [job.resellerTenantId, job.providerTenantId],
        resource: { type: 'admin_access', id: grant.id },
        after: {
          status: 'active',
          providerTenantId: job.providerTenantId,
          resellerTenantId: job.resellerTenantId,
          partnershipId: job.partnershipId,
          grantedAt: job.occurredAt,
          ...(active ? { replacedGrantId: active.id, disabledUserIds: disabled } : {}),
        },
      });
      await tx.flush();
      return true;
    });
    await this.delegatedUsers.revokeAccessTokens(disabled);
    return recorded;
  }

  /**
   * End the administrator access of a removed partnership (`partnership.removed`): the grant of
   * that authorization, and any older grant of the pair still active, become `ended` and their
   * users are disabled. When the authorization's grant is not recorded yet (its event is still on
   * its way), an `ended` grant of that authorization is recorded so that it never becomes active.
   * Idempotent: a redelivered job changes nothing. Ending an active grant is recorded
   * (`admin_access.ended`, actor `system`: the removal itself is relationships' event); the
   * placeholder of a grant not yet recorded changes no access and records nothing.
   * @returns the ids of the users disabled.
   */
  async endForRemovedPartnership(job: PartnershipRemovedJob): Promise<string[]> {
    const ended = await this.em.fork().transactional(async (tx) => {
      const endedAt = new Date(job.occurredAt);
      const disabled: string[] = [];
      const active = await this.lockActive(tx, job.providerTenantId, job.resellerTenantId);
      if (active && active.grantedAt.getTime() <= endedAt.getTime()) {
        disabled.push(...(await this.end(tx, active, 'ended', endedAt, null)));
        await this.audit.record(tx, {
          type: 'admin_access.ended',
          actor: SYSTEM_ACTOR,
          tenantIds: [job.resellerTenantId, job.providerTenantId],
          resource: { type: 'admin_access', id: active.id },
          before: { status: 'active' },
          after: {
            status: 'ended',
            reason: 'partnership_removed',
            partnershipId: job.partnershipId,
            removedByTenantId: job.removedByTenantId,
            endedAt: job.occurredAt,
            disabledUserIds: disabled,
          },
        });
      }
      if (job.authorizationId) {
        await tx.execute(
          `insert into "admin_access_grant"
             ("id", "provider_tenant_id", "reseller_tenant_id", "partnership_id", "authorization_id",
              "status", "granted_at", "granted_by", "withdrawn_at", "withdrawn_by")
           values (gen_random_uuid(), ?, ?, ?, ?, 'ended', ?, null, ?, null)
           on conflict ("authorization_id") do nothing`,
          [
            job.providerTenantId,
            job.resellerTenantId,
            job.partnershipId,
            job.authorizationId,
            endedAt,
            endedAt,
          ],
        );
      }
      return disabled;
    });
    await this.delegatedUsers.revokeAccessTokens(ended);
    return ended;
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
   * The reseller withdraws a provider's administrator access (the partnership is not touched): the
   * grant becomes `withdrawn` and, in the same transaction, the users the provider created in the
   * reseller through it are disabled and their sessions revoked (issue 9 point 3); once committed,
   * their access tokens are refused on every service (point 11).
   * @returns the ids of the users disabled.
   * @throws 404 `admin_access.not_found` when the provider holds no active access.
   */
  async withdraw(
    resellerTenantId: string,
    providerTenantId: string,
    userId: string,
  ): Promise<string[]> {
    const disabled = await this.em.transactional(async (tx) => {
      const grant = await this.lockActive(tx, providerTenantId, resellerTenantId);
      if (!grant) {
        throw new DomainError(
          'admin_access.not_found',
          404,
          'Administrator access of this indirect provider was not found.',
        );
      }
      const disabledUserIds = await this.end(tx, grant, 'withdrawn', new Date(), userId);
      await this.audit.record(tx, {
        type: 'admin_access.withdrawn',
        tenantIds: [resellerTenantId, providerTenantId],
        resource: { type: 'admin_access', id: grant.id },
        before: { status: 'active' },
        after: {
          status: 'withdrawn',
          providerTenantId,
          resellerTenantId,
          partnershipId: grant.partnershipId,
          disabledUserIds,
        },
      });
      return disabledUserIds;
    });
    await this.delegatedUsers.revokeAccessTokens(disabled);
    return disabled;
  }

  /** The active grant of the pair, locked for update in `tx`, or null. */
  private lockActive(
    tx: EntityManager,
    providerTenantId: string,
    resellerTenantId: string,
  ): Promise<AdminAccessGrant | null> {
    return tx.findOne(
      AdminAccessGrant,
      { providerTenantId, resellerTenantId, status: 'active' },
      { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
    );
  }

  /** Mark `grant` withdrawn or ended in `tx` and disable the users created through it. */
  private async end(
    tx: EntityManager,
    grant: AdminAccessGrant,
    status: 'withdrawn' | 'ended',
    at: Date,
    userId: string | null,
  ): Promise<string[]> {
    grant.status = status;
    grant.withdrawnAt = at;
    grant.withdrawnBy = userId;
    await tx.flush();
    const ending = await this.delegatedUsers.disableForEndedGrant(tx, {
      kind: 'admin_access',
      grantId: grant.id,
      tenantId: grant.resellerTenantId,
      delegatedByTenantId: grant.providerTenantId,
      endedAt: at,
    });
    return ending.disabledUserIds;
  }

  /**
   * The caller's organisation (`providerTenantId`) must hold active administrator access to
   * `tenantId`.
   * @returns the delegation it acts through (the active grant).
   * @throws 404 `organization.not_found` otherwise (also for an unknown tenant).
   */
  async assertActiveGrant(providerTenantId: string, tenantId: string): Promise<Delegation> {
    const grant = await this.em.findOne(AdminAccessGrant, {
      providerTenantId,
      resellerTenantId: tenantId,
      status: 'active',
    });
    if (!grant)
      throw new DomainError('organization.not_found', 404, 'The organisation was not found.');
    return { kind: 'admin_access', byTenantId: providerTenantId, grantId: grant.id };
  }
}
