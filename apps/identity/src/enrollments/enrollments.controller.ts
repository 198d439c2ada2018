import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { Caller, CurrentUser, PERMISSIONS, Public, RequirePermission } from '@app/auth';
import { DomainError, ZodPipe } from '@app/platform';
import { Uuid } from '@app/contracts';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import {
  ApproveEnrollmentInput,
  ApproveEnrollmentSchema,
  EnrollmentCreated,
  EnrollmentInput,
  EnrollmentListQuery,
  EnrollmentListQuerySchema,
  EnrollmentSchema,
  RejectEnrollmentSchema,
  ResendFromLinkSchema,
  ResendVerificationSchema,
  VerifyTokenSchema,
} from './dto/enrollment.dto';
import { EnrollmentsService } from './enrollments.service';
import {
  VERIFICATION_PAGE_TEXT,
  VerificationOutcome,
  renderVerificationPage,
} from './verification-page';

/** A page answer: HTML, never cached or referred (it may carry a token). */
function asPage(reply: FastifyReply): void {
  void reply
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer');
}

/** Partner enrollment (seed 004 "Enroll as an indirect reseller") and its operator review. */
@Controller('v1/enrollments')
export class EnrollmentsController {
  constructor(private readonly enrollments: EnrollmentsService) {}

  /**
   * `POST /v1/enrollments` → 201 `{ enrollmentId, tenantId, status: 'pending_verification',
   * primaryContactEmail }`; the primary contact receives the verification email. The answer is the
   * same when the Global admin's email already has an account (nothing is created; that address
   * is told instead). 400 `enrollment.webmail_primary_contact`, 400 `user.weak_password`, 409
   * `enrollment.mpn_id_taken`.
   */
  @Post()
  @Public()
  enroll(
    @Body(new ZodPipe(EnrollmentSchema, 'body')) body: EnrollmentInput,
  ): Promise<EnrollmentCreated> {
    return this.enrollments.enroll(body);
  }

  /**
   * `POST /v1/enrollments/verification/resend` `{ email }` (public) → 202 `{ accepted: true }`
   * always: a new verification link goes to `email` if it has a verification pending (an
   * enrollment's primary contact, or a changed primary contact email), earlier links stop working,
   * at most `VERIFICATION_LINKS_PER_HOUR` links an hour. The answer never tells whether the address
   * is known.
   */
  @Post('verification/resend')
  @HttpCode(202)
  @Public()
  async resend(
    @Body(new ZodPipe(ResendVerificationSchema, 'body'))
    body: z.infer<typeof ResendVerificationSchema>,
  ): Promise<{ accepted: true }> {
    await this.enrollments.resendTo(body.email);
    return { accepted: true };
  }

  /**
   * `GET /v1/enrollments/verify?token=...`: the target of the emailed link. Answers a small HTML
   * page: verified and what happens next (200), or why not (400 incomplete, 404 unknown, 410 used
   * or expired, with a button that sends a new link; 409 wrong state).
   */
  @Get('verify')
  @Public()
  async verifyPage(
    @Query('token') token: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    asPage(reply);
    const parsed = VerifyTokenSchema.safeParse({ token });
    if (!parsed.success) {
      void reply.status(400);
      return renderVerificationPage('request.invalid');
    }
    try {
      const result = await this.enrollments.verify(parsed.data.token);
      const outcome: VerificationOutcome =
        result.purpose === 'primary_contact'
          ? 'primary_contact'
          : result.status === 'active'
            ? 'active'
            : 'in_review';
      return renderVerificationPage(outcome, {
        legalName: result.legalName,
        email: result.primaryContactEmail,
      });
    } catch (error) {
      if (error instanceof DomainError && error.code in VERIFICATION_PAGE_TEXT) {
        void reply.status(error.status);
        return renderVerificationPage(error.code as VerificationOutcome, {
          resendToken: error.code === 'enrollment.token_expired' ? parsed.data.token : undefined,
        });
      }
      throw error;
    }
  }

  /**
   * `POST /v1/enrollments/verify/resend` (the form of an expired link's page, `token=...`
   * url-encoded) → 200 page: a new link goes to the address the expired one was sent to, if that
   * verification is still pending (same cap as the JSON resend). The page says the same whatever
   * happened.
   */
  @Post('verify/resend')
  @HttpCode(200)
  @Public()
  async resendPage(
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    asPage(reply);
    const parsed = ResendFromLinkSchema.safeParse(body);
    if (!parsed.success) {
      void reply.status(400);
      return renderVerificationPage('request.invalid');
    }
    await this.enrollments.resendForToken(parsed.data.token);
    return renderVerificationPage('resent');
  }

  /**
   * `POST /v1/enrollments/verify` `{ token }` → 200 `{ enrollmentId, status, purpose,
   * primaryContactEmail }`. 404 `enrollment.token_not_found`, 410 `enrollment.token_used`,
   * 410 `enrollment.token_expired` (also when a newer link replaced it), 409
   * `enrollment.invalid_state`.
   */
  @Post('verify')
  @HttpCode(200)
  @Public()
  async verify(
    @Body(new ZodPipe(VerifyTokenSchema, 'body')) body: z.infer<typeof VerifyTokenSchema>,
  ) {
    const { enrollmentId, status, purpose, primaryContactEmail } = await this.enrollments.verify(
      body.token,
    );
    return { enrollmentId, status, purpose, primaryContactEmail };
  }

  /**
   * Operator: `GET /v1/enrollments?status=in_review&size&seek` → collection of enrollments
   * (oldest first, keyset paginated; `status` one of `pending_verification`, `in_review`,
   * `active`, `rejected`).
   */
  @Get()
  @RequirePermission(PERMISSIONS.platformOperate)
  list(@Query(new ZodPipe(EnrollmentListQuerySchema, 'query')) query: EnrollmentListQuery) {
    return this.enrollments.list(query);
  }

  /**
   * Operator: `POST /v1/enrollments/{id}/approve` with no body or `{ reason? }` (a note the primary
   * contact receives with the decision) → the enrollment. 409 `enrollment.invalid_state`.
   */
  @Post(':id/approve')
  @HttpCode(200)
  @RequirePermission(PERMISSIONS.platformOperate)
  approve(
    @CurrentUser() caller: Caller,
    @Param('id', new ZodPipe(Uuid, 'enrollment id')) id: string,
    @Body(new ZodPipe(ApproveEnrollmentSchema, 'body')) body: ApproveEnrollmentInput,
  ) {
    return this.enrollments.approve(id, caller.userId, body?.reason ?? null);
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
   * Operator: `POST /v1/enrollments/{id}/reject` `{ reason }` (1 to 1000 characters, one
   * paragraph, no control characters) → the enrollment; the primary contact receives the reason
   * by email in the partner's language. 400 `request.invalid`, 409 `enrollment.invalid_state`.
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
