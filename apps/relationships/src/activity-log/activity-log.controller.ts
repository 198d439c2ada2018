import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { Caller, CurrentUser, PERMISSIONS, RequirePermission } from '@app/auth';
import { Collection, ZodPipe, ApiResponse } from '@app/platform';
import { Readable } from 'node:stream';
import { ActivityLogService } from './activity-log.service';
import {
  ActivityLogQueryDto,
  ActivityLogQuerySchema,
  ActivityLogRangeDto,
  ActivityLogRangeSchema,
} from './dto/activity-log.query';
import { ActivityLogResponse, ActivityLogCollectionSchema } from './dto/activity-log.response';
import { z } from 'zod';

/**
 * The activity log (DESIGN.md "Activity log"; Partner Center "Get a record of Partner Center
 * activity"): an organisation reads the entries that concern it (both sides of a relationship read
 * its events), the platform operator reads every entry. Query: `startDate`, `endDate` (ISO 8601;
 * default the last 30 days; the listing refuses a start more than 90 days back), `filter`
 * (URL-encoded JSON `{"Field":"eventType"|"resourceType"|"resourceId"|"customerId","Value":…,
 * "Operator":"equals"|"substring"}`); unknown parameters → 400. Entries are kept indefinitely.
 */
@Controller('v1')
export class ActivityLogController {
  constructor(private readonly activityLog: ActivityLogService) {}

  /**
   * `GET /v1/activity-logs?startDate=&endDate=&filter=&size=&seek=` (`activityLogRead`): a
   * Collection of AuditRecord (`ActivityLogResponse`), newest first, keyset paginated (`size`
   * 1–500, default 100; `seek` from `links.next`). 400 `activity_log.invalid_date_range`,
   * `activity_log.start_date_out_of_range`, `activity_log.invalid_filter`,
   * `request.invalid_cursor`.
   */
  @Get('activity-logs')
  @ApiResponse(200, ActivityLogCollectionSchema, "A page of the organisation's activity log.")
  @RequirePermission(PERMISSIONS.activityLogRead)
  list(
    @CurrentUser() caller: Caller,
    @Query(new ZodPipe(ActivityLogQuerySchema, 'query')) query: ActivityLogQueryDto,
  ): Promise<Collection<ActivityLogResponse>> {
    return this.activityLog.list(caller, query, '/v1/activity-logs');
  }

  /**
   * `GET /v1/activity-logs/export?startDate=&endDate=&filter=` (`activityLogRead`): every entry of
   * the range the caller may read, oldest first, as JSON lines (`application/x-ndjson`): one
   * `AuditEvent` per line with `chain`, its positions `[{ tenantId, seq, hash }]` in the hash
   * chains the caller may see. No 90-day limit: the whole retained trail can be exported. 400
   * `activity_log.invalid_date_range`, `activity_log.invalid_filter`.
   */
  @Get('activity-logs/export')
  @ApiResponse(
    200,
    z.string(),
    'The activity log as newline-delimited JSON, one event and its chain positions per line.',
    ['Content-Disposition'],
    'application/x-ndjson',
  )
  @RequirePermission(PERMISSIONS.activityLogRead)
  export(
    @CurrentUser() caller: Caller,
    @Query(new ZodPipe(ActivityLogRangeSchema, 'query')) query: ActivityLogRangeDto,
  ): StreamableFile {
    const prepared = this.activityLog.prepareExport(query);
    const lines = this.activityLog.exportLines(caller, prepared);
    const body = Readable.from(
      (async function* () {
        for await (const line of lines) yield `${JSON.stringify(line)}\n`;
      })(),
    );
    return new StreamableFile(body, {
      type: 'application/x-ndjson; charset=utf-8',
      disposition: 'attachment; filename="activity-log.ndjson"',
    });
  }

  /**
   * `GET /v1/customer-activity-logs` (customers, `customerPartnersRead`): the customer's own
   * entries, same query and shape as `GET /v1/activity-logs` (kept for the customer admin pages).
   */
  @Get('customer-activity-logs')
  @ApiResponse(200, ActivityLogCollectionSchema, "A page of the customer's activity log.")
  @RequirePermission(PERMISSIONS.customerPartnersRead)
  customerLog(
    @CurrentUser() caller: Caller,
    @Query(new ZodPipe(ActivityLogQuerySchema, 'query')) query: ActivityLogQueryDto,
  ): Promise<Collection<ActivityLogResponse>> {
    return this.activityLog.list(
      { tenantId: caller.tenantId, tenantKind: 'customer' },
      query,
      '/v1/customer-activity-logs',
    );
  }
}
