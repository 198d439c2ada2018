import { EntityManager, LockMode, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Caller } from '@app/auth';
import {
  Collection,
  DomainError,
  IdempotentCall,
  cursorCollection,
  decodeCursor,
  keysetAfter,
  toCollection,
} from '@app/platform';
import { OutboxService } from '@app/outbox';
import { JOBS, Locale, TenantSnapshot } from '@app/contracts';
import { ActivityLogService } from '../activity-log/activity-log.service';
import {
  InvitationSentResponse,
  toInvitationSentResponse,
} from '../invitations/dto/invitation.response';
import { Invitation } from '../invitations/invitation.entity';
import { InvitationAcceptor, InvitationsService } from '../invitations/invitations.service';
import { assertPartnershipLocation } from '../reseller-relationships/relationship-rules';
import { TenantDirectory } from '../tenants/tenant-directory.service';
import { CreatePartnershipRequestDto } from './dto/partnership-request.dto';
import {
  ReceivedPartnershipRequestQuery,
  ReceivedPartnershipRequestResponse,
  toReceivedPartnershipRequest,
} from './dto/received-partnership-request.dto';
import { PartnerRelationshipResponse, toPartnerRelationship } from './dto/relationship.dto';
import { PartnershipEndings } from './partnership-endings';
import { Partnership } from './partnership.entity';
import { RelationshipType, callerSide } from './relationship-type';

/** What the partnership invitation page shows before the reseller signs in. */
export interface PartnershipInvitationPreview {
  providerName: string;
  providerMpnId: string;
  providerCountry: string;
  inviterName: string;
  expiresAt: Date;
  /** The invitation's language (its email's): the page's default. */
  locale: Locale;
}

/**
 * Partnerships between indirect providers and indirect resellers (seed 002 "Connect with indirect
 * resellers", seed 004 "Connect with an indirect provider"; DESIGN.md "Partnership").
 */
@Injectable()
export class PartnershipsService {
  constructor(
    private readonly em: EntityManager,
    private readonly tenants: TenantDirectory,
    private readonly invitations: InvitationsService,
    private readonly outbox: OutboxService,
    private readonly activityLog: ActivityLogService,
    private readonly endings: PartnershipEndings,
  ) {}

  /**
   * An active indirect provider requests a partnership by the reseller's email (seed 002 steps
   * 2–3). The draft is rendered in process (no call to notifications: the request succeeds while
   * it is down, and its email waits in the outbox); the `partnership-request` email is queued
   * unless `draftOnly`. With the create's `MS-RequestId` (`call`), its answer is recorded in the
   * same statement (a retry gets it; the request is never made twice).
   * @returns 201's body: `{ id, email, status, expiresAt, draft, queued }`.
   * @throws 403 `partner.not_active`, 403 `partnership.provider_only`, 503 `dependency.unavailable`
   *   (identity does not answer for the provider's tenant).
   */
  async request(
    caller: Caller,
    dto: CreatePartnershipRequestDto,
    call: IdempotentCall | null = null,
  ): Promise<InvitationSentResponse> {
    const provider = await this.requireActiveProvider(caller);
    const locale = dto.locale ?? caller.locale;
    const queued = !dto.draftOnly;
    const issued = this.invitations.issue({
      kind: 'partnership',
      partnerTenantId: provider.id,
      cloud: provider.cloud,
      email: dto.email,
      locale,
      inviter: { userId: caller.userId, name: caller.name, email: caller.email },
      customMessage: dto.customMessage ?? null,
    });
    const { invitation, link } = issued;
    const data = {
      providerName: provider.name,
      providerMpnId: provider.partner?.mpnId ?? '',
      inviterName: caller.name,
      expiresAt: invitation.expiresAt.toISOString(),
      ...(invitation.customMessage ? { customMessage: invitation.customMessage } : {}),
    };
    const draft = this.invitations.draft('partnership-request', locale, data, link);
    const response = toInvitationSentResponse(invitation, draft, link, queued);
    await this.invitations.send(
      issued,
      caller,
      queued ? { template: 'partnership-request', data } : null,
      { call, status: 201, body: response },
    );
    return response;
  }

  /**
   * What the invitation page shows for `token` (who invites). Read-only.
   * @throws 404 `invitation.not_found`, 409 `invitation.already_accepted`, 410 `invitation.revoked`,
   * 410 `invitation.expired`.
   */
  async preview(token: string): Promise<PartnershipInvitationPreview> {
    const invitation = await this.invitations.peek('partnership', token);
    const provider = await this.tenants.get(invitation.partnerTenantId);
    return {
      providerName: provider.name,
      providerMpnId: provider.partner?.mpnId ?? '',
      providerCountry: provider.country,
      inviterName: invitation.inviterName,
      expiresAt: invitation.expiresAt,
      locale: invitation.locale,
    };
  }

  /**
   * The reseller's Global admin or Admin agent authorizes the indirect provider (seed 004 step 3),
   * both of one cloud and one country or market region; only the organisation the request was sent
   * to can (`InvitationsService.peekForAcceptance`). In one transaction: the token is consumed (single use),
   * the partnership created or re-activated, the activity log written, an `invitation-accepted`
   * email to the inviter and the `partnership.authorized` job (identity grants the provider
   * administrator access to the reseller's organisation) queued.
   * @returns the provider as the reseller now sees it (`is_indirect_reseller_of`).
   * @throws 400 `partnership.authorization_required` unless `authorize` is literally true; 403
   *   `partner.not_active`, 403 `partnership.reseller_only`, 403 `invitation.wrong_organization`
   *   (the request was sent to an address of another organisation), 403
   *   `partnership.cloud_mismatch` / `partnership.region_mismatch` (`assertPartnershipLocation`);
   *   404/409/410 `invitation.*`; 422 `partnership.provider_not_active`; 409 `partnership.exists`.
   */
  accept(caller: Caller, token: string, authorize: unknown): Promise<PartnerRelationshipResponse> {
    return this.authorizeProvider(caller, authorize, {
      peek: () => this.invitations.peekForAcceptance('partnership', token, caller),
      consume: (tx, acceptor) => this.invitations.consume(tx, 'partnership', token, acceptor),
    });
  }

  /**
   * The same authorization as `accept`, of a request the reseller received, named by its id from
   * its list (`GET /v1/partnership-requests/received`) instead of the emailed token: the same
   * rules, errors, transaction, activity-log entry (`partnership.established`), webhook event,
   * email to the inviter and administrator access. The id must name a request received by the
   * caller's organisation (`InvitationsService.getReceived`): another organisation's request, the
   * caller's own and an unknown id alike answer 404 `invitation.not_found` (never
   * `invitation.wrong_organization`, which would tell that the id exists).
   * @throws as `accept`, but 404 `invitation.not_found` where `accept` answers 403
   *   `invitation.wrong_organization`.
   */
  acceptReceived(
    caller: Caller,
    id: string,
    authorize: unknown,
  ): Promise<PartnerRelationshipResponse> {
    return this.authorizeProvider(caller, authorize, {
      peek: () => this.invitations.peekReceivedForAcceptance('partnership', id, caller),
      consume: (tx, acceptor) => this.invitations.consumeById(tx, 'partnership', id, acceptor),
    });
  }

  /**
   * The received requests of the caller's organisation (`InvitationsService.listReceived`: pending
   * ones sent to an address it holds, and the ones it accepted), newest first, each with the
   * indirect provider that sent it as identity describes it now.
   * @throws 400 `request.invalid_cursor`, 503 `dependency.unavailable`.
   */
  async listReceived(
    caller: Caller,
    query: ReceivedPartnershipRequestQuery,
  ): Promise<Collection<ReceivedPartnershipRequestResponse>> {
    const page = await this.invitations.listReceived(caller.tenantId, 'partnership', query);
    const providers = await this.tenants.getMany(page.items.map((row) => row.partnerTenantId));
    const now = this.invitations.now();
    return cursorCollection(
      page,
      (row) => toReceivedPartnershipRequest(row, providers.get(row.partnerTenantId), now),
      (seek) => {
        const params = new URLSearchParams({ size: String(query.size), seek });
        if (query.status) params.set('status', query.status);
        return `/v1/partnership-requests/received?${params.toString()}`;
      },
    );
  }

  /** `accept` and `acceptReceived`: one authorization, the request found by `find`. */
  private async authorizeProvider(
    caller: Caller,
    authorize: unknown,
    find: {
      peek: () => Promise<Invitation>;
      consume: (tx: EntityManager, acceptor: InvitationAcceptor) => Promise<Invitation>;
    },
  ): Promise<PartnerRelationshipResponse> {
    if (authorize !== true) {
      throw new DomainError(
        'partnership.authorization_required',
        400,
        'Check the box to authorize the indirect provider: send "authorize": true. Authorizing lets the provider submit orders and add subscriptions on behalf of your customers, and grants it administrator access to your company\'s work account.',
      );
    }
    const reseller = await this.tenants.requireActivePartner(caller, 'indirect_reseller');
    if (reseller.partner?.partnerType !== 'indirect_reseller') {
      throw new DomainError(
        'partnership.reseller_only',
        403,
        'Only an indirect reseller can authorize an indirect provider.',
      );
    }
    const pending = await find.peek();
    if (pending.partnerTenantId === reseller.id) {
      throw new DomainError(
        'partnership.reseller_only',
        403,
        'An indirect provider cannot accept its own partnership request.',
      );
    }
    const provider = await this.tenants.get(pending.partnerTenantId);
    if (
      provider.partner?.status !== 'active' ||
      provider.partner.partnerType !== 'indirect_provider'
    ) {
      throw new DomainError(
        'partnership.provider_not_active',
        422,
        'The indirect provider that sent this request is no longer active.',
      );
    }
    assertPartnershipLocation(provider, reseller);
    let partnership: Partnership;
    try {
      partnership = await this.em.transactional(async (tx) => {
        const invitation = await find.consume(tx, {
          tenantId: reseller.id,
          userId: caller.userId,
        });
        if (invitation.partnerTenantId !== provider.id) {
          throw new DomainError('invitation.not_found', 404, 'The invitation was not found.');
        }
        const established = await this.establish(tx, caller, provider, reseller, invitation);
        this.outbox.enqueueEmail(tx, {
          template: 'invitation-accepted',
          to: invitation.inviterEmail,
          locale: provider.locale,
          data: {
            inviterName: invitation.inviterName,
            invitationKind: 'partnership',
            acceptedByOrganization: reseller.name,
            acceptedAt: established.establishedAt.toISOString(),
          },
        });
        this.outbox.enqueue(tx, JOBS.partnershipAuthorized, {
          partnershipId: established.id,
          authorizationId: invitation.id,
          providerTenantId: provider.id,
          resellerTenantId: reseller.id,
          authorizedByUserId: caller.userId,
          occurredAt: established.establishedAt.toISOString(),
        });
        return established;
      });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw partnershipExists();
      throw error;
    }
    return toPartnerRelationship(partnership, 'reseller');
  }

  /** Create or re-activate the partnership in `tx`, with its activity log entry. */
  private async establish(
    tx: EntityManager,
    caller: Caller,
    provider: TenantSnapshot,
    reseller: TenantSnapshot,
    invitation: Invitation,
  ): Promise<Partnership> {
    const existing = await tx.findOne(
      Partnership,
      { providerTenantId: provider.id, resellerTenantId: reseller.id },
      { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
    );
    if (existing?.status === 'active') throw partnershipExists();
    const before = existing ? partnershipSnapshot(existing) : null;
    const now = new Date();
    const partnership = existing ?? Object.assign(new Partnership(), { createdAt: now });
    Object.assign(partnership, {
      providerTenantId: provider.id,
      resellerTenantId: reseller.id,
      providerName: provider.name,
      providerMpnId: provider.partner?.mpnId ?? '',
      providerCountry: provider.country,
      resellerName: reseller.name,
      resellerMpnId: reseller.partner?.mpnId ?? '',
      resellerCountry: reseller.country,
      status: 'active',
      establishedAt: now,
      authorizedByUserId: caller.userId,
      invitationId: invitation.id,
      removedAt: null,
      removedByUserId: null,
      removedByTenantId: null,
    });
    tx.persist(partnership);
    await this.activityLog.record(tx, {
      type: 'partnership.established',
      actor: caller,
      tenantIds: [provider.id, reseller.id],
      resource: { type: 'partnership', id: partnership.id },
      before,
      after: { ...partnershipSnapshot(partnership), invitationId: invitation.id },
    });
    return partnership;
  }

  /**
   * The caller's active partnerships as Partner Center PartnerRelationships, sorted by the other
   * party's name, keyset paginated on (name, partnership id), optionally filtered by a name
   * substring (case-insensitive).
   *
   * Our own cursor ({@link keysetAfter}) stays here rather than `em.findByCursor`: MikroORM's
   * `Cursor.decode` turns every cursor value that starts like an ISO timestamp into a `Date`, so a
   * partner named `2026-01-01T00:00:00.000 Ltd` at the end of a page would make the next page a 500
   * ("Invalid time value"). Speed is not the reason: both read entities with the same index scan.
   * @throws 400 `request.invalid_cursor`.
   */
  async list(
    caller: Caller,
    type: RelationshipType,
    query: { size: number; seek?: string; name?: string },
  ): Promise<Collection<PartnerRelationshipResponse>> {
    const side = callerSide(type);
    const nameField = side === 'provider' ? 'resellerName' : 'providerName';
    const after = keysetAfter(decodeCursor(query.seek), nameField, 'asc', 'text');
    const where: Record<string, unknown> = {
      [side === 'provider' ? 'providerTenantId' : 'resellerTenantId']: caller.tenantId,
      status: 'active',
    };
    const and: Record<string, unknown>[] = [];
    if (query.name) and.push({ [nameField]: { $ilike: `%${escapeLike(query.name)}%` } });
    if (after) and.push(after);
    if (and.length) where.$and = and;
    const rows = await this.em.find(Partnership, where, {
      orderBy: { [nameField]: 'asc', id: 'asc' },
      limit: query.size + 1,
    });
    return toCollection(
      rows,
      query.size,
      (row) => toPartnerRelationship(row, side),
      (row) => ({ k: row[nameField], id: row.id }),
      (seek) => {
        const params = new URLSearchParams({
          relationship_type: type,
          size: String(query.size),
          seek,
        });
        if (query.name) params.set('name', query.name);
        return `/v1/relationships?${params.toString()}`;
      },
    );
  }

  /**
   * Remove the active partnership between the caller's tenant and `partnerTenantId` (either side
   * may; seed 002 "Remove partnership"). Customers associated with the reseller stay, delegated
   * admin privileges stay unchanged, and no email or notice is sent to anyone ("This tool does not
   * generate notice"). The provider's administrator access to the reseller's organisation ends:
   * `partnership.removed` goes to identity in the same transaction, which ends the access of this
   * authorization and disables the users the provider created through it (issue 9 point 3). The
   * delegated admin relationships the provider holds with the reseller end in the same transaction
   * (`terminated`, issue 10; registered in `PartnershipEndings` by `GdapPartnershipEnd`).
   * @throws 400 `partnership.confirmation_required` unless `confirm` is literally true;
   * 404 `partnership.not_found`.
   */
  async remove(caller: Caller, partnerTenantId: string, confirm: unknown): Promise<void> {
    if (confirm !== true) {
      throw new DomainError(
        'partnership.confirmation_required',
        400,
        'Removing a partnership must be confirmed: send "confirm": true. Customers and delegated admin privileges stay unchanged and no notice is sent.',
      );
    }
    await this.em.transactional(async (tx) => {
      const partnership = await tx.findOne(
        Partnership,
        {
          status: 'active',
          $or: [
            { providerTenantId: caller.tenantId, resellerTenantId: partnerTenantId },
            { resellerTenantId: caller.tenantId, providerTenantId: partnerTenantId },
          ],
        },
        { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
      );
      if (!partnership) {
        throw new DomainError('partnership.not_found', 404, 'The partnership was not found.');
      }
      const before = partnershipSnapshot(partnership);
      partnership.status = 'removed';
      partnership.removedAt = new Date();
      partnership.removedByUserId = caller.userId;
      partnership.removedByTenantId = caller.tenantId;
      await this.endings.run(
        tx,
        {
          providerTenantId: partnership.providerTenantId,
          resellerTenantId: partnership.resellerTenantId,
          partnershipId: partnership.id,
        },
        partnership.removedAt,
      );
      this.outbox.enqueue(tx, JOBS.partnershipRemoved, {
        partnershipId: partnership.id,
        authorizationId: partnership.invitationId,
        providerTenantId: partnership.providerTenantId,
        resellerTenantId: partnership.resellerTenantId,
        removedByTenantId: caller.tenantId,
        occurredAt: partnership.removedAt.toISOString(),
      });
      await this.activityLog.record(tx, {
        type: 'partnership.removed',
        actor: caller,
        tenantIds: [partnership.providerTenantId, partnership.resellerTenantId],
        resource: { type: 'partnership', id: partnership.id },
        before,
        after: partnershipSnapshot(partnership),
      });
    });
  }

  /**
   * The active partnership between an indirect provider and an indirect reseller.
   * @throws 422 `partnership.required` when there is none.
   */
  async requireActivePartnership(
    providerTenantId: string,
    resellerTenantId: string,
  ): Promise<Partnership> {
    const partnership = await this.em.findOne(Partnership, {
      providerTenantId,
      resellerTenantId,
      status: 'active',
    });
    if (!partnership) {
      throw new DomainError(
        'partnership.required',
        422,
        'An active partnership between the indirect provider and the indirect reseller is required.',
        { providerTenantId, resellerTenantId },
      );
    }
    return partnership;
  }

  /**
   * The provider's active partnership with the indirect reseller whose Partner ID (MPN ID) is
   * `mpnId` (seed 002 "Reseller (MPN ID)"), or null.
   */
  findActiveResellerByMpnId(providerTenantId: string, mpnId: string): Promise<Partnership | null> {
    return this.em.findOne(Partnership, {
      providerTenantId,
      resellerMpnId: mpnId,
      status: 'active',
    });
  }

  /**
   * Those of `resellerTenantIds` that `providerTenantId` holds an active partnership with (none
   * for a tenant that is not an indirect provider). Scopes what one partner of a customer sees of
   * the customer's other partners.
   */
  async activeResellersOfProvider(
    providerTenantId: string,
    resellerTenantIds: string[],
  ): Promise<string[]> {
    if (resellerTenantIds.length === 0) return [];
    const rows = await this.em.find(
      Partnership,
      { providerTenantId, resellerTenantId: { $in: resellerTenantIds }, status: 'active' },
      { fields: ['resellerTenantId'] },
    );
    return rows.map((row) => row.resellerTenantId);
  }

  /** True when the provider and the reseller have an active partnership. */
  async isActive(providerTenantId: string, resellerTenantId: string): Promise<boolean> {
    const count = await this.em.count(Partnership, {
      providerTenantId,
      resellerTenantId,
      status: 'active',
    });
    return count > 0;
  }

  /**
   * The caller's own tenant as an active indirect provider.
   * @throws 403 `partner.not_active`, 403 `partnership.provider_only`.
   */
  private async requireActiveProvider(caller: Caller): Promise<TenantSnapshot> {
    const provider = await this.tenants.requireActivePartner(caller);
    if (provider.partner?.partnerType !== 'indirect_provider') {
      throw new DomainError(
        'partnership.provider_only',
        403,
        'Only an indirect provider can request a partnership with an indirect reseller.',
      );
    }
    return provider;
  }
}

function partnershipExists(): DomainError {
  return new DomainError(
    'partnership.exists',
    409,
    'This indirect provider and indirect reseller already have an active partnership.',
  );
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The activity-log view of a partnership. */
function partnershipSnapshot(partnership: Partnership): Record<string, unknown> {
  return {
    providerTenantId: partnership.providerTenantId,
    resellerTenantId: partnership.resellerTenantId,
    providerMpnId: partnership.providerMpnId,
    resellerMpnId: partnership.resellerMpnId,
    status: partnership.status,
    establishedAt: partnership.establishedAt?.toISOString() ?? null,
    removedAt: partnership.removedAt?.toISOString() ?? null,
  };
}
