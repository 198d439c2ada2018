import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import {
  AccessTokenVerifier,
  Caller,
  PERMISSIONS,
  callerFromClaims,
  hasPermission,
  tokenRefusal,
} from '@app/auth';
import { ApiError, apiErrorBody } from '@app/platform';
import { QUEUES } from '@app/contracts';
import fastifyCookie from '@fastify/cookie';
import { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { QUEUE_DASHBOARD_COOKIE, QueueDashboardSessions } from './queue-dashboard-sessions.service';

/** Where the queue dashboard is served. */
export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/**
 * The dashboard's Content-Security-Policy: its own scripts, styles (one inline `<style>`), fonts,
 * images and API calls, nothing from elsewhere, no framing; `<base>` may name its own origin (the
 * page sets `<base href="/admin/queues/">`, which its relative asset paths need). It replaces the service-wide policy,
 * which allows no scripts at all (the API and the invitation pages need none).
 */
export const QUEUE_DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SOURCE = 'notifications';

/** Why a request for the dashboard is refused: the status and the API error body. */
export type DashboardRefusal = { status: 401 | 403 | 503; body: ApiError };

const refuse = (
  status: 401 | 403 | 503,
  code: string,
  description: string,
  data?: Record<string, unknown>,
): DashboardRefusal => ({ status, body: apiErrorBody(code, description, data, SOURCE) });

/**
 * The checks of the API's `AuthGuard` for `platform.operate`, for routes Nest does not own: a valid
 * bearer access token that is not revoked (401 `auth.unauthenticated`; 503 `dependency.unavailable`
 * while the revocation list cannot be read), no pending password change (403
 * `auth.password_change_required`), and the operator permission (403 `auth.forbidden`).
 * @returns the refusal, or null when the caller may use the dashboard.
 */
export async function checkOperator(
  verifier: Pick<AccessTokenVerifier, 'verify'>,
  authorization: string | undefined,
): Promise<DashboardRefusal | null> {
  const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(authorization ?? '');
  if (!match) return refuse(401, 'auth.unauthenticated', 'A bearer access token is required.');
  let caller: Caller;
  try {
    caller = callerFromClaims(await verifier.verify(match[1]));
  } catch (error) {
    const refusal = tokenRefusal(error);
    return refuse(refusal.status === 503 ? 503 : 401, refusal.code, refusal.message);
  }
  if (caller.passwordChangeRequired) {
    return refuse(
      403,
      'auth.password_change_required',
      'You are signed in with a temporary password: change it first (POST /v1/auth/password).',
    );
  }
  if (!hasPermission(caller.tenantKind, caller.roles, PERMISSIONS.platformOperate)) {
    return refuse(
      403,
      'auth.forbidden',
      `Your roles do not include the permission "${PERMISSIONS.platformOperate}".`,
      { permission: PERMISSIONS.platformOperate },
    );
  }
  return null;
}

/** Where a ticket is exchanged for the dashboard's session cookie. */
export const QUEUE_DASHBOARD_SESSION_PATH = `${QUEUE_DASHBOARD_PATH}/session`;

/**
 * The bull-board dashboard of the `notifications` queue at `/admin/queues` (jobs by state, their
 * data, errors and return values; retry or remove them), on the service's own Fastify instance.
 * bull-board registers its routes on Fastify directly, past Nest's guard, so its scope gets an
 * `onRequest` hook that applies the same operator checks ({@link checkOperator}) to every page,
 * asset and API call: with the bearer header, or in a browser with the session cookie that
 * `GET /admin/queues/session?ticket=…` sets (a ticket from `POST /v1/queue-dashboard/tickets`,
 * single use; the cookie is HttpOnly, Secure, SameSite=Strict, Path=/admin/queues, and the session
 * is checked with the access token it was opened with). An unknown, used or expired ticket: 401
 * `queue_dashboard.ticket_invalid`.
 */
@Injectable()
export class QueueDashboard implements OnModuleInit {
  private readonly logger = new Logger(QueueDashboard.name);

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly verifier: AccessTokenVerifier,
    private readonly sessions: QueueDashboardSessions,
    @InjectQueue(QUEUES.notifications) private readonly queue: Queue,
  ) {}

  async onModuleInit(): Promise<void> {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    // Loaded here, not at import: @bull-board/fastify pulls in ES-module-only packages that a
    // module graph read without starting the application (the route discovery test) cannot load.
    const { FastifyAdapter: BullBoardFastifyAdapter } = await import('@bull-board/fastify');
    const board = new BullBoardFastifyAdapter();
    board.setBasePath(QUEUE_DASHBOARD_PATH);
    createBullBoard({
      queues: [new BullMQAdapter(this.queue)],
      serverAdapter: board,
    });
    void fastify.register(
      async (scope) => {
        await scope.register(fastifyCookie);
        scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
          // The exchange checks its ticket itself (the browser has no session yet).
          if (request.url.split('?')[0] === QUEUE_DASHBOARD_SESSION_PATH) return;
          const refusal = await checkOperator(this.verifier, await this.authorizationOf(request));
          if (refusal) {
            await reply
              .code(refusal.status)
              .header('content-type', 'application/json')
              .send(refusal.body);
            return;
          }
          void reply.header('content-security-policy', QUEUE_DASHBOARD_CSP);
        });
        scope.get('/session', async (request, reply) => {
          const { ticket } = request.query as { ticket?: unknown };
          const opened = typeof ticket === 'string' ? await this.sessions.exchange(ticket) : null;
          if (!opened) {
            return reply
              .code(401)
              .header('cache-control', 'no-store')
              .send(
                apiErrorBody(
                  'queue_dashboard.ticket_invalid',
                  'This link to the queue dashboard is unknown, used or expired: open the dashboard again from the portal.',
                  undefined,
                  SOURCE,
                ),
              );
          }
          return reply
            .setCookie(QUEUE_DASHBOARD_COOKIE, opened.sessionId, {
              path: QUEUE_DASHBOARD_PATH,
              httpOnly: true,
              secure: true,
              sameSite: 'strict',
              maxAge: opened.maxAgeSeconds,
            })
            .header('cache-control', 'no-store')
            .header('referrer-policy', 'no-referrer')
            .redirect(QUEUE_DASHBOARD_PATH, 303);
        });
        await scope.register(board.registerPlugin());
      },
      { prefix: QUEUE_DASHBOARD_PATH },
    );
    this.logger.log(`queue dashboard at ${QUEUE_DASHBOARD_PATH} (platform.operate)`);
  }

  /** The request's bearer header, else the access token of its session cookie (if any). */
  private async authorizationOf(request: FastifyRequest): Promise<string | undefined> {
    if (request.headers.authorization) return request.headers.authorization;
    const sessionId = request.cookies[QUEUE_DASHBOARD_COOKIE];
    const accessToken = sessionId ? await this.sessions.accessTokenOf(sessionId) : null;
    return accessToken ? `Bearer ${accessToken}` : undefined;
  }
}
