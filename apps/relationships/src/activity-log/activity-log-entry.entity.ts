import { ArrayType, Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import type { AuditActor, AuditEvent } from '@app/contracts';
import { randomUUID } from 'node:crypto';

/**
 * One audit event of the platform's one trail (DESIGN.md "Activity log", issue 14): the
 * `AuditEvent` of `@app/contracts` (id, occurredAt, type, actor, tenantIds, resource, before, after,
 * requestId, correlationId, source), one row per event id. Written in the transaction of the change
 * (relationships' own events) or appended from identity's `audit.recorded` jobs.
 *
 * Besides the event: `customerId` (the customer organisation the event concerns, for the
 * `customerId` filter) and `actorUserPrincipalName` (the acting user's sign-in name, shown as the
 * AuditRecord's `userPrincipalName`) are display and index columns derived when the entry is
 * written; they are not part of the event and not covered by its hash. `chained` says whether
 * the chainer has linked the entry into its organisations' hash chains (`activity_log_chain`).
 */
@Entity({ tableName: 'activity_log_entry' })
@Index({ name: 'activity_log_entry_occurred_idx', properties: ['occurredAt', 'id'] })
export class ActivityLogEntry {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  occurredAt: Date = new Date();

  @Property({ type: 'text' })
  type!: string;

  @Property({ type: 'text' })
  actorKind!: AuditActor['kind'];

  @Property({ type: 'uuid', nullable: true })
  actorUserId: string | null = null;

  @Property({ type: 'uuid', nullable: true })
  actorTenantId: string | null = null;

  @Property({ type: 'uuid', nullable: true })
  actorOnBehalfOfTenantId: string | null = null;

  @Property({ type: 'text', nullable: true })
  actorUserPrincipalName: string | null = null;

  @Property({ type: ArrayType, columnType: 'uuid[]' })
  tenantIds!: string[];

  @Property({ type: 'text' })
  resourceType!: string;

  @Property({ type: 'text' })
  resourceId!: string;

  @Property({ type: 'uuid', nullable: true })
  customerId: string | null = null;

  @Property({ type: 'json', nullable: true })
  before: unknown = null;

  @Property({ type: 'json', nullable: true })
  after: unknown = null;

  @Property({ type: 'text', nullable: true })
  requestId: string | null = null;

  @Property({ type: 'text', nullable: true })
  correlationId: string | null = null;

  @Property({ type: 'text' })
  source!: AuditEvent['source'];

  @Property({ type: 'boolean', default: false })
  chained: boolean = false;
}

/** The event an entry stores (what the hash chain covers and the export prints). */
export function auditEventOf(entry: ActivityLogEntry): AuditEvent {
  return {
    id: entry.id,
    occurredAt: entry.occurredAt.toISOString(),
    type: entry.type as AuditEvent['type'],
    actor: {
      kind: entry.actorKind,
      userId: entry.actorUserId,
      tenantId: entry.actorTenantId,
      onBehalfOfTenantId: entry.actorOnBehalfOfTenantId,
    },
    tenantIds: entry.tenantIds,
    resource: { type: entry.resourceType, id: entry.resourceId },
    before: entry.before ?? null,
    after: entry.after ?? null,
    requestId: entry.requestId,
    correlationId: entry.correlationId,
    source: entry.source,
  };
}
