import { EntityManager, FilterQuery, LockMode, raw } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import {
  Collection,
  CursorPage,
  DomainError,
  RpcClient,
  SqlParams,
  cursorCollection,
  executePrepared,
  executePreparedAlone,
  hashToken,
  IdempotentAnswer,
  newInvitationToken,
  timestampCursorAfter,
} from '@app/platform';
import { OutboxService } from '@app/outbox';
import { EmailRenderer } from '@app/email-rendering';
import {
  Cloud,
  EmailCancelReason,
  Locale,
  PATTERNS,
  RenderedEmail,
  TemplateData,
  TemplateId,
} from '@app/contracts';
import { ActivityLogService, AuditCaller } from '../activity-log/activity-log.service';
import { APP_CONFIG, RelationshipsConfig } from '../config/relationships.config';
import { TenantDirectory } from '../tenants/tenant-directory.service';
import { InvitationResponse, toInvitationResponse } from './dto/invitation.response';
import { InvitationEmail, invitationEmail } from './invitation-email';
import { InvitationEmailCaps } from './invitation-email-caps';
import { InvitationGroupCommit, StatementFragments } from './invitation-group-commit';
import { invitationLink } from './invitation-links';
import {
  assertAcceptable,
  assertResendable,
  assertRevocable,
  effectiveStatus,
  expiryFrom,
} from './invitation-state';
import { Invitation, InvitationKind, InvitationStatus } from './invitation.entity';

/** Where each kind of invitation is listed (for `links.next`). */
export const INVITATION_LIST_PATHS: Record<InvitationKind, string> = {
  partnership: '/v1/partnership-requests',
  'reseller-relationship': '/v1/customers/relationship-requests',
};

/** What `InvitationsService.create` needs. */
export interface CreateInvitationInput {
  kind: InvitationKind;
  /** The inviting partner's tenant. */
  partnerTenantId: string;
  /** The inviting partner's cloud (chooses the customer's acceptance page, seed 001). */
  cloud: Cloud;
  email: string;
  locale: Locale;
  inviter: { userId: string; name: string; email: string };
  customMessage?: string | null;
  delegatedAdmin?: boolean;
  jointProviderTenantId?: string | null;
}

/** A created (or resent) invitation with its raw token and link: the only time they exist. */
export interface IssuedInvitation {
  invitation: Invitation;
  token: string;
  link: string;
}

/** A resent invitation with the new draft. */
export interface ResentInvitation extends IssuedInvitation {
  draft: RenderedEmail;
  queued: boolean;
}

/** Who accepts an invitation. */
export interface InvitationAcceptor {
  tenantId: string;
  userId: string;
}

/**
 * Invitations of every kind (DESIGN.md "Invitation link"): unguessable single-use tokens stored as
 * hashes, with an expiry, revocable and resendable; the email draft is rendered in process by the
 * render step the worker delivers with (`@app/email-rendering`), so that no invitation waits on
 * notifications, and the email queued through the outbox in the caller's transaction.
 */
@Injectable()
export class InvitationsService {
  /** Concurrent invitation writes, committed together (read only when a write runs). */
  private readonly groupCommit = new InvitationGroupCommit((text, values) =>
    executePreparedAlone(this.em, text, values),
  );

  constructor(
    private readonly em: EntityManager,
    private readonly rpc: RpcClient,
    private readonly outbox: OutboxService,
    private readonly tenants: TenantDirectory,
    private readonly activityLog: ActivityLogService,
    private readonly caps: InvitationEmailCaps,
    private readonly renderer: EmailRenderer,
    @Inject(APP_CONFIG) private readonly config: RelationshipsConfig,
  ) {}

  /** The current time (one place, so tests can replace it). */
  now(): Date {
    return new Date();
  }

  /**
   * A new pending invitation, not yet written (expiring after `INVITATION_TTL_HOURS`), with its raw
   * token and the personalized link (`${PARTNER_PORTAL_URL}/invitations/partnership?token=…` or the
   * customer page of `cloud`): enough to render its draft before any transaction opens.
   */
  issue(input: CreateInvitationInput): IssuedInvitation {
    const { token, hash } = newInvitationToken();
    const now = this.now();
    const invitation = Object.assign(new Invitation(), {
      kind: input.kind,
      partnerTenantId: input.partnerTenantId,
      cloud: input.cloud,
      email: input.email.trim().toLowerCase(),
      locale: input.locale,
      tokenHash: hash,
      status: 'pending' as const,
      expiresAt: expiryFrom(now, this.config.INVITATION_TTL_HOURS),
      inviterUserId: input.inviter.userId,
      inviterName: input.inviter.name,
      inviterEmail: input.inviter.email,
      customMessage: input.customMessage?.trim() ? input.customMessage.trim() : null,
      delegatedAdmin: input.delegatedAdmin ?? false,
      jointProviderTenantId: input.jointProviderTenantId ?? null,
      createdAt: now,
      updatedAt: now,
    });
    return { invitation, token, link: this.linkFor(invitation, token) };
  }

  /**
   * Write an issued invitation and, when `email` is given, queue it (`queueEmail`'s rules: the
   * caps, the sealed link, the invitation's expiry on the job, `lastEmailKey`), with its
   * `partnership.requested` or `reseller_relationship.requested` activity-log entry as `actor`, in
   * one statement inserting the invitation, its entry, its outbox row and the webhook fan-out's
   * rows and counting the email under the caps (`InvitationEmailCaps.takeSql`): one round trip,
   * atomic by itself (no BEGIN, no COMMIT); invitations sent while another's statement is in flight
   * are written together in the next one (`InvitationGroupCommit`: one round trip and one commit for
   * several, each one's error its own). An audit sink without a statement form runs in a
   * transaction around it instead (BEGIN, the statement, COMMIT). With `answer` of a create marked
   * `@Idempotent({ inStatement: true })` called with an `MS-RequestId`, the statement also records
   * the create's answer under that id (README "Idempotent creates"): committed together, so a retry
   * after a crash is answered from the record, never sent twice.
   * @throws 429 `invitation.email_limit`: nothing is written; PostgreSQL's unique violation of
   *   `idempotent_request_pkey` when another attempt with the same id recorded first (nothing is
   *   written; the idempotency interceptor answers the first attempt's record).
   */
  async send<T extends TemplateId>(
    issued: IssuedInvitation,
    actor: AuditCaller,
    email: { template: T; data: TemplateData<T> } | null,
    answer?: IdempotentAnswer,
  ): Promise<Invitation> {
    const { invitation, link } = issued;
    // Validated and sealed before the transaction opens.
    const row = email
      ? this.outbox.prepareEmail({
          template: email.template,
          to: invitation.email,
          locale: invitation.locale,
          data: email.data,
          link,
          expiresAt: invitation.expiresAt,
        })
      : null;
    invitation.lastEmailKey = row?.id ?? null;
    const send = {
      partnerTenantId: invitation.partnerTenantId,
      recipient: invitation.email,
      invitationId: invitation.id,
    };
    const now = this.now();
    const build = async (
      em: EntityManager,
      params: SqlParams,
      tag: string,
    ): Promise<StatementFragments> => {
      const ctes = [`"invitation${tag}" as (${insertInvitationSql(invitation, params)})`];
      const entry = await this.activityLog.recordInStatement(
        em,
        {
          type:
            invitation.kind === 'partnership'
              ? 'partnership.requested'
              : 'reseller_relationship.requested',
          actor,
          tenantIds: invitationTenants(invitation),
          resource: { type: 'invitation', id: invitation.id },
          after: snapshotOf(invitation),
        },
        params,
      );
      ctes.push(`"entry${tag}" as (${entry.sql})`, ...entry.ctes);
      if (row) ctes.push(`"outbox${tag}" as (${this.outbox.insertSql([row], params)})`);
      if (answer?.call?.inStatement) {
        ctes.push(
          `"idempotent${tag}" as (${answer.call.recordSql(answer.status, answer.body, params)})`,
        );
      }
      return {
        ctes,
        select: row ? this.caps.takeSql(send, now, params) : '1',
        locks: row ? this.caps.locksOf(send) : [],
      };
    };
    const write = async (em: EntityManager, alone: boolean): Promise<void> => {
      const params = new SqlParams();
      const { ctes, select } = await build(em, params, '');
      const text = `with ${ctes.join(', ')} select ${select}`;
      await this.caps.guard(now, () =>
        alone
          ? executePreparedAlone(em, text, params.values)
          : executePrepared(em, text, params.values),
      );
    };
    // Every audit sink writes in the statement: the statement is the whole transaction, and
    // concurrent ones commit together (`InvitationGroupCommit`).
    if (this.activityLog.recordsInStatementOnly()) {
      await this.groupCommit.write({
        shape: `${row ? 'email' : 'draft'}:${answer?.call?.inStatement ? 'answer' : 'none'}`,
        build: (params, tag) => build(this.em, params, tag),
        alone: () => write(this.em, true),
      });
    } else await this.em.transactional((tx) => write(tx, false));
    return invitation;
  }

  /** The personalized link of `invitation` carrying `token`. */
  linkFor(invitation: Pick<Invitation, 'kind' | 'cloud'>, token: string): string {
    return invitationLink(this.config, invitation.kind, invitation.cloud, token);
  }

  /**
   * Render the draft the inviter reviews, in process (`EmailRenderer`, the worker's own render
   * step: the draft is the email the worker will send). The custom message travels as
   * `data.customMessage`; the link is always rendered by the template. Needs no other service.
   * @throws 400 `email.data_invalid` / `email.link_required` / `email.link_invalid` (see
   *   `EmailRenderer.render`).
   */
  draft<T extends TemplateId>(
    template: T,
    locale: Locale,
    data: TemplateData<T>,
    link: string,
    customMessage?: string | null,
  ): RenderedEmail {
    const payload: Record<string, unknown> = { ...data };
    if (customMessage?.trim()) payload.customMessage = customMessage.trim();
    return this.renderer.render(template, locale, payload, link);
  }

  /**
   * Queue the invitation email to its recipient in `tx` (outbox; the link is sealed, the job
   * carries the invitation's expiry so that the worker never delivers a dead link) and remember its
   * idempotency key on the invitation (`lastEmailKey`), after counting it under the caps per
   * inviting partner and per recipient (`InvitationEmailCaps`). Returns that key.
   * @throws 429 `invitation.email_limit` (with `Retry-After`): the caller's transaction must then
   *   write nothing.
   */
  async queueEmail<T extends TemplateId>(
    tx: EntityManager,
    invitation: Invitation,
    template: T,
    data: TemplateData<T>,
    link: string,
  ): Promise<string> {
    await this.caps.take(
      tx,
      {
        partnerTenantId: invitation.partnerTenantId,
        recipient: invitation.email,
        invitationId: invitation.id,
      },
      this.now(),
    );
    const key = this.outbox.enqueueEmail(tx, {
      template,
      to: invitation.email,
      locale: invitation.locale,
      data,
      link,
      expiresAt: invitation.expiresAt,
    });
    invitation.lastEmailKey = key;
    return key;
  }

  /**
   * Withdraw the invitation's latest email in `tx` (its link just died): not relayed yet → settled
   * `skipped` at once; relayed → an `email.cancel` job with `reason` follows it (the worker skips
   * it unless it was already sent). Clears `lastEmailKey`.
   */
  private async cancelLastEmail(
    tx: EntityManager,
    invitation: Invitation,
    reason: EmailCancelReason,
    now: Date,
  ): Promise<void> {
    if (!invitation.lastEmailKey) return;
    await this.outbox.cancelEmail(tx, invitation.lastEmailKey, reason, now);
    invitation.lastEmailKey = null;
  }

  /** The template and data of `invitation`'s email, from the current tenant snapshots. */
  async composeEmail(
    invitation: Pick<
      Invitation,
      | 'kind'
      | 'partnerTenantId'
      | 'jointProviderTenantId'
      | 'inviterName'
      | 'customMessage'
      | 'delegatedAdmin'
      | 'expiresAt'
    >,
  ): Promise<InvitationEmail> {
    const ids = [invitation.partnerTenantId];
    if (invitation.jointProviderTenantId) ids.push(invitation.jointProviderTenantId);
    const tenants = await this.tenants.getMany(ids);
    const partner = tenants.get(invitation.partnerTenantId);
    if (!partner) throw new DomainError('tenant.not_found', 404, 'The tenant was not found.');
    return invitationEmail(
      invitation,
      partner,
      invitation.jointProviderTenantId ? tenants.get(invitation.jointProviderTenantId) : null,
    );
  }

  /**
   * Read a pending invitation by token without changing it (to show who invites before
   * acceptance).
   * @throws 404 `invitation.not_found`, 409 `invitation.already_accepted`, 410 `invitation.revoked`,
   * 410 `invitation.expired`.
   */
  async peek(kind: InvitationKind, token: string): Promise<Invitation> {
    const invitation = await this.em.findOne(Invitation, { tokenHash: hashToken(token), kind });
    if (!invitation) throw invitationNotFound();
    assertAcceptable(invitation, this.now());
    return invitation;
  }

  /**
   * The invitation `token` names, read for its acceptance by `acceptor` without changing it. A
   * per-invitee invitation (a partnership request to a reseller's address, a relationship request
   * to a customer admin's address) is accepted only by the organisation it was sent to: the
   * accepting user's organisation must hold a user with the invitation's email (the user itself, or
   * a colleague) and be that address's organisation: identity's `identity.organizations.has-user`
   * decides, also when the acceptor signs in with the invited address itself, since sign-in names
   * are per organisation (issue 9 point 9) and another organisation may have created a user of
   * that address. That is checked before the invitation's state, so another organisation holding
   * a forwarded link always gets the same 403 and learns nothing of whether the invitation was
   * accepted, revoked or expired; the invitation stays as it is (pending, usable by its invitee).
   * Call it before the acceptance's transaction (no call inside one); the transaction consumes the
   * token (`consume`).
   * @throws 404 `invitation.not_found`, 403 `invitation.wrong_organization`, 409
   * `invitation.already_accepted`, 410 `invitation.revoked`, 410 `invitation.expired`; 503
   * `dependency.unavailable`.
   */
  async peekForAcceptance(
    kind: InvitationKind,
    token: string,
    acceptor: { tenantId: string; email: string },
  ): Promise<Invitation> {
    const invitation = await this.em.findOne(Invitation, { tokenHash: hashToken(token), kind });
    if (!invitation) throw invitationNotFound();
    await this.assertInviteeOrganization(invitation, acceptor);
    assertAcceptable(invitation, this.now());
    return invitation;
  }

  /** @throws 403 `invitation.wrong_organization` (see `peekForAcceptance`). */
  private async assertInviteeOrganization(
    invitation: Pick<Invitation, 'email'>,
    acceptor: { tenantId: string },
  ): Promise<void> {
    const { member } = await this.rpc.send(PATTERNS.organizationHasUser, {
      tenantId: acceptor.tenantId,
      email: invitation.email,
    });
    if (!member) {
      throw new DomainError(
        'invitation.wrong_organization',
        403,
        'This invitation was sent to another organization: only the organization it was sent to can accept it.',
      );
    }
  }

  /**
   * Accept by token in `tx`: locks the row (`FOR UPDATE`), checks it, marks it accepted (by
   * `acceptor` when given). Single use under concurrency: a second acceptance waits for the lock
   * and then sees `accepted`.
   * @throws 404 `invitation.not_found`, 409 `invitation.already_accepted`, 410 `invitation.revoked`,
   * 410 `invitation.expired`.
   */
  consume(
    tx: EntityManager,
    kind: InvitationKind,
    token: string,
    acceptor?: InvitationAcceptor,
  ): Promise<Invitation> {
    return this.consumeWhere(tx, { tokenHash: hashToken(token), kind }, acceptor);
  }

  /**
   * Accept by id in `tx` (a received request authorized from its organisation's list, the id
   * checked before by `peekReceivedForAcceptance`): the same lock, checks and marks as `consume`.
   * @throws as `consume`.
   */
  consumeById(
    tx: EntityManager,
    kind: InvitationKind,
    id: string,
    acceptor: InvitationAcceptor,
  ): Promise<Invitation> {
    return this.consumeWhere(tx, { id, kind }, acceptor);
  }

  private async consumeWhere(
    tx: EntityManager,
    where: FilterQuery<Invitation>,
    acceptor?: InvitationAcceptor,
  ): Promise<Invitation> {
    const invitation = await tx.findOne(Invitation, where, {
      lockMode: LockMode.PESSIMISTIC_WRITE,
      refresh: true,
    });
    if (!invitation) throw invitationNotFound();
    const now = this.now();
    assertAcceptable(invitation, now);
    invitation.status = 'accepted';
    invitation.acceptedAt = now;
    if (acceptor) {
      invitation.acceptedByTenantId = acceptor.tenantId;
      invitation.acceptedByUserId = acceptor.userId;
    }
    return invitation;
  }

  /**
   * The addresses `tenantId` holds (identity's `identity.organizations.addresses`: its enabled
   * users' proved sign-in addresses, the rule of `peekForAcceptance`).
   * @throws 503 `dependency.unavailable`.
   */
  private async addressesOf(tenantId: string): Promise<string[]> {
    const { emails } = await this.rpc.send(PATTERNS.organizationAddresses, { tenantId });
    return emails;
  }

  /**
   * The invitations of `kind` that `tenantId` received, newest first, keyset paginated on
   * (createdAt, id) as `list`: the pending ones (not expired) sent to an address the organisation
   * holds (an enabled user of it proved that address: the very rule that decides who may accept,
   * `peekForAcceptance`), not sent by the organisation itself, and the ones the organisation
   * accepted. `status` narrows to one of the two. A revoked or expired request, and one another
   * organisation accepted, is not listed.
   * @throws 400 `request.invalid_cursor`, 503 `dependency.unavailable`.
   */
  async listReceived(
    tenantId: string,
    kind: InvitationKind,
    page: { size: number; seek?: string; status?: 'pending' | 'accepted' },
  ): Promise<CursorPage<Invitation>> {
    const after = timestampCursorAfter(page.seek);
    const now = this.now();
    const addresses = page.status === 'accepted' ? [] : await this.addressesOf(tenantId);
    const branches: FilterQuery<Invitation>[] = [];
    if (page.status !== 'accepted' && addresses.length > 0) {
      branches.push({
        status: 'pending',
        expiresAt: { $gt: now },
        partnerTenantId: { $ne: tenantId },
        // One parameter however many addresses (a JSON array), not one per address.
        [raw(
          (alias: string) => `${alias}."email" in (select jsonb_array_elements_text(?::jsonb))`,
          [JSON.stringify(addresses)],
        )]: [],
      });
    }
    if (page.status !== 'pending') {
      branches.push({ status: 'accepted', acceptedByTenantId: tenantId });
    }
    if (branches.length === 0) return { items: [], hasNextPage: false, endCursor: null };
    return this.em.findByCursor(
      Invitation,
      { kind, $or: branches },
      {
        first: page.size,
        after,
        orderBy: { createdAt: 'desc', id: 'desc' },
        includeCount: false,
      },
    );
  }

  /**
   * One invitation of `kind` that `tenantId` received (as `listReceived` reads "received": sent to
   * an address the organisation holds, or accepted by it), in any state; the organisation's own
   * invitation, another organisation's, and an unknown id alike answer 404.
   * @throws 404 `invitation.not_found`, 503 `dependency.unavailable`.
   */
  async getReceived(tenantId: string, id: string, kind: InvitationKind): Promise<Invitation> {
    const invitation = await this.em.findOne(Invitation, { id, kind });
    if (!invitation || invitation.partnerTenantId === tenantId) throw invitationNotFound();
    if (invitation.acceptedByTenantId === tenantId) return invitation;
    const { member } = await this.rpc.send(PATTERNS.organizationHasUser, {
      tenantId,
      email: invitation.email,
    });
    if (!member) throw invitationNotFound();
    return invitation;
  }

  /**
   * A received invitation (`getReceived`) read for its acceptance by its organisation without
   * changing it: what `peekForAcceptance` is for a token, with the other organisation's invitation
   * answered as an unknown id (404) since an id, unlike a token, is no credential.
   * @throws 404 `invitation.not_found`, 409 `invitation.already_accepted`, 410
   * `invitation.revoked`, 410 `invitation.expired`; 503 `dependency.unavailable`.
   */
  async peekReceivedForAcceptance(
    kind: InvitationKind,
    id: string,
    acceptor: { tenantId: string },
  ): Promise<Invitation> {
    const invitation = await this.getReceived(acceptor.tenantId, id, kind);
    assertAcceptable(invitation, this.now());
    return invitation;
  }

  /** One invitation of `tenantId` (the inviting partner). @throws 404 `invitation.not_found`. */
  async get(tenantId: string, id: string, kind?: InvitationKind): Promise<Invitation> {
    const invitation = await this.em.findOne(Invitation, {
      id,
      partnerTenantId: tenantId,
      ...(kind ? { kind } : {}),
    });
    if (!invitation) throw invitationNotFound();
    return invitation;
  }

  /**
   * The invitations `tenantId` sent, newest first, optionally by (effective) status, keyset
   * paginated on (createdAt, id) by `em.findByCursor` (without its count query).
   * @throws 400 `request.invalid_cursor`.
   */
  async list(
    tenantId: string,
    kind: InvitationKind,
    page: { size: number; seek?: string; status?: InvitationStatus },
  ): Promise<Collection<InvitationResponse>> {
    const after = timestampCursorAfter(page.seek);
    const now = this.now();
    const where: FilterQuery<Invitation> = { partnerTenantId: tenantId, kind };
    const and: FilterQuery<Invitation>[] = [];
    switch (page.status) {
      case undefined:
        break;
      case 'pending':
        and.push({ status: 'pending', expiresAt: { $gt: now } });
        break;
      case 'expired':
        and.push({
          $or: [{ status: 'expired' }, { status: 'pending', expiresAt: { $lte: now } }],
        });
        break;
      case 'accepted':
      case 'revoked':
        and.push({ status: page.status });
        break;
    }
    if (and.length) where.$and = and;
    const rows = await this.em.findByCursor(Invitation, where, {
      first: page.size,
      after,
      orderBy: { createdAt: 'desc', id: 'desc' },
      includeCount: false,
    });
    return cursorCollection(
      rows,
      (row) => toInvitationResponse(row, now),
      (seek) => {
        const params = new URLSearchParams({ size: String(page.size), seek });
        if (page.status) params.set('status', page.status);
        return `${INVITATION_LIST_PATHS[kind]}?${params.toString()}`;
      },
    );
  }

  /**
   * Revoke an invitation `tenantId` sent: its link stops working, and its email, if still on its
   * way, is cancelled in the same transaction (`email.cancel`, reason `revoked`; or settled
   * `skipped` at once when it was not relayed yet). Revoking a revoked invitation changes nothing.
   * @throws 404 `invitation.not_found` (unknown, another tenant's, or another kind),
   * 409 `invitation.already_accepted`.
   */
  async revoke(
    tenantId: string,
    id: string,
    options: { kind?: InvitationKind; actor: AuditCaller },
  ): Promise<Invitation> {
    return this.em.transactional(async (tx) => {
      const invitation = await tx.findOne(
        Invitation,
        { id, partnerTenantId: tenantId, ...(options.kind ? { kind: options.kind } : {}) },
        { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
      );
      if (!invitation) throw invitationNotFound();
      const now = this.now();
      if (!assertRevocable(invitation, now)) return invitation;
      const before = snapshotOf(invitation, now);
      invitation.status = 'revoked';
      invitation.revokedAt = now;
      await this.cancelLastEmail(tx, invitation, 'revoked', now);
      await this.activityLog.record(tx, {
        type: 'invitation.revoked',
        actor: options.actor,
        tenantIds: invitationTenants(invitation),
        resource: { type: 'invitation', id: invitation.id },
        before,
        after: snapshotOf(invitation, now),
      });
      return invitation;
    });
  }

  /**
   * Resend an invitation `tenantId` sent: a new token and expiry (the old link dies, and the email
   * that carried it is cancelled with reason `superseded` if still on its way), a new draft, and
   * (unless `draftOnly`) a new email. The draft is rendered before the transaction opens.
   * @throws 404 `invitation.not_found`, 409 `invitation.already_accepted`, 410 `invitation.revoked`.
   */
  async resend(
    tenantId: string,
    id: string,
    options: { kind?: InvitationKind; actor: AuditCaller; draftOnly?: boolean },
  ): Promise<ResentInvitation> {
    const current = await this.get(tenantId, id, options.kind);
    assertResendable(current, this.now());
    const { token, hash } = newInvitationToken();
    const link = this.linkFor(current, token);
    const expiresAt = expiryFrom(this.now(), this.config.INVITATION_TTL_HOURS);
    const email = await this.composeEmail({
      kind: current.kind,
      partnerTenantId: current.partnerTenantId,
      jointProviderTenantId: current.jointProviderTenantId,
      inviterName: current.inviterName,
      customMessage: current.customMessage,
      delegatedAdmin: current.delegatedAdmin,
      expiresAt,
    });
    const draft = this.draft(email.template, current.locale, email.data, link);
    const queued = !options.draftOnly;
    const invitation = await this.em.transactional(async (tx) => {
      const locked = await tx.findOne(
        Invitation,
        { id: current.id },
        { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
      );
      if (!locked) throw invitationNotFound();
      const now = this.now();
      assertResendable(locked, now);
      const before = snapshotOf(locked, now);
      locked.tokenHash = hash;
      locked.status = 'pending';
      locked.expiresAt = expiresAt;
      // The previous email carries the old link, which dies now.
      await this.cancelLastEmail(tx, locked, 'superseded', now);
      if (queued) await this.queueEmail(tx, locked, email.template, email.data, link);
      await this.activityLog.record(tx, {
        type: 'invitation.resent',
        actor: options.actor,
        tenantIds: invitationTenants(locked),
        resource: { type: 'invitation', id: locked.id },
        before,
        after: { ...snapshotOf(locked, now), queued },
      });
      return locked;
    });
    return { invitation, token, link, draft, queued };
  }
}

function invitationNotFound(): DomainError {
  return new DomainError('invitation.not_found', 404, 'The invitation was not found.');
}

/** The tenants an invitation concerns (the inviting partner and a joint provider). */
function invitationTenants(invitation: Invitation): string[] {
  return invitation.jointProviderTenantId
    ? [invitation.partnerTenantId, invitation.jointProviderTenantId]
    : [invitation.partnerTenantId];
}

/**
 * A data-modifying statement inserting `invitation` (every column), its values added to `params`:
 * a CTE of `InvitationsService.send`'s statement.
 */
function insertInvitationSql(invitation: Invitation, params: SqlParams): string {
  const values = [
    `${params.add(invitation.id)}::uuid`,
    params.add(invitation.kind),
    `${params.add(invitation.partnerTenantId)}::uuid`,
    params.add(invitation.cloud),
    params.add(invitation.email),
    params.add(invitation.locale),
    params.add(invitation.tokenHash),
    params.add(invitation.status),
    `${params.add(invitation.expiresAt)}::timestamptz`,
    `${params.add(invitation.inviterUserId)}::uuid`,
    params.add(invitation.inviterName),
    params.add(invitation.inviterEmail),
    `${params.add(invitation.customMessage)}::text`,
    `${params.add(invitation.delegatedAdmin)}::boolean`,
    `${params.add(invitation.jointProviderTenantId)}::uuid`,
    `${params.add(invitation.acceptedAt)}::timestamptz`,
    `${params.add(invitation.acceptedByTenantId)}::uuid`,
    `${params.add(invitation.acceptedByUserId)}::uuid`,
    `${params.add(invitation.revokedAt)}::timestamptz`,
    `${params.add(invitation.lastEmailKey)}::uuid`,
    `${params.add(invitation.createdAt)}::timestamptz`,
    `${params.add(invitation.updatedAt)}::timestamptz`,
  ];
  return `insert into "invitation" ("id", "kind", "partner_tenant_id", "cloud", "email", "locale", "token_hash", "status", "expires_at", "inviter_user_id", "inviter_name", "inviter_email", "custom_message", "delegated_admin", "joint_provider_tenant_id", "accepted_at", "accepted_by_tenant_id", "accepted_by_user_id", "revoked_at", "last_email_key", "created_at", "updated_at") values (${values.join(', ')})`;
}

/** The activity-log view of an invitation (never the token hash). */
function snapshotOf(invitation: Invitation, now = new Date()): Record<string, unknown> {
  return {
    kind: invitation.kind,
    email: invitation.email,
    status: effectiveStatus(invitation, now),
    expiresAt: invitation.expiresAt.toISOString(),
    delegatedAdmin: invitation.delegatedAdmin,
    jointProviderTenantId: invitation.jointProviderTenantId,
  };
}
