import { ArrayType, Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/**
 * One state change (DESIGN.md "Activity log"): who (`actorUserId` of `actorTenantId`), which
 * tenants it concerns (`tenantIds`: each of them can list it), what (`action` on
 * `subjectType`/`subjectId`), when (`occurredAt`), and the state before and after.
 */
@Entity({ tableName: 'activity_log_entry' })
@Index({ name: 'activity_log_entry_occurred_idx', properties: ['occurredAt', 'id'] })
export class ActivityLogEntry {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  occurredAt: Date = new Date();

  @Property({ type: 'uuid', nullable: true })
  actorUserId: string | null = null;

  @Property({ type: 'uuid' })
  actorTenantId!: string;

  @Property({ type: ArrayType, columnType: 'uuid[]' })
  tenantIds!: string[];

  @Property({ type: 'text' })
  action!: string;

  @Property({ type: 'text' })
  subjectType!: string;

  @Property({ type: 'text' })
  subjectId!: string;

  @Property({ type: 'json', nullable: true })
  before: unknown = null;

  @Property({ type: 'json', nullable: true })
  after: unknown = null;
}
