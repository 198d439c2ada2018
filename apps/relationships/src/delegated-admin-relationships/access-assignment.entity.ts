import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/**
 * Graph's `delegatedAdminAccessAssignment.status` values this service writes (Graph lists also
 * `error` and `unknownFutureValue`). `deleting` is passed within the transaction of the removal:
 * rows rest in `pending`, `active` and `deleted`.
 */
export const ASSIGNMENT_STATUSES = ['pending', 'active', 'deleting', 'deleted'] as const;
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];

/**
 * An access assignment on a delegated admin relationship (GDAP, issue 10 part 2; Graph
 * `delegatedAdminAccessAssignment`, ../shared/reference/partner-center-api.md §12.3): one security
 * group of the partner (identity's, by id: `groupId`) holds a subset of the relationship's roles.
 * `pending` while the relationship is not active yet; `active` from the approval (or at once on an
 * active relationship); `deleted` once removed (kept, readable, never reused). One live (not
 * deleted) assignment per group and relationship (`delegated_admin_access_assignment_group_uq`).
 * `version` makes the entity tag.
 */
@Entity({ tableName: 'delegated_admin_access_assignment' })
@Index({
  name: 'delegated_admin_access_assignment_relationship_idx',
  properties: ['relationshipId'],
})
export class DelegatedAdminAccessAssignment {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  relationshipId!: string;

  @Property({ type: 'uuid' })
  partnerTenantId!: string;

  /** `accessContainer.accessContainerId`: a security group of the partner (identity). */
  @Property({ type: 'uuid' })
  groupId!: string;

  /** Entra role template ids, a subset of the relationship's. */
  @Property({ type: 'jsonb' })
  roles!: string[];

  @Property({ type: 'text' })
  status: AssignmentStatus = 'pending';

  @Property({ type: 'integer' })
  version: number = 1;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  updatedAt: Date = new Date();
}

/** Graph `delegatedAdminRelationshipOperation.status`. */
export type OperationStatus = 'notStarted' | 'running' | 'succeeded' | 'failed';

/**
 * A long-running operation on a relationship (Graph `delegatedAdminRelationshipOperation`, §12.4):
 * the change of an access assignment's roles (`PATCH` answers 202 with its `Location`). The change
 * is carried out in the transaction that writes the operation, so it is written `succeeded`.
 * `data` is Graph's string payload: the JSON of `{ accessAssignmentId, accessDetails }`.
 */
@Entity({ tableName: 'delegated_admin_relationship_operation' })
@Index({
  name: 'delegated_admin_relationship_operation_relationship_idx',
  properties: ['relationshipId'],
})
export class DelegatedAdminRelationshipOperation {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  relationshipId!: string;

  @Property({ type: 'text' })
  operationType = 'delegatedAdminAccessAssignmentUpdate' as const;

  @Property({ type: 'text' })
  data!: string;

  @Property({ type: 'text' })
  status: OperationStatus = 'succeeded';

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  updatedAt: Date = new Date();
}
