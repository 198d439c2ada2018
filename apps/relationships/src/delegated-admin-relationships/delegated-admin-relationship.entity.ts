import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/**
 * Graph's `delegatedAdminRelationship.status` values this service writes (Graph lists also
 * `unknownFutureValue`). `approved`, `activating`, `terminationRequested` and `terminating` are
 * passed through inside the transaction of the approval or the termination (nothing is provisioned
 * in between until part 2 adds access assignments), so rows rest in the others.
 */
export const RELATIONSHIP_STATUSES = [
  'created',
  'approvalPending',
  'approved',
  'activating',
  'active',
  'expiring',
  'expired',
  'terminationRequested',
  'terminating',
  'terminated',
] as const;
export type RelationshipStatus = (typeof RELATIONSHIP_STATUSES)[number];

/**
 * A delegated admin relationship (GDAP, issue 10; Graph `delegatedAdminRelationship`,
 * ../shared/reference/partner-center-api.md §12.1): a partner's time-bound, role-scoped access to
 * one customer's organisation, approved by the customer's Global admin. `displayName` is unique
 * among the partner's relationships (case-insensitive, index `delegated_admin_relationship_name_uq`).
 * `version` grows with every change and makes the entity tag. The approval link's token is kept
 * only as its SHA-256 hash (`approvalTokenHash`, cleared once used); `approvalExpiresAt` is 90 days
 * after the lock for approval. `notice7SentAt` / `notice1SentAt` claim the 7- and 1-day expiry
 * notices (the 30-day notice goes with the move to `expiring`).
 */
@Entity({ tableName: 'delegated_admin_relationship' })
@Index({ name: 'delegated_admin_relationship_partner_idx', properties: ['partnerTenantId'] })
@Index({ name: 'delegated_admin_relationship_customer_idx', properties: ['customerTenantId'] })
export class DelegatedAdminRelationship {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  partnerTenantId!: string;

  @Property({ type: 'text' })
  partnerName!: string;

  /** Null while the partner has not named the customer (Graph: customer optional on create). */
  @Property({ type: 'uuid', nullable: true })
  customerTenantId: string | null = null;

  @Property({ type: 'text', nullable: true })
  customerName: string | null = null;

  @Property({ type: 'text' })
  displayName!: string;

  /** ISO 8601, as given (`P730D`, `P2Y`, `P1W`). */
  @Property({ type: 'text' })
  duration!: string;

  /** Entra role template ids (`accessDetails.unifiedRoles[].roleDefinitionId`). */
  @Property({ type: 'jsonb' })
  roles!: string[];

  /** `PT0S`, `P0D` or `P180D`. */
  @Property({ type: 'text' })
  autoExtendDuration: string = 'PT0S';

  @Property({ type: 'text' })
  status: RelationshipStatus = 'created';

  @Property({ type: 'integer' })
  version: number = 1;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  updatedAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  activatedAt: Date | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  endAt: Date | null = null;

  @Property({ type: 'text', nullable: true })
  approvalTokenHash: string | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  approvalExpiresAt: Date | null = null;

  @Property({
    type: 'datetime',
    columnType: 'timestamptz',
    nullable: true,
    fieldName: 'notice7_sent_at',
  })
  notice7SentAt: Date | null = null;

  @Property({
    type: 'datetime',
    columnType: 'timestamptz',
    nullable: true,
    fieldName: 'notice1_sent_at',
  })
  notice1SentAt: Date | null = null;
}

/** Graph `delegatedAdminRelationshipRequest.action`. */
export const REQUEST_ACTIONS = ['lockForApproval', 'approve', 'reject', 'terminate'] as const;
export type RequestAction = (typeof REQUEST_ACTIONS)[number];
/** Graph `delegatedAdminRelationshipRequest.status`. */
export type RequestStatus = 'created' | 'pending' | 'succeeded' | 'failed';

/**
 * A request on a delegated admin relationship (Graph `delegatedAdminRelationshipRequest`, §12.2):
 * the partner's `lockForApproval` and `terminate`, the customer's `approve` and `reject`. Every
 * request this service accepts is carried out in its own transaction, so it is written
 * `succeeded`; a `lockForApproval` whose approval was never given within 90 days becomes `failed`.
 */
@Entity({ tableName: 'delegated_admin_relationship_request' })
@Index({
  name: 'delegated_admin_relationship_request_relationship_idx',
  properties: ['relationshipId'],
})
export class DelegatedAdminRelationshipRequest {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  relationshipId!: string;

  @Property({ type: 'text' })
  action!: RequestAction;

  @Property({ type: 'text' })
  status: RequestStatus = 'succeeded';

  /** The organisation whose user made the request. */
  @Property({ type: 'uuid' })
  requestedByTenantId!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  updatedAt: Date = new Date();
}
