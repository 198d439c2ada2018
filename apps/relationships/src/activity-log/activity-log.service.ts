import { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Collection, cursorCollection, timestampCursorAfter } from '@app/platform';
import { ActivityLogEntry } from './activity-log-entry.entity';
import { ActivityLogResponse, toActivityLogResponse } from './dto/activity-log.response';

/** What `ActivityLogService.record` writes. */
export interface ActivityLogInput {
  actorUserId: string | null;
  actorTenantId: string;
  /** Every tenant the change concerns; each of them can list the entry. */
  tenantIds: string[];
  /** Stable verb, e.g. `partnership.established`. */
  action: string;
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
  constructor(private readonly em: EntityManager) {}

  /**
   * Persist an entry in the caller's transaction (`em` is the transactional EntityManager): the
   * entry commits if and only if the state change does.
   */
  record(em: EntityManager, entry: ActivityLogInput): void {
    em.persist(
      Object.assign(new ActivityLogEntry(), {
        occurredAt: new Date(),
        actorUserId: entry.actorUserId,
        actorTenantId: entry.actorTenantId,
        tenantIds: [...new Set([entry.actorTenantId, ...entry.tenantIds])],
        action: entry.action,
        subjectType: entry.subjectType,
        subjectId: entry.subjectId,
        before: toJson(entry.before),
        after: toJson(entry.after),
      }),
    );
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
