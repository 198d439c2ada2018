import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Caller } from '@app/auth';
import { GdapAccessRequestSchema, PATTERNS, RpcResponse } from '@app/contracts';
import { DomainError, RpcClient, entityTag, requireIfMatch } from '@app/platform';
import { z } from 'zod';
import { ActivityLogService } from '../activity-log/activity-log.service';
import { APP_CONFIG, RelationshipsConfig } from '../config/relationships.config';
import {
  DelegatedAdminAccessAssignment,
  DelegatedAdminRelationshipOperation,
} from './access-assignment.entity';
import { DelegatedAdminRelationship } from './delegated-admin-relationship.entity';
import {
  AssignmentList,
  AssignmentResponse,
  CreateAssignmentDto,
  ListAssignmentsQuery,
  OperationList,
  OperationResponse,
  UpdateAssignmentDto,
} from './dto/access-assignment.dto';

/** The Graph-shaped route of the relationships (same as part 1's). */
const RELATIONSHIPS_PATH = '/v1/tenantRelationships/delegatedAdminRelationships';
/** Default `$top`. */
const DEFAULT_TOP = 100;
/** Seconds a client should wait before reading an operation (Graph answers 10). */
export const OPERATION_RETRY_AFTER_SECONDS = 10;

/** Relationship statuses on which an assignment may be created or changed (not ended). */
const OPEN: readonly string[] = ['created', 'approvalPending', 'active', 'expiring'];
/** Relationship statuses in which the relationship gives access. */
const EFFECTIVE: readonly string[] = ['active', 'expiring'];

/** The assignment's entity tag (`@odata.etag`). */
export function assignmentTag(row: DelegatedAdminAccessAssignment): string {
  return entityTag(row.id, row.version);
}

function toAssignmentResponse(row: DelegatedAdminAccessAssignment): AssignmentResponse {
  return {
    '@odata.etag': `W/"${assignmentTag(row)}"`,
    id: row.id,
    status: row.status,
    createdDateTime: row.createdAt.toISOString(),
    lastModifiedDateTime: row.updatedAt.toISOString(),
    accessContainer: { accessContainerId: row.groupId, accessContainerType: 'securityGroup' },
    accessDetails: { unifiedRoles: row.roles.map((roleDefinitionId) => ({ roleDefinitionId })) },
  };
}

function toOperationResponse(row: DelegatedAdminRelationshipOperation): OperationResponse {
  return {
    id: row.id,
    operationType: row.operationType,
    data: row.data,
    status: row.status,
    createdDateTime: row.createdAt.toISOString(),
    lastModifiedDateTime: row.updatedAt.toISOString(),
  };
}

const relationshipNotFound = () =>
  new DomainError(
    'gdap.relationship_not_found',
    404,
    'The delegated admin relationship was not found.',
  );
const assignmentNotFound = () =>
  new DomainError('gdap.assignment_not_found', 404, 'The access assignment was not found.');

/** What a PATCH did: the unchanged assignment (200), or the operation that changed it (202). */
export type AssignmentUpdate =
  | { changed: false; body: AssignmentResponse }
  | { changed: true; location: string; retryAfterSeconds: number };

/**
 * Access assignments of delegated admin relationships (GDAP, issue 10 part 2; Graph
 * `delegatedAdminAccessAssignment`, ../shared/reference/partner-center-api.md §12.3): a security
 * group of the partner holds a subset of a relationship's roles. Only the partner's side reaches
 * them (Graph: the partner tenant manages its access); a customer, another partner or an id that
 * exists nowhere answers 404 `gdap.relationship_not_found`.
 *
 * Status: an assignment created on a relationship that is not active yet (`created`,
 * `approvalPending`) is `pending` and turns `active` in the transaction of the customer's approval
 * (`activatePending`); one created on an active relationship is written `active` at once (nothing
 * is provisioned between the two). Removal passes `deleting` to `deleted` in its transaction; a
 * deleted assignment stays readable. A change of roles is an operation (`…/operations/{id}`) carried
 * out in the transaction that writes it (`succeeded`). Every change is one activity-log entry read
 * by both organisations.
 */
@Injectable()
export class AccessAssignmentsService {
  constructor(
    private readonly em: EntityManager,
    private readonly activityLog: ActivityLogService,
    private readonly rpc: RpcClient,
    @Inject(APP_CONFIG) private readonly config: Pick<RelationshipsConfig, 'PUBLIC_URL'>,
  ) {}

  private url(path: string): string {
    return `${this.config.PUBLIC_URL}${path}`;
  }

  /** The caller's (partner's) relationship. 404 otherwise. */
  private async relationship(
    em: EntityManager,
    caller: Caller,
    id: string,
    lock = false,
  ): Promise<DelegatedAdminRelationship> {
    if (caller.tenantKind !== 'partner') throw relationshipNotFound();
    const row = await em.findOne(
      DelegatedAdminRelationship,
      { id, partnerTenantId: caller.tenantId },
      lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {},
    );
    if (!row) throw relationshipNotFound();
    return row;
  }

  private async assignment(
    em: EntityManager,
    relationshipId: string,
    assignmentId: string,
  ): Promise<DelegatedAdminAccessAssignment> {
    const row = await em.findOne(DelegatedAdminAccessAssignment, {
      id: assignmentId,
      relationshipId,
    });
    if (!row) throw assignmentNotFound();
    return row;
  }

  /** @throws 400 `gdap.role_not_in_relationship` naming the roles the relationship lacks. */
  private static assertSubset(relationship: DelegatedAdminRelationship, roles: string[]): void {
    const outside = roles.filter((r) => !relationship.roles.includes(r));
    if (outside.length > 0) {
      throw new DomainError(
        'gdap.role_not_in_relationship',
        400,
        `accessDetails.unifiedRoles must be a subset of the relationship's roles; not in it: ${outside.join(', ')}.`,
        { roleDefinitionIds: outside },
      );
    }
  }

  private static assertOpen(relationship: DelegatedAdminRelationship): void {
    if (!OPEN.includes(relationship.status)) {
      throw new DomainError(
        'gdap.invalid_status',
        409,
        `The relationship is ${relationship.status}: its access assignments cannot change.`,
        { status: relationship.status },
      );
    }
  }

  private record(
    tx: EntityManager,
    type:
      | 'delegated_admin_access_assignment.created'
      | 'delegated_admin_access_assignment.updated'
      | 'delegated_admin_access_assignment.deleted',
    relationship: DelegatedAdminRelationship,
    row: DelegatedAdminAccessAssignment,
    before: Record<string, unknown> | undefined,
  ) {
    return this.activityLog.record(tx, {
      type,
      tenantIds: relationship.customerTenantId
        ? [relationship.partnerTenantId, relationship.customerTenantId]
        : [relationship.partnerTenantId],
      customerId: relationship.customerTenantId,
      resource: { type: 'gdap_access_assignment', id: row.id },
      before,
      after: {
        relationshipId: relationship.id,
        groupId: row.groupId,
        roles: row.roles,
        status: row.status,
      },
    });
  }

  /**
   * `POST …/{id}/accessAssignments` → 201 the assignment + `Location`. The group is checked with
   * identity first (`identity.security-groups.get`, outside any transaction). Errors: 404; 422
   * `gdap.security_group_not_found` (another organisation's group and one that exists nowhere
   * alike); 400 `gdap.role_not_in_relationship`; 409 `gdap.assignment_exists` (the group already
   * holds a live assignment on it), `gdap.invalid_status` (ended relationship); 503 when identity
   * does not answer (nothing written).
   */
  async create(
    caller: Caller,
    id: string,
    body: CreateAssignmentDto,
  ): Promise<{ body: AssignmentResponse; location: string }> {
    await this.relationship(this.em.fork(), caller, id);
    const group = await this.rpc.send(PATTERNS.securityGroupGet, {
      tenantId: caller.tenantId,
      groupId: body.accessContainer.accessContainerId,
    });
    if (!group.exists) {
      throw new DomainError(
        'gdap.security_group_not_found',
        422,
        'accessContainer.accessContainerId names no security group of your organisation.',
      );
    }
    const roles = body.accessDetails.unifiedRoles.map((r) => r.roleDefinitionId);
    const row = await this.em.fork().transactional(async (tx) => {
      const relationship = await this.relationship(tx, caller, id, true);
      AccessAssignmentsService.assertOpen(relationship);
      AccessAssignmentsService.assertSubset(relationship, roles);
      const live = await tx.count(DelegatedAdminAccessAssignment, {
        relationshipId: id,
        groupId: body.accessContainer.accessContainerId,
        status: { $ne: 'deleted' },
      });
      if (live > 0) {
        throw new DomainError(
          'gdap.assignment_exists',
          409,
          'This security group already has an access assignment on the relationship: change its roles instead.',
        );
      }
      const now = new Date();
      const created = Object.assign(new DelegatedAdminAccessAssignment(), {
        relationshipId: id,
        partnerTenantId: caller.tenantId,
        groupId: body.accessContainer.accessContainerId,
        roles,
        status: EFFECTIVE.includes(relationship.status) ? 'active' : 'pending',
        createdAt: now,
        updatedAt: now,
      });
      tx.persist(created);
      await this.record(
        tx,
        'delegated_admin_access_assignment.created',
        relationship,
        created,
        undefined,
      );
      return created;
    });
    return {
      body: toAssignmentResponse(row),
      location: this.url(`${RELATIONSHIPS_PATH}/${id}/accessAssignments/${row.id}`),
    };
  }

  /** `GET …/{id}/accessAssignments` (Graph list: `$top`, `$filter` on status, `$skipToken`). */
  async list(caller: Caller, id: string, query: ListAssignmentsQuery): Promise<AssignmentList> {
    const em = this.em.fork();
    await this.relationship(em, caller, id);
    const top = query.$top ?? DEFAULT_TOP;
    const offset = query.$skipToken ?? 0;
    const rows = await em.find(
      DelegatedAdminAccessAssignment,
      { relationshipId: id, ...(query.$filter ? { status: query.$filter } : {}) },
      { orderBy: { createdAt: 'asc', id: 'asc' }, limit: top + 1, offset },
    );
    const result: AssignmentList = {
      '@odata.context': this.url(
        `/v1/$metadata#tenantRelationships/delegatedAdminRelationships('${id}')/accessAssignments`,
      ),
      value: rows.slice(0, top).map(toAssignmentResponse),
    };
    if (rows.length > top) {
      const next = new URL(this.url(`${RELATIONSHIPS_PATH}/${id}/accessAssignments`));
      next.searchParams.set('$top', String(top));
      if (query.$filter) next.searchParams.set('$filter', `status eq '${query.$filter}'`);
      next.searchParams.set('$skipToken', String(offset + top));
      result['@odata.nextLink'] = next.toString();
    }
    return result;
  }

  /** `GET …/{id}/accessAssignments/{assignmentId}`. 404 `gdap.assignment_not_found`. */
  async get(caller: Caller, id: string, assignmentId: string): Promise<AssignmentResponse> {
    const em = this.em.fork();
    await this.relationship(em, caller, id);
    return toAssignmentResponse(await this.assignment(em, id, assignmentId));
  }

  /**
   * `PATCH …/{id}/accessAssignments/{assignmentId}` `{ accessDetails }` (If-Match required): the
   * same roles → 200 the unchanged assignment (nothing written); other roles → an operation
   * (`succeeded`: carried out in this transaction), answered 202 with its `Location` and
   * `Retry-After`. Errors: 404; 428, 412; 400 `gdap.role_not_in_relationship`; 409
   * `gdap.invalid_status` (ended relationship, deleted assignment).
   */
  async update(
    caller: Caller,
    id: string,
    assignmentId: string,
    ifMatch: string | undefined,
    body: UpdateAssignmentDto,
  ): Promise<AssignmentUpdate> {
    const roles = body.accessDetails.unifiedRoles.map((r) => r.roleDefinitionId);
    return this.em.fork().transactional(async (tx): Promise<AssignmentUpdate> => {
      const relationship = await this.relationship(tx, caller, id, true);
      const row = await this.assignment(tx, id, assignmentId);
      requireIfMatch(ifMatch, assignmentTag(row));
      if (row.status === 'deleted' || row.status === 'deleting') {
        throw new DomainError(
          'gdap.invalid_status',
          409,
          'The access assignment was deleted: it cannot change.',
          { status: row.status },
        );
      }
      AccessAssignmentsService.assertOpen(relationship);
      AccessAssignmentsService.assertSubset(relationship, roles);
      const same = roles.length === row.roles.length && roles.every((r) => row.roles.includes(r));
      if (same) return { changed: false, body: toAssignmentResponse(row) };
      const now = new Date();
      const before = { roles: row.roles };
      row.roles = roles;
      row.version += 1;
      row.updatedAt = now;
      const operation = Object.assign(new DelegatedAdminRelationshipOperation(), {
        relationshipId: id,
        data: JSON.stringify({
          accessAssignmentId: row.id,
          accessDetails: { unifiedRoles: roles.map((roleDefinitionId) => ({ roleDefinitionId })) },
        }),
        status: 'succeeded' as const,
        createdAt: now,
        updatedAt: now,
      });
      tx.persist(operation);
      await this.record(tx, 'delegated_admin_access_assignment.updated', relationship, row, before);
      return {
        changed: true,
        location: this.url(`${RELATIONSHIPS_PATH}/${id}/operations/${operation.id}`),
        retryAfterSeconds: OPERATION_RETRY_AFTER_SECONDS,
      };
    });
  }

  /**
   * `DELETE …/{id}/accessAssignments/{assignmentId}` (If-Match required) → 204: `deleting` →
   * `deleted` in this transaction; the group's members lose the access from the next call on.
   * Errors: 404; 428, 412; 409 `gdap.invalid_status` (already deleted).
   */
  async remove(
    caller: Caller,
    id: string,
    assignmentId: string,
    ifMatch: string | undefined,
  ): Promise<void> {
    await this.em.fork().transactional(async (tx) => {
      const relationship = await this.relationship(tx, caller, id, true);
      const row = await this.assignment(tx, id, assignmentId);
      requireIfMatch(ifMatch, assignmentTag(row));
      if (row.status === 'deleted' || row.status === 'deleting') {
        throw new DomainError(
          'gdap.invalid_status',
          409,
          'The access assignment is already deleted.',
          {
            status: row.status,
          },
        );
      }
      const before = { status: row.status };
      // deleting → deleted: nothing to deprovision outside this transaction.
      row.status = 'deleted';
      row.version += 1;
      row.updatedAt = new Date();
      await this.record(tx, 'delegated_admin_access_assignment.deleted', relationship, row, before);
    });
  }

  /** `GET …/{id}/operations`: the relationship's operations, oldest first. */
  async listOperations(caller: Caller, id: string): Promise<OperationList> {
    const em = this.em.fork();
    await this.relationship(em, caller, id);
    const rows = await em.find(
      DelegatedAdminRelationshipOperation,
      { relationshipId: id },
      { orderBy: { createdAt: 'asc', id: 'asc' }, limit: 300 },
    );
    return {
      '@odata.context': this.url(
        `/v1/$metadata#tenantRelationships/delegatedAdminRelationships('${id}')/operations`,
      ),
      value: rows.map(toOperationResponse),
    };
  }

  /** `GET …/{id}/operations/{operationId}`. 404 `gdap.operation_not_found`. */
  async getOperation(caller: Caller, id: string, operationId: string): Promise<OperationResponse> {
    const em = this.em.fork();
    await this.relationship(em, caller, id);
    const row = await em.findOne(DelegatedAdminRelationshipOperation, {
      id: operationId,
      relationshipId: id,
    });
    if (!row)
      throw new DomainError('gdap.operation_not_found', 404, 'The operation was not found.');
    return toOperationResponse(row);
  }

  /**
   * `relationships.gdap.access` (identity, on every delegated call): the roles the given groups
   * hold now in the customer's organisation through the partner's relationships with it that are
   * active (or expiring) and not past `endDateTime`, by active assignments; `related`: the partner
   * has a relationship with the customer that the customer has seen (from `approvalPending` on,
   * ended ones included). Read-only, uncached.
   */
  async access(
    req: z.infer<typeof GdapAccessRequestSchema>,
  ): Promise<RpcResponse<typeof PATTERNS.gdapAccess>> {
    const em = this.em.fork();
    const rows =
      req.groupIds.length === 0
        ? []
        : await em.execute<{ relationship_id: string; roles: string[] }[]>(
            `select a."relationship_id", a."roles"
               from "delegated_admin_access_assignment" a
               join "delegated_admin_relationship" r on r."id" = a."relationship_id"
              where r."partner_tenant_id" = ? and r."customer_tenant_id" = ?
                and r."status" in ('active', 'expiring') and r."end_at" > now()
                and a."status" = 'active' and a."group_id" = any(?::uuid[])`,
            [req.partnerTenantId, req.customerTenantId, `{${req.groupIds.join(',')}}`],
          );
    const roles = [...new Set(rows.flatMap((r) => r.roles))];
    const best = [...rows].sort((a, b) => b.roles.length - a.roles.length)[0];
    const [related] = await em.execute<{ related: boolean }[]>(
      `select exists (select 1 from "delegated_admin_relationship"
                       where "partner_tenant_id" = ? and "customer_tenant_id" = ? and "status" <> 'created')
           as "related"`,
      [req.partnerTenantId, req.customerTenantId],
    );
    return {
      related: related?.related ?? false,
      roles,
      ...(best ? { relationshipId: best.relationship_id } : {}),
    };
  }
}

/**
 * In the transaction that activates relationship `relationshipId` (the customer's approval): its
 * `pending` assignments turn `active`.
 */
export async function activatePendingAssignments(
  tx: EntityManager,
  relationshipId: string,
  now: Date,
): Promise<void> {
  await tx.execute(
    `update "delegated_admin_access_assignment"
        set "status" = 'active', "version" = "version" + 1, "updated_at" = ?
      where "relationship_id" = ? and "status" = 'pending'`,
    [now, relationshipId],
  );
}

/**
 * In the transaction that ends relationship `relationshipId` (termination, rejection, expiry at
 * `endDateTime` or of an approval never given): every assignment not yet deleted passes `deleting`
 * and rests `deleted` (Graph: an ended relationship's access assignments are removed), so none is
 * left `active` or `pending`. @returns how many assignments it deleted.
 */
export async function deleteLiveAssignments(
  tx: EntityManager,
  relationshipId: string,
  now: Date,
): Promise<number> {
  // deleting → deleted: nothing to deprovision outside this transaction.
  const rows = await tx.execute<{ id: string }[]>(
    `update "delegated_admin_access_assignment"
        set "status" = 'deleted', "version" = "version" + 1, "updated_at" = ?
      where "relationship_id" = ? and "status" <> 'deleted'
      returning "id"`,
    [now, relationshipId],
  );
  return rows.length;
}
