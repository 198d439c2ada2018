import { Controller, Headers, HttpCode, Inject, Post } from '@nestjs/common';
import { PERMISSIONS, RequirePermission } from '@app/auth';
import { ApiResponse, AuditExempt } from '@app/platform';
import { APP_CONFIG, NotificationsConfig } from '../config/notifications.config';
import {
  QueueDashboardTicketResponse,
  QueueDashboardTicketResponseSchema,
} from './dto/queue-dashboard-ticket.dto';
import { QUEUE_DASHBOARD_PATH } from './queue-dashboard';
import { QueueDashboardSessions } from './queue-dashboard-sessions.service';

/** The operator's way into the queue dashboard from a browser (the portal's button). */
@Controller('v1/queue-dashboard')
export class QueueDashboardTicketsController {
  constructor(
    private readonly sessions: QueueDashboardSessions,
    @Inject(APP_CONFIG) private readonly config: NotificationsConfig,
  ) {}

  /**
   * `POST /v1/queue-dashboard/tickets` (no body) → 201 `{ url, expiresAt }`: a single-use link,
   * valid 60 seconds, that opens the dashboard in a browser; opening it exchanges the ticket for
   * an HttpOnly, Secure, SameSite=Strict session cookie scoped to `/admin/queues`, which lasts
   * while the caller's access token does (at most an hour). Errors: 401, 403 (`platform.operate`).
   */
  @Post('tickets')
  @HttpCode(201)
  @RequirePermission(PERMISSIONS.platformOperate)
  @AuditExempt(
    'Mints a single-use ticket in Redis (60 s) for the caller’s own access token; nothing of the platform changes (the dashboard’s own retries and removals are bull-board’s).',
  )
  @ApiResponse(201, QueueDashboardTicketResponseSchema, 'The link that opens the dashboard.')
  async mint(
    @Headers('authorization') authorization: string,
  ): Promise<QueueDashboardTicketResponse> {
    // The guard has verified this bearer token: the session holds it, so each dashboard request is
    // checked as the token would be.
    const accessToken = authorization.replace(/^Bearer /, '');
    const { ticket, expiresAt } = await this.sessions.mint(accessToken);
    const base = this.config.PUBLIC_URL ?? `http://localhost:${this.config.PORT}`;
    const url = new URL(`${QUEUE_DASHBOARD_PATH}/session`, base);
    url.searchParams.set('ticket', ticket);
    return { url: url.toString(), expiresAt: expiresAt.toISOString() };
  }
}
