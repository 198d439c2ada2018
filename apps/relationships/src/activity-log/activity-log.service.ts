import { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { Caller } from '@app/auth';
import { AuditActor, AuditEvent, RelationshipsAuditEventType, TenantKind } from '@app/contracts';
import {
  Collection,
  DomainError,
  RequestContext,
  SqlParams,
  cursorCollection,
  timestampCursorAfter,
} from '@app/platform';
import { ActivityLogEntry, auditEventOf } from './activity-log-entry.entity';
import { ActivityLogFilter, parseActivityLogFilter } from './activity-log-filter';
import { AuditEventSinks } from './audit-event-sinks';
import { ActivityLogRangeDto } from './dto/activity-log.query';
import {
  ActivityLogExportLine,
  ActivityLogResponse,
  ChainPosition,
  toActivityLogResponse,
} from './dto/activity-log.response';

/** Who acted, as a signed-in caller (a user, or the platform operator) is known to a service. */
export type AuditCaller = Pick<Caller, 'userId' | 'tenantId' | 'email'> & {
  tenantKind: TenantKind;
};

/** What `ActivityLogService.record` writes. */
export interface ActivityLogInput {
  /** A type of `RELATIONSHIPS_AUDIT_EVENTS` (libs/contracts/src/audit.ts). */
  type: RelationshipsAuditEventType;
  /** Every organisation the change concerns; each of them reads the entry. */
  tenantIds: string[];
  resource: { type: string; id: string };
  /** The customer organisation the change concerns, if any (the `customerId` filter). */
  customerId?: string | null;
  /** The changed fields before and after; never a secret (checked: see `assertNoSecret`). */
  before?: unknown;
  after?: unknown;
  /**
   * Who acted: a signed-in caller, or an explicit actor (a system job passes kind `system`).
   * Default: the caller of the request being served (`RequestContext`), `anonymous` on a public
   * route, `system` outside any request.
   */
  actor?: AuditCaller | AuditActor;
}

/** Which entries a reader may see: its organisation's, or every entry (the platform operator). */
export interface ActivityLogReader {
  tenantId: string;
  tenantKind: TenantKind;
}

/** The default range of the listing and the export: the last 30 days (Partner Center). */
export const DEFAULT_RANGE_DAYS = 30;
/**
 * The listing refuses a `startDate` more than 90 days back (Partner Center's audit records API
 * does the same, with 400); the export reads the whole retained trail.
 */
export const LISTING_LOOKBACK_DAYS = 90;
/** Entries read per round trip by the export. */
const EXPORT_PAGE = 500;
const DAY_MS = 86_400_000;

/**
 * Field names that hold secrets; an event's before/after must not carry any (passwords, tokens,
 * links, keys). A violation is a bug of the recording feature and fails its request.
 */
const SECRET_KEY =
  /^(password|temporarypassword|token|tokenhash|link|secret|apikey|privatekey|.*(secret|password|token))$/i;

/**
 * The activity log: the platform's one audit trail (DESIGN.md "Activity log", issue 14). Every
 * state change of relationships is recorded here in the transaction of the change; identity's
 * events are appended from its `audit.recorded` jobs (`append`). Each organisation lists the
 * entries whose `tenantIds` include it; the platform operator lists all. Entries are kept
 * indefinitely (no retention job deletes them); the hash chains (`ActivityLogChainer`) make any
 * later change visible to `npm run audit:verify`.
 */
@Injectable()
export class ActivityLogService {
  constructor(
    private readonly em: EntityManager,
    private readonly context: RequestContext,
    private readonly sinks: AuditEventSinks,
  ) {}

  /**
   * Record one event in the caller's transaction (`em` is the transactional EntityManager): one
   * INSERT at its flush, so the entry commits if and only if the state change does; then every
   * registered sink (`AuditEventSinks`) runs with the same `em`. The request and correlation ids
   * come from the request being served (null outside a request).
   * @returns the event as stored.
   */
  async record(em: EntityManager, input: ActivityLogInput): Promise<AuditEvent> {
    const entry = this.entryOf(input);
    em.persist(entry);
    const event = auditEventOf(entry);
    await this.sinks.deliver(em, event);
    return event;
  }

  /**
   * True when `recordInStatement` runs no sink with its `em` (every sink writes in the caller's
   * statement): a caller whose one statement is all its change may then run it outside a
   * transaction block (`executePreparedAlone`).
   */
  recordsInStatementOnly(): boolean {
    return this.sinks.allInStatement();
  }

  /**
   * `record` for a caller that writes the entry with its own statement, in one round trip with its
   * state change: answers the event, a data-modifying statement inserting the entry (its values
   * added to `params`), to be a CTE of the caller's statement executed in `em`'s transaction, and
   * `ctes`, the sinks' work in statement form (`AuditEventSinks.deliverInStatement`), which the
   * caller must add to that statement too; every other registered sink has run with `em` when it
   * returns (as with `record`, before the entry's row is written: a sink sees the event, not the
   * row).
   */
  async recordInStatement(
    em: EntityManager,
    input: ActivityLogInput,
    params: SqlParams,
  ): Promise<{ event: AuditEvent; sql: string; ctes: string[] }> {
    const entry = this.entryOf(input);
    const event = auditEventOf(entry);
    const ctes = await this.sinks.deliverInStatement(em, event, params);
    const json = (value: unknown) => (value === null ? null : JSON.stringify(value));
    const values = [
      `${params.add(entry.id)}::uuid`,
      `${params.add(entry.occurredAt)}::timestamptz`,
      params.add(entry.type),
      params.add(entry.actorKind),
      `${params.add(entry.actorUserId)}::uuid`,
      `${params.add(entry.actorTenantId)}::uuid`,
      `${params.add(entry.actorOnBehalfOfTenantId)}::uuid`,
      `${params.add(entry.actorUserPrincipalName)}::text`,
      `${params.add(entry.tenantIds)}::uuid[]`,
      params.add(entry.resourceType),
      params.add(entry.resourceId),
      `${params.add(entry.customerId)}::uuid`,
      `${params.add(json(entry.before))}::jsonb`,
      `${params.add(json(entry.after))}::jsonb`,
      `${params.add(entry.requestId)}::text`,
      `${params.add(entry.correlationId)}::text`,
      params.add(entry.source),
    ];
    return {
      event,
      ctes,
      sql: `insert into "activity_log_entry" ("id", "occurred_at", "type", "actor_kind", "actor_user_id", "actor_tenant_id", "actor_on_behalf_of_tenant_id", "actor_user_principal_name", "tenant_ids", "resource_type", "resource_id", "customer_id", "before", "after", "request_id", "correlation_id", "source") values (${values.join(', ')})`,
    };
  }

  /** The entry of `input` (not persisted): checked for secrets, with the actor and the ids. */
  private entryOf(input: ActivityLogInput): ActivityLogEntry {
    const state = this.context.current();
    const { actor, userPrincipalName } = this.actorOf(input.actor);
    const before = toJson(input.before);
    const after = toJson(input.after);
    assertNoSecret(before, 'before');
    assertNoSecret(after, 'after');
    const tenantIds = new Set(input.tenantIds);
    if (actor.kind === 'user' && actor.tenantId) tenantIds.add(actor.tenantId);
    return Object.assign(new ActivityLogEntry(), {
      occurredAt: new Date(),
      type: input.type,
      actorKind: actor.kind,
      actorUserId: actor.userId,
      actorTenantId: actor.tenantId,
      actorOnBehalfOfTenantId: actor.onBehalfOfTenantId,
      actorUserPrincipalName: userPrincipalName,
      tenantIds: [...tenantIds],
      resourceType: input.resource.type,
      resourceId: input.resource.id,
      customerId: input.customerId ?? null,
      before,
      after,
      requestId: state.requestId,
      correlationId: state.correlationId,
      source: 'relationships' as const,
    });
  }

  private actorOf(given: ActivityLogInput['actor']): {
    actor: AuditActor;
    userPrincipalName: string | null;
  } {
    if (given && 'kind' in given) return { actor: given, userPrincipalName: null };
    if (given) {
      return {
        actor: {
          kind: given.tenantKind === 'platform' ? 'operator' : 'user',
          userId: given.userId,
          tenantId: given.tenantId,
          onBehalfOfTenantId: null,
        },
        userPrincipalName: given.email,
      };
    }
    const state = this.context.current();
    if (state.caller) {
      return {
        actor: {
          kind: 'user',
          userId: state.caller.userId,
          tenantId: state.caller.tenantId,
          onBehalfOfTenantId: null,
        },
        userPrincipalName: null,
      };
    }
    return {
      actor: {
        kind: state.requestId ? 'anonymous' : 'system',
        userId: null,
        tenantId: null,
        onBehalfOfTenantId: null,
      },
      userPrincipalName: null,
    };
  }

  /**
   * Append an event another service recorded (identity's `audit.recorded` job), once per event
   * id: `insert … on conflict (id) do nothing`; the sinks run only when the row is new, in the same
   * transaction. `customerId` is the first of the event's organisations that is a customer known
   * here.
   * @returns whether the event was new.
   */
  async append(event: AuditEvent): Promise<boolean> {
    return this.em.fork().transactional(async (tx) => {
      const customers = await tx.execute<{ id: string }[]>(
        `select "id" from "customer" where "id" = any(?::uuid[]) limit 1`,
        [pgArray(event.tenantIds)],
      );
      const inserted = await tx.execute<{ id: string }[]>(
        `insert into "activity_log_entry" ("id", "occurred_at", "type", "actor_kind", "actor_user_id", "actor_tenant_id", "actor_on_behalf_of_tenant_id", "tenant_ids", "resource_type", "resource_id", "customer_id", "before", "after", "request_id", "correlation_id", "source") values (?, ?, ?, ?, ?, ?, ?, ?::uuid[], ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?) on conflict ("id") do nothing returning "id"`,
        [
          event.id,
          new Date(event.occurredAt),
          event.type,
          event.actor.kind,
          event.actor.userId,
          event.actor.tenantId,
          event.actor.onBehalfOfTenantId,
          pgArray([...new Set(event.tenantIds)]),
          event.resource.type,
          event.resource.id,
          customers[0]?.id ?? null,
          event.before === null || event.before === undefined ? null : JSON.stringify(event.before),
          event.after === null || event.after === undefined ? null : JSON.stringify(event.after),
          event.requestId,
          event.correlationId,
          event.source,
        ],
      );
      if (inserted.length === 0) return false;
      const stored = await tx.findOneOrFail(ActivityLogEntry, { id: event.id });
      await this.sinks.deliver(tx, auditEventOf(stored));
      return true;
    });
  }

  /**
   * The entries `reader` may see in the range, newest first, keyset paginated on (occurredAt, id)
   * by `em.findByCursor` (without its count query). The `next` link carries the resolved range, so
   * that every page reads the same window.
   * @throws 400 `activity_log.invalid_date_range` (start after end), 400
   *   `activity_log.start_date_out_of_range` (start more than 90 days back), 400
   *   `activity_log.invalid_filter`, 400 `request.invalid_cursor`.
   */
  async list(
    reader: ActivityLogReader,
    query: ActivityLogRangeDto & { size: number; seek?: string },
    basePath: string,
  ): Promise<Collection<ActivityLogResponse>> {
    const range = resolveRange(query, new Date(), true);
    const filter = parseActivityLogFilter(query.filter);
    const rows = await this.em.findByCursor(ActivityLogEntry, this.where(reader, range, filter), {
      first: query.size,
      after: timestampCursorAfter(query.seek),
      orderBy: { occurredAt: 'desc', id: 'desc' },
      includeCount: false,
    });
    const names = await this.customerNames(this.em, rows.items);
    return cursorCollection(
      rows,
      (row) =>
        toActivityLogResponse(row, auditEventOf(row), names.get(row.customerId ?? '') ?? null),
      (seek) => {
        const params = new URLSearchParams({
          startDate: range.start.toISOString(),
          endDate: range.end.toISOString(),
          size: String(query.size),
          seek,
        });
        if (query.filter) params.set('filter', query.filter);
        return `${basePath}?${params.toString()}`;
      },
    );
  }

  /**
   * Check an export's range and filter before anything is sent (so that a refusal is a 400, not a
   * broken stream).
   * @throws 400 `activity_log.invalid_date_range`, 400 `activity_log.invalid_filter`.
   */
  prepareExport(query: ActivityLogRangeDto): { range: DateRange; filter?: ActivityLogFilter } {
    return {
      range: resolveRange(query, new Date(), false),
      filter: parseActivityLogFilter(query.filter),
    };
  }

  /**
   * Every entry `reader` may see in the range, oldest first, as export lines (the event and its
   * chain positions the reader may see), read in pages of 500 on a forked EntityManager.
   */
  async *exportLines(
    reader: ActivityLogReader,
    prepared: { range: DateRange; filter?: ActivityLogFilter },
  ): AsyncGenerator<ActivityLogExportLine> {
    const em = this.em.fork();
    const where = this.where(reader, prepared.range, prepared.filter);
    let after: string | undefined;
    for (;;) {
      const page = await em.findByCursor(ActivityLogEntry, where, {
        first: EXPORT_PAGE,
        after,
        orderBy: { occurredAt: 'asc', id: 'asc' },
        includeCount: false,
      });
      const positions = await this.chainPositions(
        em,
        page.items.map((row) => row.id),
        reader,
      );
      for (const row of page.items) {
        yield { ...auditEventOf(row), chain: positions.get(row.id) ?? [] };
      }
      if (!page.hasNextPage || !page.endCursor) return;
      after = page.endCursor;
      em.clear();
    }
  }

  private where(
    reader: ActivityLogReader,
    range: DateRange,
    filter: ActivityLogFilter | undefined,
  ): FilterQuery<ActivityLogEntry> {
    const where: FilterQuery<ActivityLogEntry> & Record<string, unknown> = {
      occurredAt: { $gte: range.start, $lte: range.end },
    };
    if (reader.tenantKind !== 'platform') where.tenantIds = { $contains: [reader.tenantId] };
    if (filter) {
      const column = {
        eventType: 'type',
        resourceType: 'resourceType',
        resourceId: 'resourceId',
        customerId: 'customerId',
      }[filter.field];
      where[column] =
        filter.operator === 'substring'
          ? { $ilike: `%${escapeLike(filter.value)}%` }
          : filter.value;
    }
    return where;
  }

  private async customerNames(
    em: EntityManager,
    rows: ActivityLogEntry[],
  ): Promise<Map<string, string>> {
    const ids = [...new Set(rows.map((row) => row.customerId).filter((id) => id !== null))];
    if (ids.length === 0) return new Map();
    // The customers' snapshots (customers/): read by SQL so that the activity log, which every
    // feature imports, imports none of them.
    const found = await em.execute<{ id: string; company_name: string }[]>(
      `select "id", "company_name" from "customer" where "id" = any(?::uuid[])`,
      [pgArray(ids)],
    );
    return new Map(found.map((row) => [row.id, row.company_name]));
  }

  private async chainPositions(
    em: EntityManager,
    entryIds: string[],
    reader: ActivityLogReader,
  ): Promise<Map<string, ChainPosition[]>> {
    const byEntry = new Map<string, ChainPosition[]>();
    if (entryIds.length === 0) return byEntry;
    const own = reader.tenantKind !== 'platform';
    const rows = await em.execute<
      { entry_id: string; tenant_id: string; seq: string; hash: string }[]
    >(
      `select "entry_id", "tenant_id", "seq"::text as "seq", "hash" from "activity_log_chain" where "entry_id" = any(?::uuid[])${own ? ` and "tenant_id" = ?` : ''} order by "tenant_id"`,
      own ? [pgArray(entryIds), reader.tenantId] : [pgArray(entryIds)],
    );
    for (const row of rows) {
      const list = byEntry.get(row.entry_id) ?? [];
      list.push({ tenantId: row.tenant_id, seq: Number(row.seq), hash: row.hash });
      byEntry.set(row.entry_id, list);
    }
    return byEntry;
  }
}

/** A resolved range: both ends inclusive. */
export interface DateRange {
  start: Date;
  end: Date;
}

/**
 * `startDate`/`endDate` as instants: a date-time as given, a date alone as the start of that day
 * (UTC) for `startDate` and its end for `endDate`; default the last {@link DEFAULT_RANGE_DAYS}
 * days up to `now`.
 * @throws 400 `activity_log.invalid_date_range`, 400 `activity_log.start_date_out_of_range` (with
 *   `limitLookback`, a start more than {@link LISTING_LOOKBACK_DAYS} days before `now`).
 */
export function resolveRange(
  query: Pick<ActivityLogRangeDto, 'startDate' | 'endDate'>,
  now: Date,
  limitLookback: boolean,
): DateRange {
  const end = query.endDate
    ? query.endDate.length === 10
      ? new Date(Date.parse(query.endDate) + DAY_MS - 1)
      : new Date(query.endDate)
    : now;
  const start = query.startDate
    ? new Date(query.startDate)
    : new Date(Math.min(now.getTime(), end.getTime()) - DEFAULT_RANGE_DAYS * DAY_MS);
  if (start.getTime() > end.getTime()) {
    throw new DomainError(
      'activity_log.invalid_date_range',
      400,
      'startDate must not be after endDate.',
      { startDate: start.toISOString(), endDate: end.toISOString() },
    );
  }
  if (limitLookback && start.getTime() < now.getTime() - LISTING_LOOKBACK_DAYS * DAY_MS) {
    throw new DomainError(
      'activity_log.start_date_out_of_range',
      400,
      `startDate may be at most ${LISTING_LOOKBACK_DAYS} days back; export older entries with GET /v1/activity-logs/export.`,
      { startDate: start.toISOString(), maxDaysBack: LISTING_LOOKBACK_DAYS },
    );
  }
  return { start, end };
}

/** A PostgreSQL array literal of uuids (bound as one parameter and cast with `::uuid[]`). */
function pgArray(ids: string[]): string {
  return `{${ids.join(',')}}`;
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Dates become ISO strings and `undefined` becomes null, so the stored JSON is stable. */
function toJson(value: unknown): unknown {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value)) as unknown;
}

/** @throws Error when `value` holds a member named like a secret (a bug of the recorder). */
function assertNoSecret(value: unknown, path: string): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => assertNoSecret(item, `${path}[${index}]`));
    return;
  }
  for (const [key, member] of Object.entries(value as Record<string, unknown>)) {
    if (SECRET_KEY.test(key)) {
      throw new Error(`audit event ${path}.${key}: a secret must never be recorded`);
    }
    assertNoSecret(member, `${path}.${key}`);
  }
}
