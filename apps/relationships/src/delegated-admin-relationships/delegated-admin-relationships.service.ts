import { EntityManager, FilterQuery, LockMode } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Caller } from '@app/auth';
import { Locale, PATTERNS } from '@app/contracts';
import { OutboxService } from '@app/outbox';
import {
  DomainError,
  RpcClient,
  entityTag,
  hashToken,
  newInvitationToken,
  requireIfMatch,
} from '@app/platform';
import { ActivityLogService } from '../activity-log/activity-log.service';
import { APP_CONFIG, RelationshipsConfig } from '../config/relationships.config';
import { Partnership } from '../partnerships/partnership.entity';
import { ResellerRelationship } from '../reseller-relationships/reseller-relationship.entity';
import { TenantDirectory } from '../tenants/tenant-directory.service';
import {
  DelegatedAdminRelationship,
  DelegatedAdminRelationshipRequest,
  RequestAction,
} from './delegated-admin-relationship.entity';
import {
  CreateRelationshipDto,
  ListRelationshipsQuery,
  ORDERABLE,
  RelationshipList,
  RelationshipRequestList,
  RelationshipRequestResponse,
  RelationshipResponse,
  UpdateRelationshipDto,
} from './dto/delegated-admin-relationship.dto';
import { activatePendingAssignments, deleteLiveAssignments } from './access-assignments.service';
import { addGdapDuration, parseGdapDuration } from './gdap-duration';
import { GDAP_ROLES, GLOBAL_ADMINISTRATOR, rolesInWords } from './gdap-roles';

/** The Graph-shaped route of the relationships. */
export const RELATIONSHIPS_PATH = '/v1/tenantRelationships/delegatedAdminRelationships';
/** Days a customer has to act on an approval request before it expires (Partner Center FAQ). */
export const APPROVAL_DAYS = 90;
const DAY_MS = 86_400_000;
/** Default `$top`. */
const DEFAULT_TOP = 100;

/** A person to email, with the language of the email. */
export interface Recipient {
  email: string;
  locale: Locale;
}

/** An answer and where the created resource lives (`Location`). */
export interface Created<T> {
  body: T;
  location: string;
}

function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}

/** The relationship's entity tag (`@odata.etag`): its id and version. */
export function relationshipTag(row: DelegatedAdminRelationship): string {
  return entityTag(row.id, row.version);
}

/** A relationship in Graph's shape. */
export function toRelationshipResponse(row: DelegatedAdminRelationship): RelationshipResponse {
  return {
    '@odata.etag': `W/"${relationshipTag(row)}"`,
    id: row.id,
    displayName: row.displayName,
    duration: row.duration,
    customer: row.customerTenantId
      ? { tenantId: row.customerTenantId, displayName: row.customerName ?? '' }
      : null,
    accessDetails: { unifiedRoles: row.roles.map((roleDefinitionId) => ({ roleDefinitionId })) },
    status: row.status,
    autoExtendDuration: row.autoExtendDuration,
    createdDateTime: row.createdAt.toISOString(),
    lastModifiedDateTime: row.updatedAt.toISOString(),
    activatedDateTime: iso(row.activatedAt),
    endDateTime: iso(row.endAt),
  };
}

function toRequestResponse(row: DelegatedAdminRelationshipRequest): RelationshipRequestResponse {
  return {
    id: row.id,
    action: row.action,
    status: row.status,
    createdDateTime: row.createdAt.toISOString(),
    lastModifiedDateTime: row.updatedAt.toISOString(),
  };
}

const NOT_FOUND = () =>
  new DomainError(
    'gdap.relationship_not_found',
    404,
    'The delegated admin relationship was not found.',
  );

/** What each side of a relationship may ask for through its requests (Graph §12.2). */
const ACTIONS_BY_SIDE: Record<'partner' | 'customer', readonly RequestAction[]> = {
  partner: ['lockForApproval', 'terminate'],
  customer: ['approve', 'reject', 'terminate'],
};

/**
 * Delegated admin relationships (GDAP, issue 10 part 1; Microsoft Graph
 * `tenantRelationships/delegatedAdminRelationships`, ../shared/reference/partner-center-api.md
 * §12): a partner creates one for a customer it has an active reseller relationship with, locks it
 * for approval (the customer's Global admins are emailed a link), the customer's Global admin
 * approves or rejects it, and either side terminates it. Every change is one activity-log entry
 * read by both organisations, in the transaction of the change with its emails (outbox).
 *
 * Scoping: a partner reaches only its own relationships; a customer only those naming it, from
 * `approvalPending` on (a `created` relationship is the partner's draft). Anything else (another
 * tenant's, a co-partner's of the same customer) answers 404 `gdap.relationship_not_found`, as an
 * id that exists nowhere does.
 */
@Injectable()
export class DelegatedAdminRelationshipsService {
  constructor(
    private readonly em: EntityManager,
    private readonly tenants: TenantDirectory,
    private readonly activityLog: ActivityLogService,
    private readonly outbox: OutboxService,
    private readonly rpc: RpcClient,
    @Inject(APP_CONFIG) private readonly config: Pick<RelationshipsConfig, 'PUBLIC_URL'>,
  ) {}

  private url(path: string): string {
    return `${this.config.PUBLIC_URL}${path}`;
  }

  /**
   * The rows the caller may see, as a filter: a partner its own relationships and (an indirect
   * reseller) those of its indirect providers naming it; a customer those naming it; the customer
   * side never sees a `created` relationship (the partner's draft).
   */
  private scope(caller: Caller): FilterQuery<DelegatedAdminRelationship> & object {
    const named = { customerTenantId: caller.tenantId, status: { $ne: 'created' as const } };
    return caller.tenantKind === 'partner'
      ? { $or: [{ partnerTenantId: caller.tenantId }, named] }
      : caller.tenantKind === 'customer'
        ? named
        : { id: null };
  }

  /**
   * The side the caller takes on a relationship it may see: `partner` when its organisation asked
   * for it, `customer` when it is named as the customer (a customer, or an indirect reseller asked
   * by its indirect provider).
   */
  private static sideOf(caller: Caller, row: DelegatedAdminRelationship): 'partner' | 'customer' {
    return row.partnerTenantId === caller.tenantId ? 'partner' : 'customer';
  }

  /**
   * Only the partner that asked for a relationship changes or deletes it.
   * @throws 403 `gdap.action_not_allowed` for the customer's side (an indirect reseller, which
   *   holds the partner permissions for its own relationships).
   */
  private static assertPartnerSide(caller: Caller, row: DelegatedAdminRelationship): void {
    if (DelegatedAdminRelationshipsService.sideOf(caller, row) !== 'partner') {
      throw new DomainError(
        'gdap.action_not_allowed',
        403,
        'Only the partner that asked for this relationship can change or delete it; the customer approves, rejects or terminates it.',
      );
    }
  }

  private async find(
    em: EntityManager,
    caller: Caller,
    id: string,
    lock = false,
  ): Promise<DelegatedAdminRelationship> {
    const row = await em.findOne(
      DelegatedAdminRelationship,
      { id, ...this.scope(caller) },
      lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {},
    );
    if (!row) throw NOT_FOUND();
    return row;
  }

  /**
   * The customer named by `tenantId`: a customer the partner holds an active reseller relationship
   * with, or (issue 10: an indirect provider's access to a reseller) an indirect reseller the
   * partner, as its indirect provider, holds an active partnership with. The only organisations it
   * may ask for access to.
   * @throws 422 `gdap.customer_not_found` otherwise (an unknown tenant, another partner's customer,
   *   a reseller of another provider, a provider asked by its reseller, a removed partnership).
   */
  private async requireCustomer(
    em: EntityManager,
    partnerTenantId: string,
    tenantId: string,
  ): Promise<{ customerId: string; customerName: string }> {
    const relationship = await em.findOne(ResellerRelationship, {
      partnerTenantId,
      customerId: tenantId,
      status: 'active',
    });
    if (relationship) {
      return { customerId: relationship.customerId, customerName: relationship.customerName };
    }
    const partnership = await em.findOne(Partnership, {
      providerTenantId: partnerTenantId,
      resellerTenantId: tenantId,
      status: 'active',
    });
    if (partnership) {
      return { customerId: partnership.resellerTenantId, customerName: partnership.resellerName };
    }
    throw new DomainError(
      'gdap.customer_not_found',
      422,
      'customer.tenantId names no customer you have an active reseller relationship with, nor an indirect reseller you have an active partnership with.',
    );
  }

  /**
   * Every role is one of the supported Entra role templates (`GDAP_ROLES`). Checked after the
   * customer, so that a call naming another partner's customer answers as one naming a tenant that
   * exists nowhere, whatever its roles.
   * @throws 400 `gdap.role_not_supported`.
   */
  private static assertRolesSupported(roles: readonly string[]): void {
    const unknown = roles.filter((id) => !(id in GDAP_ROLES));
    if (unknown.length > 0) {
      throw new DomainError(
        'gdap.role_not_supported',
        400,
        `accessDetails.unifiedRoles names roles that are not supported: ${unknown.join(', ')}. Supported: ${Object.keys(GDAP_ROLES).join(', ')}.`,
        { roleDefinitionIds: unknown },
      );
    }
  }

  private static assertAutoExtend(roles: readonly string[], autoExtend: string): void {
    if (autoExtend === 'P180D' && roles.includes(GLOBAL_ADMINISTRATOR)) {
      throw new DomainError(
        'gdap.auto_extend_not_allowed',
        400,
        'A relationship that includes the Global Administrator role cannot be extended automatically: autoExtendDuration must be PT0S or P0D.',
      );
    }
  }

  private async assertNameFree(
    em: EntityManager,
    partnerTenantId: string,
    displayName: string,
    exceptId?: string,
  ): Promise<void> {
    const [row] = await em.execute<{ id: string }[]>(
      `select "id" from "delegated_admin_relationship" where "partner_tenant_id" = ? and lower("display_name") = lower(?) and "id" <> ?::uuid limit 1`,
      [partnerTenantId, displayName, exceptId ?? '00000000-0000-0000-0000-000000000000'],
    );
    if (row) {
      throw new DomainError(
        'gdap.display_name_taken',
        409,
        'You already have a delegated admin relationship with this displayName: choose another.',
      );
    }
  }

  /**
   * `POST` (partner Admin agent or Global admin of an active partner): a new relationship in
   * `created`. Errors: 400 (input, `gdap.auto_extend_not_allowed`), 403 `partner.not_active`, 409
   * `gdap.display_name_taken`, 422 `gdap.customer_not_found`.
   */
  async create(
    caller: Caller,
    body: CreateRelationshipDto,
  ): Promise<Created<RelationshipResponse>> {
    const partner = await this.tenants.requireActivePartner(caller);
    const roles = body.accessDetails.unifiedRoles.map((r) => r.roleDefinitionId);
    const autoExtend = body.autoExtendDuration ?? 'PT0S';
    const row = await this.em.fork().transactional(async (tx) => {
      await tx.execute(`select pg_advisory_xact_lock(hashtextextended(?, 0))`, [
        `gdap:${caller.tenantId}`,
      ]);
      const customer = body.customer
        ? await this.requireCustomer(tx, caller.tenantId, body.customer.tenantId)
        : null;
      DelegatedAdminRelationshipsService.assertRolesSupported(roles);
      DelegatedAdminRelationshipsService.assertAutoExtend(roles, autoExtend);
      await this.assertNameFree(tx, caller.tenantId, body.displayName);
      const created = persistNew(tx, new DelegatedAdminRelationship(), {
        partnerTenantId: caller.tenantId,
        partnerName: partner.name,
        customerTenantId: customer?.customerId ?? null,
        customerName: customer?.customerName ?? null,
        displayName: body.displayName,
        duration: body.duration,
        roles,
        autoExtendDuration: autoExtend,
      });
      await this.activityLog.record(tx, {
        type: 'delegated_admin_relationship.created',
        tenantIds: customer ? [caller.tenantId, customer.customerId] : [caller.tenantId],
        customerId: customer?.customerId ?? null,
        resource: { type: 'delegated_admin_relationship', id: created.id },
        after: {
          displayName: created.displayName,
          duration: created.duration,
          customerTenantId: created.customerTenantId,
          roles,
          autoExtendDuration: autoExtend,
          status: created.status,
        },
      });
      return created;
    });
    return {
      body: toRelationshipResponse(row),
      location: this.url(`${RELATIONSHIPS_PATH}/${row.id}`),
    };
  }

  /** `GET` list: the caller's side's relationships, Graph paging (`$top`, `$skipToken`). */
  async list(caller: Caller, query: ListRelationshipsQuery): Promise<RelationshipList> {
    const top = query.$top ?? DEFAULT_TOP;
    const offset = query.$skipToken ?? 0;
    const order = query.$orderby ?? { field: 'createdDateTime' as const, desc: true };
    const column = ORDERABLE[order.field];
    const direction = order.desc ? 'desc' : 'asc';
    const rows = await this.em.fork().find(
      DelegatedAdminRelationship,
      {
        ...this.scope(caller),
        ...(query.$filter ? { status: query.$filter } : {}),
      } as FilterQuery<DelegatedAdminRelationship>,
      {
        orderBy: [{ [camel(column)]: `${direction} nulls last` }, { id: 'asc' }],
        limit: top + 1,
        offset,
      },
    );
    const more = rows.length > top;
    const page = rows.slice(0, top);
    const result: RelationshipList = {
      '@odata.context': this.url('/v1/$metadata#tenantRelationships/delegatedAdminRelationships'),
      value: page.map(toRelationshipResponse),
    };
    if (more) {
      const next = new URL(this.url(RELATIONSHIPS_PATH));
      next.searchParams.set('$top', String(top));
      if (query.$filter) next.searchParams.set('$filter', `status eq '${query.$filter}'`);
      if (query.$orderby) next.searchParams.set('$orderby', `${order.field} ${direction}`);
      next.searchParams.set('$skipToken', String(offset + top));
      result['@odata.nextLink'] = next.toString();
    }
    return result;
  }

  /** `GET` one. 404 `gdap.relationship_not_found`. */
  async get(caller: Caller, id: string): Promise<RelationshipResponse> {
    return toRelationshipResponse(await this.find(this.em.fork(), caller, id));
  }

  /**
   * `PATCH` (If-Match required): any field while `created`; only `autoExtendDuration` while
   * `active` (Graph §12.1). Errors: 404; 428 `request.precondition_required`; 412
   * `request.etag_mismatch`; 409 `gdap.invalid_status`, `gdap.field_not_updatable`,
   * `gdap.display_name_taken`; 400 `gdap.auto_extend_not_allowed`; 422 `gdap.customer_not_found`.
   */
  async update(
    caller: Caller,
    id: string,
    ifMatch: string | undefined,
    body: UpdateRelationshipDto,
  ): Promise<RelationshipResponse> {
    return this.em.fork().transactional(async (tx) => {
      await tx.execute(`select pg_advisory_xact_lock(hashtextextended(?, 0))`, [
        `gdap:${caller.tenantId}`,
      ]);
      const row = await this.find(tx, caller, id, true);
      DelegatedAdminRelationshipsService.assertPartnerSide(caller, row);
      requireIfMatch(ifMatch, relationshipTag(row));
      const fields = Object.keys(body);
      if (row.status === 'active') {
        if (fields.some((f) => f !== 'autoExtendDuration')) {
          throw new DomainError(
            'gdap.field_not_updatable',
            409,
            'Only autoExtendDuration can change once the relationship is active.',
          );
        }
      } else if (row.status !== 'created') {
        throw new DomainError(
          'gdap.invalid_status',
          409,
          `A relationship in status ${row.status} cannot be changed.`,
          { status: row.status },
        );
      }
      const before = snapshot(row);
      const roles = body.accessDetails
        ? body.accessDetails.unifiedRoles.map((r) => r.roleDefinitionId)
        : row.roles;
      const autoExtend = body.autoExtendDuration ?? row.autoExtendDuration;
      if (body.customer) {
        await this.requireCustomer(tx, caller.tenantId, body.customer.tenantId);
      }
      DelegatedAdminRelationshipsService.assertRolesSupported(roles);
      DelegatedAdminRelationshipsService.assertAutoExtend(roles, autoExtend);
      if (body.displayName !== undefined) {
        await this.assertNameFree(tx, caller.tenantId, body.displayName, row.id);
        row.displayName = body.displayName;
      }
      if (body.customer) {
        const customer = await this.requireCustomer(tx, caller.tenantId, body.customer.tenantId);
        row.customerTenantId = customer.customerId;
        row.customerName = customer.customerName;
      }
      if (body.duration !== undefined) row.duration = body.duration;
      row.roles = roles;
      row.autoExtendDuration = autoExtend;
      row.version += 1;
      row.updatedAt = new Date();
      await this.activityLog.record(tx, {
        type: 'delegated_admin_relationship.updated',
        tenantIds: tenantsOf(row),
        customerId: row.customerTenantId,
        resource: { type: 'delegated_admin_relationship', id: row.id },
        before,
        after: snapshot(row),
      });
      return toRelationshipResponse(row);
    });
  }

  /** `DELETE` (If-Match required) while `created` → 204. Errors: 404, 428, 412, 409 `gdap.invalid_status`. */
  async remove(caller: Caller, id: string, ifMatch: string | undefined): Promise<void> {
    await this.em.fork().transactional(async (tx) => {
      const row = await this.find(tx, caller, id, true);
      DelegatedAdminRelationshipsService.assertPartnerSide(caller, row);
      requireIfMatch(ifMatch, relationshipTag(row));
      if (row.status !== 'created') {
        throw new DomainError(
          'gdap.invalid_status',
          409,
          `Only a relationship in status created can be deleted; this one is ${row.status}.`,
          { status: row.status },
        );
      }
      await this.activityLog.record(tx, {
        type: 'delegated_admin_relationship.deleted',
        tenantIds: tenantsOf(row),
        customerId: row.customerTenantId,
        resource: { type: 'delegated_admin_relationship', id: row.id },
        before: snapshot(row),
      });
      await tx.nativeDelete(DelegatedAdminRelationshipRequest, { relationshipId: row.id });
      tx.remove(row);
    });
  }

  /** `GET …/{id}/requests`: the requests on a relationship the caller may see, oldest first. */
  async listRequests(caller: Caller, id: string): Promise<RelationshipRequestList> {
    const em = this.em.fork();
    const row = await this.find(em, caller, id);
    const requests = await em.find(
      DelegatedAdminRelationshipRequest,
      { relationshipId: row.id },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    );
    return {
      '@odata.context': this.url(
        `/v1/$metadata#tenantRelationships/delegatedAdminRelationships('${row.id}')/requests`,
      ),
      value: requests.map(toRequestResponse),
    };
  }

  /** `GET …/{id}/requests/{requestId}`. 404 `gdap.relationship_not_found`, `gdap.request_not_found`. */
  async getRequest(
    caller: Caller,
    id: string,
    requestId: string,
  ): Promise<RelationshipRequestResponse> {
    const em = this.em.fork();
    const row = await this.find(em, caller, id);
    const request = await em.findOne(DelegatedAdminRelationshipRequest, {
      id: requestId,
      relationshipId: row.id,
    });
    if (!request) {
      throw new DomainError('gdap.request_not_found', 404, 'The request was not found.');
    }
    return toRequestResponse(request);
  }

  /**
   * `POST …/{id}/requests` `{ action }` → 201 the request (`succeeded`) + `Location`. The partner:
   * `lockForApproval` (on `created`, customer named: → `approvalPending`, the customer's Global
   * admins emailed an approval link valid 90 days), `terminate` (on `active`/`expiring`). The
   * customer's Global admin: `approve`, `reject` (on `approvalPending`), `terminate`.
   * Errors: 404; 403 `gdap.action_not_allowed` (the other side's action); 409 `gdap.invalid_status`
   * (e.g. the second of two concurrent approvals); 422 `gdap.customer_required`,
   * `gdap.customer_not_found`; 503 when identity does not answer (nothing written).
   */
  async request(
    caller: Caller,
    id: string,
    action: RequestAction,
  ): Promise<Created<RelationshipRequestResponse>> {
    const visible = await this.find(this.em.fork(), caller, id);
    const side = DelegatedAdminRelationshipsService.sideOf(caller, visible);
    if (side === 'customer' && !caller.roles.includes('GlobalAdmin')) {
      // An indirect reseller's Admin agents hold gdap.request for its own relationships; on the
      // customer's side only a Global admin decides (Partner Center: the customer's Global admin).
      throw new DomainError(
        'gdap.action_not_allowed',
        403,
        "Only a Global admin of the organisation named as the relationship's customer can approve, reject or terminate it.",
      );
    }
    if (!ACTIONS_BY_SIDE[side].includes(action)) {
      throw new DomainError(
        'gdap.action_not_allowed',
        403,
        side === 'partner'
          ? `A partner can request lockForApproval or terminate, not ${action}.`
          : `A customer can approve, reject or terminate a relationship, not ${action}.`,
      );
    }
    let request: DelegatedAdminRelationshipRequest;
    switch (action) {
      case 'lockForApproval':
        request = await this.lockForApproval(caller, visible);
        break;
      case 'approve':
      case 'reject':
        request = await this.decide(caller, visible.id, action);
        break;
      case 'terminate':
        request = await this.terminate(caller, visible);
        break;
    }
    return {
      body: toRequestResponse(request),
      location: this.url(`${RELATIONSHIPS_PATH}/${id}/requests/${request.id}`),
    };
  }

  /** The enabled Global admins (customer) or Admin agents (partner) of a tenant, to email. */
  async recipients(tenantId: string, role: 'GlobalAdmin' | 'AdminAgent'): Promise<Recipient[]> {
    const { admins } = await this.rpc.send(PATTERNS.organizationAdmins, { tenantId, role });
    return admins.map((a) => ({ email: a.email, locale: a.locale }));
  }

  private async lockForApproval(
    caller: Caller,
    visible: DelegatedAdminRelationship,
  ): Promise<DelegatedAdminRelationshipRequest> {
    if (!visible.customerTenantId) {
      throw new DomainError(
        'gdap.customer_required',
        422,
        'Name the customer (PATCH customer.tenantId) before locking the relationship for approval.',
      );
    }
    const admins = await this.recipients(visible.customerTenantId, 'GlobalAdmin');
    return this.em.fork().transactional(async (tx) => {
      const row = await this.find(tx, caller, visible.id, true);
      if (row.status !== 'created') throw invalidStatus(row, 'lockForApproval');
      if (!row.customerTenantId)
        throw new DomainError('gdap.customer_required', 422, 'Name the customer first.');
      await this.requireCustomer(tx, row.partnerTenantId, row.customerTenantId);
      const now = new Date();
      const { token, hash } = newInvitationToken();
      const before = snapshot(row);
      row.status = 'approvalPending';
      row.approvalTokenHash = hash;
      row.approvalExpiresAt = new Date(now.getTime() + APPROVAL_DAYS * DAY_MS);
      touch(row, now);
      const request = persistNew(tx, new DelegatedAdminRelationshipRequest(), {
        relationshipId: row.id,
        action: 'lockForApproval',
        requestedByTenantId: caller.tenantId,
        createdAt: now,
        updatedAt: now,
      });
      for (const admin of admins) {
        // The page opens in the recipient's language (`lang`), as its email is written.
        const link = new URL(this.url('/invitations/delegated-admin-relationship'));
        link.searchParams.set('token', token);
        link.searchParams.set('lang', admin.locale);
        this.outbox.enqueueEmail(tx, {
          template: 'gdap-approval-request',
          to: admin.email,
          locale: admin.locale,
          data: {
            partnerName: row.partnerName,
            relationshipName: row.displayName,
            duration: row.duration,
            roles: rolesInWords(row.roles, admin.locale),
            expiresAt: row.approvalExpiresAt.toISOString(),
          },
          link: link.toString(),
          expiresAt: row.approvalExpiresAt,
        });
      }
      await this.activityLog.record(tx, {
        type: 'delegated_admin_relationship.approval_requested',
        tenantIds: tenantsOf(row),
        customerId: row.customerTenantId,
        resource: { type: 'delegated_admin_relationship', id: row.id },
        before,
        after: {
          ...snapshot(row),
          approvalExpiresAt: row.approvalExpiresAt.toISOString(),
          emailed: admins.length,
        },
      });
      return request;
    });
  }

  /**
   * The customer's Global admin approves or rejects an `approvalPending` relationship (API or the
   * link's page). Approval passes through `approved` and `activating` to `active` in one
   * transaction: `activatedDateTime` now, `endDateTime` = now + duration. Rejection ends it
   * (`terminated`, never active). The link dies either way. The row is locked first, so of two
   * concurrent decisions one wins and the other answers 409 `gdap.invalid_status`.
   */
  async decide(
    caller: Caller,
    id: string,
    action: 'approve' | 'reject',
  ): Promise<DelegatedAdminRelationshipRequest> {
    const visible = await this.find(this.em.fork(), caller, id);
    const agents = await this.recipients(visible.partnerTenantId, 'AdminAgent');
    return this.em.fork().transactional(async (tx) => {
      const row = await this.find(tx, caller, id, true);
      if (row.status !== 'approvalPending') throw invalidStatus(row, action);
      const now = new Date();
      const before = snapshot(row);
      row.approvalTokenHash = null;
      let assignmentsDeleted = 0;
      if (action === 'approve') {
        row.status = 'active';
        row.activatedAt = now;
        row.endAt = addGdapDuration(now, parseGdapDuration(row.duration)!);
        await activatePendingAssignments(tx, row.id, now);
      } else {
        row.status = 'terminated';
        assignmentsDeleted = await deleteLiveAssignments(tx, row.id, now);
      }
      touch(row, now);
      const request = persistNew(tx, new DelegatedAdminRelationshipRequest(), {
        relationshipId: row.id,
        action,
        requestedByTenantId: caller.tenantId,
        createdAt: now,
        updatedAt: now,
      });
      for (const agent of agents) {
        if (action === 'approve') {
          this.outbox.enqueueEmail(tx, {
            template: 'gdap-approved',
            to: agent.email,
            locale: agent.locale,
            data: {
              customerName: row.customerName ?? '',
              relationshipName: row.displayName,
              approvedAt: now.toISOString(),
              endDateTime: row.endAt!.toISOString(),
            },
          });
        } else {
          this.outbox.enqueueEmail(tx, {
            template: 'gdap-rejected',
            to: agent.email,
            locale: agent.locale,
            data: {
              customerName: row.customerName ?? '',
              relationshipName: row.displayName,
              rejectedAt: now.toISOString(),
            },
          });
        }
      }
      await this.activityLog.record(tx, {
        type:
          action === 'approve'
            ? 'delegated_admin_relationship.approved'
            : 'delegated_admin_relationship.rejected',
        tenantIds: tenantsOf(row),
        customerId: row.customerTenantId,
        resource: { type: 'delegated_admin_relationship', id: row.id },
        before,
        after: { ...snapshot(row), ...(action === 'reject' ? { assignmentsDeleted } : {}) },
        actor: {
          userId: caller.userId,
          tenantId: caller.tenantId,
          email: caller.email,
          tenantKind: caller.tenantKind,
        },
      });
      return request;
    });
  }

  private async terminate(
    caller: Caller,
    visible: DelegatedAdminRelationship,
  ): Promise<DelegatedAdminRelationshipRequest> {
    const [agents, admins] = await Promise.all([
      this.recipients(visible.partnerTenantId, 'AdminAgent'),
      visible.customerTenantId ? this.recipients(visible.customerTenantId, 'GlobalAdmin') : [],
    ]);
    return this.em.fork().transactional(async (tx) => {
      const row = await this.find(tx, caller, visible.id, true);
      if (row.status !== 'active' && row.status !== 'expiring') {
        throw invalidStatus(row, 'terminate');
      }
      const now = new Date();
      const before = snapshot(row);
      // terminationRequested → terminating → terminated, in this transaction: the access
      // assignments are removed with it (deleting → deleted), so none stays active.
      row.status = 'terminated';
      const assignmentsDeleted = await deleteLiveAssignments(tx, row.id, now);
      touch(row, now);
      const request = persistNew(tx, new DelegatedAdminRelationshipRequest(), {
        relationshipId: row.id,
        action: 'terminate',
        requestedByTenantId: caller.tenantId,
        createdAt: now,
        updatedAt: now,
      });
      for (const to of [...agents, ...admins]) {
        this.outbox.enqueueEmail(tx, {
          template: 'gdap-terminated',
          to: to.email,
          locale: to.locale,
          data: {
            partnerName: row.partnerName,
            customerName: row.customerName ?? '',
            relationshipName: row.displayName,
            terminatedAt: now.toISOString(),
            terminatedBy: DelegatedAdminRelationshipsService.sideOf(caller, row),
          },
        });
      }
      await this.activityLog.record(tx, {
        type: 'delegated_admin_relationship.terminated',
        tenantIds: tenantsOf(row),
        customerId: row.customerTenantId,
        resource: { type: 'delegated_admin_relationship', id: row.id },
        before,
        after: {
          ...snapshot(row),
          terminatedBy: DelegatedAdminRelationshipsService.sideOf(caller, row),
          assignmentsDeleted,
        },
      });
      return request;
    });
  }

  /**
   * What the approval link's page shows (changes nothing): the partner, the relationship's name,
   * duration and roles in plain words (in `locale`), and the customer.
   * @throws 404 `gdap.approval_link_invalid` (unknown or used token), 410
   *   `gdap.approval_link_expired` (90 days passed).
   */
  async preview(token: string, locale: Locale = 'en'): Promise<ApprovalPreview> {
    const row = await this.byToken(token);
    return {
      partnerName: row.partnerName,
      customerName: row.customerName ?? '',
      displayName: row.displayName,
      duration: row.duration,
      roles: rolesInWords(row.roles, locale),
      expiresAt: row.approvalExpiresAt?.toISOString() ?? '',
    };
  }

  /**
   * The link page's decision, by a signed-in Global admin of the named customer.
   * @throws as `preview`; 403 `gdap.wrong_organization` for anyone of another organisation; 409
   *   `gdap.invalid_status` when decided meanwhile.
   */
  async decideByToken(
    caller: Caller,
    token: string,
    action: 'approve' | 'reject',
  ): Promise<ApprovalPreview & { action: 'approve' | 'reject' }> {
    const row = await this.byToken(token);
    if (caller.tenantId !== row.customerTenantId || !caller.roles.includes('GlobalAdmin')) {
      throw new DomainError(
        'gdap.wrong_organization',
        403,
        "Only a Global admin of the customer's organisation named in the request can decide on it.",
      );
    }
    const preview = await this.preview(token);
    await this.decide(caller, row.id, action);
    return { ...preview, action };
  }

  private async byToken(token: string): Promise<DelegatedAdminRelationship> {
    const row = await this.em
      .fork()
      .findOne(DelegatedAdminRelationship, { approvalTokenHash: hashToken(token) });
    if (!row || row.status !== 'approvalPending') {
      throw new DomainError(
        'gdap.approval_link_invalid',
        404,
        'This approval link is not valid or was already used.',
      );
    }
    if (row.approvalExpiresAt && row.approvalExpiresAt.getTime() <= Date.now()) {
      throw new DomainError('gdap.approval_link_expired', 410, 'This approval link has expired.');
    }
    return row;
  }
}

/** What the approval page shows. */
export interface ApprovalPreview {
  partnerName: string;
  customerName: string;
  displayName: string;
  duration: string;
  roles: { name: string; description: string }[];
  expiresAt: string;
}

/** The organisations a relationship's changes concern (both read each entry). */
export function tenantsOf(row: DelegatedAdminRelationship): string[] {
  return row.customerTenantId ? [row.partnerTenantId, row.customerTenantId] : [row.partnerTenantId];
}

/** The fields an activity-log entry shows before and after a change (never the token). */
export function snapshot(row: DelegatedAdminRelationship): Record<string, unknown> {
  return {
    displayName: row.displayName,
    duration: row.duration,
    customerTenantId: row.customerTenantId,
    roles: row.roles,
    autoExtendDuration: row.autoExtendDuration,
    status: row.status,
    endDateTime: iso(row.endAt),
  };
}

function touch(row: DelegatedAdminRelationship, now: Date): void {
  row.version += 1;
  row.updatedAt = now;
}

function invalidStatus(row: DelegatedAdminRelationship, action: string): DomainError {
  return new DomainError(
    'gdap.invalid_status',
    409,
    `The relationship is ${row.status}: ${action} is not possible now.`,
    { status: row.status },
  );
}

/** `entity` with `fields` set, persisted in `em` (written at the transaction's flush). */
function persistNew<T extends object>(em: EntityManager, entity: T, fields: Partial<T>): T {
  Object.assign(entity, fields);
  em.persist(entity);
  return entity;
}

function camel(column: string): string {
  return column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}
