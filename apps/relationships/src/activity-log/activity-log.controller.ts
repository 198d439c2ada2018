import { Controller, Get, Query } from '@nestjs/common';
import { Caller, CurrentUser, PERMISSIONS, RequirePermission } from '@app/auth';
import { Collection, ZodPipe } from '@app/platform';
import { ActivityLogService } from './activity-log.service';
import { ActivityLogQueryDto, ActivityLogQuerySchema } from './dto/activity-log.query';
import { ActivityLogResponse } from './dto/activity-log.response';

/**
 * The activity log of the caller's organisation (DESIGN.md "Activity log"): only entries whose
 * tenants include the caller's tenant, newest first, keyset paginated (`?size=` 1–500, default
 * 100; `?seek=` from `links.next`), optionally filtered by `action`, `subjectType`, `subjectId`.
 */
@Controller('v1')
export class ActivityLogController {
  constructor(private readonly activityLog: ActivityLogService) {}

  /** `GET /v1/activity-logs` (partners, `channelRead`): a Collection of ActivityLogEntry. */
  @Get('activity-logs')
  @RequirePermission(PERMISSIONS.channelRead)
  partnerLog(
    @CurrentUser() caller: Caller,
    @Query(new ZodPipe(ActivityLogQuerySchema, 'query')) query: ActivityLogQueryDto,
  ): Promise<Collection<ActivityLogResponse>> {
    return this.activityLog.list(caller.tenantId, query, '/v1/activity-logs');
  }

  /** `GET /v1/customer-activity-logs` (customers, `customerPartnersRead`): same shape. */
  @Get('customer-activity-logs')
  @RequirePermission(PERMISSIONS.customerPartnersRead)
  customerLog(
    @CurrentUser() caller: Caller,
    @Query(new ZodPipe(ActivityLogQuerySchema, 'query')) query: ActivityLogQueryDto,
  ): Promise<Collection<ActivityLogResponse>> {
    return this.activityLog.list(caller.tenantId, query, '/v1/customer-activity-logs');
  }
}
