import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { DelegatedAdminEndedJob } from '@app/contracts';
import { Tenant } from '../organizations/tenant.entity';
import { SessionRevocationService } from '../session-revocation/session-revocation.service';
import { RefreshTokensService } from '../sign-in/refresh-tokens.service';
import { IdentityAudit, SYSTEM_ACTOR } from '../audit-events/identity-audit.service';
import { DelegationKind } from '../users/delegation';
import { EndedDelegation } from '../users/ended-delegation.entity';

/** A delegation grant that ended, as its ending names it. */
export interface EndedGrant {
  kind: DelegationKind;
  grantId: string;
  /** The organisation the partner acted in. */
  tenantId: string;
  /** The partner that acted through the grant. */
  delegatedByTenantId: string;
  endedAt: Date;
}

/** What `disableForEndedGrant` did: whether it recorded the end now, and whom it disabled. */
export interface GrantEnding {
  /** False when the end was recorded before (a redelivered event): nothing changed. */
  recorded: boolean;
  disabledUserIds: string[];
}

/**
 * The users a partner created in another organisation through a delegation (issue 9 point 3):
 * when the grant behind them ends, they stop.
 */
@Injectable()
export class DelegatedUsersService {
  private readonly logger = new Logger(DelegatedUsersService.name);

  constructor(
    private readonly em: EntityManager,
    private readonly refreshTokens: RefreshTokensService,
    private readonly revocation: SessionRevocationService,
    private readonly audit: IdentityAudit,
  ) {}

  /**
   * A partner's delegated admin privileges for a customer ended (`delegated-admin.ended`: the
   * customer revoked them, or the reseller relationship was removed): the users the partner created
   * in the customer under that grant are disabled, in one transaction with their audit event
   * (`delegated_users.disabled`, actor `system`: the customer's revocation or the removal is
   * relationships' own event). Idempotent: a redelivered job changes and records nothing.
   * @returns the ids of the users disabled.
   */
  async endDelegatedAdmin(job: DelegatedAdminEndedJob): Promise<string[]> {
    const disabled = await this.em.fork().transactional(async (tx) => {
      const ending = await this.disableForEndedGrant(tx, {
        kind: 'delegated_admin',
        grantId: job.grantId,
        tenantId: job.customerTenantId,
        delegatedByTenantId: job.partnerTenantId,
        endedAt: new Date(job.occurredAt),
      });
      if (ending.recorded) {
        await this.audit.record(tx, {
          type: 'delegated_users.disabled',
          actor: SYSTEM_ACTOR,
          tenantIds: [job.customerTenantId, job.partnerTenantId],
          resource: { type: 'delegated_admin_grant', id: job.grantId },
          after: {
            partnerTenantId: job.partnerTenantId,
            customerTenantId: job.customerTenantId,
            reason: job.reason,
            endedAt: job.occurredAt,
            disabledUserIds: ending.disabledUserIds,
          },
        });
      }
      return ending.disabledUserIds;
    });
    await this.revokeAccessTokens(disabled);
    return disabled;
  }

  /**
   * After the transaction that ran `disableForEndedGrant` committed: the disabled users' access
   * tokens are refused on every service within seconds (`SessionRevocationService`, issue 9 point
   * 11), not only their refresh tokens.
   */
  async revokeAccessTokens(disabledUserIds: readonly string[]): Promise<void> {
    await this.revocation.revokeUsers(disabledUserIds);
  }

  /**
   * The one place where a delegation grant's end reaches its users (administrator access withdrawn
   * or ended with its partnership; delegated admin privileges revoked or ended with the
   * relationship). In the caller's transaction `tx`: records the end (`ended_delegation`), then,
   * under the organisation's tenant lock (the lock `UsersService.create` takes, so no user slips in
   * under the ended grant), disables every enabled user of the organisation created under the grant
   * (`disabled`, `sessionsRevokedAt` = now) and revokes their refresh tokens. Idempotent: a grant
   * whose end is already recorded changes nothing (a user its organisation re-enabled since stays
   * enabled). Once `tx` commits, the caller passes the ids to `revokeAccessTokens`. The caller
   * records the audit event of the ending that led here (one event per change).
   * @returns whether the end was recorded now, and the ids of the users it disabled (none when the
   * end was already recorded).
   */
  async disableForEndedGrant(tx: EntityManager, ended: EndedGrant): Promise<GrantEnding> {
    const [recorded] = await tx.execute<{ grant_id: string }[]>(
      `insert into "ended_delegation"
         ("grant_id", "kind", "tenant_id", "delegated_by_tenant_id", "ended_at", "disabled_users")
       values (?, ?, ?, ?, ?, 0)
       on conflict ("grant_id") do nothing
       returning "grant_id"`,
      [ended.grantId, ended.kind, ended.tenantId, ended.delegatedByTenantId, ended.endedAt],
    );
    if (!recorded) return { recorded: false, disabledUserIds: [] };
    await tx.findOne(
      Tenant,
      { id: ended.tenantId },
      { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
    );
    const now = new Date();
    const disabled = await tx.execute<{ id: string }[]>(
      `update "user_account" set "disabled" = true, "sessions_revoked_at" = ?
        where "tenant_id" = ? and "delegation_grant_id" = ? and "delegation_kind" = ?
          and "delegated_by_tenant_id" = ? and not "disabled"
        returning "id"`,
      [now, ended.tenantId, ended.grantId, ended.kind, ended.delegatedByTenantId],
    );
    const ids = disabled.map((row) => row.id);
    for (const id of ids) await this.refreshTokens.revokeAllOf(tx, id, now);
    if (ids.length > 0) {
      await tx.nativeUpdate(
        EndedDelegation,
        { grantId: ended.grantId },
        { disabledUsers: ids.length },
      );
    }
    this.logger.log(
      `${ended.kind} grant ${ended.grantId} of ${ended.delegatedByTenantId} in ${ended.tenantId} ended: ${ids.length} user(s) disabled`,
    );
    return { recorded: true, disabledUserIds: ids };
  }
}
