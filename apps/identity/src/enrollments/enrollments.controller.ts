import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { Caller, CurrentUser, PERMISSIONS, Public, RequirePermission } from '@app/auth';
import { DomainError, ZodPipe } from '@app/common';
import { Uuid } from '@app/contracts';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import {
  EnrollmentCreated,
  EnrollmentInput,
  EnrollmentListQuery,
  EnrollmentListQuerySchema,
  EnrollmentSchema,
  RejectEnrollmentSchema,
  VerifyTokenSchema,
} from './dto/enrollment.dto';
import { EnrollmentsService } from './enrollments.service';
import {
  VERIFICATION_PAGE_TEXT,
  VerificationOutcome,
  renderVerificationPage,
} from './verification-page';

/** Partner enrollment (seed 004 "Enroll as an indirect reseller"). */
@Controller('v1/enrollments')
export class EnrollmentsController {
  constructor(private readonly enrollments: EnrollmentsService) {}

  /**
   * `POST /v1/enrollments` → 201 `{ enrollmentId, tenantId, status: 'pending_verification',
   * primaryContactEmail }`; the primary contact receives the verification email.
   * 400 `enrollment.webmail_primary_contact`, 400 `user.weak_password`,
   * 409 `enrollment.mpn_id_taken`, 409 `user.email_taken`.
   */
  @Post()
  @Public()
  enroll(
    @Body(new ZodPipe(EnrollmentSchema, 'body')) body: EnrollmentInput,
  ): Promise<EnrollmentCreated> {
    return this.enrollments.enroll(body);
  }

  /**
   * `GET /v1/enrollments/verify?token=...`: the target of the emailed link. Answers a small HTML
   * page: verified and what happens next (200), or why not (400 incomplete, 404 unknown, 410 used
   * or expired, 409 wrong state).
   */
  @Get('verify')
  @Public()
  async verifyPage(
    @Query('token') token: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    void reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer');
    const parsed = VerifyTokenSchema.safeParse({ token });
    if (!parsed.success) {
      void reply.status(400);
      return renderVerificationPage('request.invalid');
    }
    try {
      const result = await this.enrollments.verify(parsed.data.token);
      const outcome: VerificationOutcome = result.status === 'active' ? 'active' : 'in_review';
      return renderVerificationPage(outcome, result.legalName);
    } catch (error) {
      if (error instanceof DomainError && error.code in VERIFICATION_PAGE_TEXT) {
        void reply.status(error.status);
        return renderVerificationPage(error.code as VerificationOutcome);
      }
      throw error;
    }
  }

  /**
   * `POST /v1/enrollments/verify` `{ token }` → 200 `{ enrollmentId, status }`.
   * 404 `enrollment.token_not_found`, 410 `enrollment.token_used`, 410 `enrollment.token_expired`.
   */
  @Post('verify')
  @HttpCode(200)
  @Public()
  async verify(
    @Body(new ZodPipe(VerifyTokenSchema, 'body')) body: z.infer<typeof VerifyTokenSchema>,
  ) {
    const { enrollmentId, status } = await this.enrollments.verify(body.token);
    return { enrollmentId, status };
  }

  /** Operator: `GET /v1/enrollments?status=in_review&size&seek` (collection of enrollments). */
  @Get()
  @RequirePermission(PERMISSIONS.platformOperate)
  list(@Query(new ZodPipe(EnrollmentListQuerySchema, 'query')) query: EnrollmentListQuery) {
    return this.enrollments.list(query);
  }

  /** Operator: `POST /v1/enrollments/{id}/approve` → the enrollment. 409 `enrollment.invalid_state`. */
  @Post(':id/approve')
  @HttpCode(200)
  @RequirePermission(PERMISSIONS.platformOperate)
  approve(
    @CurrentUser() caller: Caller,
    @Param('id', new ZodPipe(Uuid, 'enrollment id')) id: string,
  ) {
    return this.enrollments.approve(id, caller.userId);
  }

  /**
   * Operator: `POST /v1/enrollments/{id}/resend-verification` → the enrollment; a new link goes to
   * the primary contact and earlier links stop working. 409 `enrollment.invalid_state` unless
   * `pending_verification`.
   */
  @Post(':id/resend-verification')
  @HttpCode(200)
  @RequirePermission(PERMISSIONS.platformOperate)
  resendVerification(@Param('id', new ZodPipe(Uuid, 'enrollment id')) id: string) {
    return this.enrollments.resendVerification(id);
  }

  /**
   * Operator: `POST /v1/enrollments/{id}/reject` `{ reason }` → the enrollment.
   * 409 `enrollment.invalid_state`.
   */
  @Post(':id/reject')
  @HttpCode(200)
  @RequirePermission(PERMISSIONS.platformOperate)
  reject(
    @CurrentUser() caller: Caller,
    @Param('id', new ZodPipe(Uuid, 'enrollment id')) id: string,
    @Body(new ZodPipe(RejectEnrollmentSchema, 'body')) body: z.infer<typeof RejectEnrollmentSchema>,
  ) {
    return this.enrollments.reject(id, caller.userId, body.reason);
  }
}
