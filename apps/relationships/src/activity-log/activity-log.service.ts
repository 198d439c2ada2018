import { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { AuditEvent, AuditEventType } from '@app/contracts';
import { Collection, cursorCollection, timestampCursorAfter } from '@app/platform';
import { ActivityLogEntry } from './activity-log-entry.entity';
import { AuditEventSinks } from './audit-event-sinks';
import { ActivityLogResponse, toActivityLogResponse } from './dto/activity-log.response';

/** What `ActivityLogService.record` writes. */
export interface ActivityLogInput {
  actorUserId: string | null;
  actorTenantId: string;
  /** Every tenant the change concerns; each of them can list the entry. */
  tenantIds: string[];
  /** Stable verb, e.g. `partnership.established` (a type of the catalogue `AUDIT_EVENTS`). */
  action: AuditEventType;
  /**
   * Who acted: `user` (default with an `actorUserId`) or `system` (default without one: work that
   * runs by itself, such as disabling a failing webhook endpoint).
   */
  actorKind?: 'user' | 'system';
  subjectType: string;
  subjectId: string;
  before?: unknown;
  after?: unknown;
}

/** Which page of the log to read. */
export interface ActivityLogQuery {
  size: number;
  seek?: string;
  action?: string;
  subjectType?: string;
  subjectId?: string;
}

/**
 * The activity log (DESIGN.md "Activity log": every state change is recorded and listable by the
 * tenants involved).
 */
@Injectable()
export class ActivityLogService {
  constructor(
    private readonly em: EntityManager,
    private readonly sinks: AuditEventSinks,
  ) {}

  /**
   * Persist an entry in the caller's transaction (`em` is the transactional EntityManager) and
   * hand it, as an `AuditEvent`, to the registered sinks (`AuditEventSinks`) in that same
   * transaction: the entry and what the sinks write commit if and only if the state change does.
   */
  async record(em: EntityManager, entry: ActivityLogInput): Promise<void> {
    const row = Object.assign(new ActivityLogEntry(), {
      occurredAt: new Date(),
      actorUserId: entry.actorUserId,
      actorTenantId: entry.actorTenantId,
      tenantIds: [...new Set([entry.actorTenantId, ...entry.tenantIds])],
      action: entry.action,
      subjectType: entry.subjectType,
      subjectId: entry.subjectId,
      before: toJson(entry.before),
      after: toJson(entry.after),
    });
    em.persist(row);
    const event: AuditEvent = {
      id: row.id,
      occurredAt: row.occurredAt.toISOString(),
      type: entry.action,
      actor: {
        kind: entry.actorKind ?? (entry.actorUserId ? 'user' : 'system'),
        userId: entry.actorUserId,
        tenantId: entry.actorTenantId,
        onBehalfOfTenantId: null,
      },
      tenantIds: row.tenantIds,
      resource: { type: entry.subjectType, id: entry.subjectId },
      before: row.before,
      after: row.after,
      requestId: null,
      correlationId: null,
      source: 'relationships',
    };
    await this.sinks.dispatch(em, event);
  }

  /**
   * The entries that concern `tenantId`, newest first, keyset paginated on (occurredAt, id) by
   * `em.findByCursor` (without its count query).
   * @param basePath path of the listing route, for the `next` link.
   * @throws 400 `request.invalid_cursor`.
   */
  async list(
    tenantId: string,
    query: ActivityLogQuery,
    basePath: string,
  ): Promise<Collection<ActivityLogResponse>> {
    const where: FilterQuery<ActivityLogEntry> = { tenantIds: { $contains: [tenantId] } };
    if (query.action) where.action = query.action;
    if (query.subjectType) where.subjectType = query.subjectType;
    if (query.subjectId) where.subjectId = query.subjectId;
    const rows = await this.em.findByCursor(ActivityLogEntry, where, {
      first: query.size,
      after: timestampCursorAfter(query.seek),
      orderBy: { occurredAt: 'desc', id: 'desc' },
      includeCount: false,
    });
    return cursorCollection(rows, toActivityLogResponse, (seek) => {
      const params = new URLSearchParams({ size: String(query.size), seek });
      if (query.action) params.set('action', query.action);
      if (query.subjectType) params.set('subjectType', query.subjectType);
      if (query.subjectId) params.set('subjectId', query.subjectId);
      return `${basePath}?${params.toString()}`;
    });
  }
}

/** Dates become ISO strings and `undefined` becomes null, so the stored JSON is stable. */
function toJson(value: unknown): unknown {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value)) as unknown;
}
