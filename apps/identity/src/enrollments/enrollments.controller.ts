import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { Caller, CurrentUser, PERMISSIONS, Public, RequirePermission } from '@app/auth';
import { Audited, RateLimited, ZodPipe, ApiResponse } from '@app/platform';
import { Uuid } from '@app/contracts';
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
  EnrollmentCollectionSchema,
  EnrollmentCreatedSchema,
  EnrollmentViewSchema,
} from './dto/enrollment.dto';
import { EnrollmentsService } from './enrollments.service';

/**
 * Partner enrollment (seed 004 "Enroll as an indirect reseller") and its operator review. The
 * verification link routes (`/v1/enrollments/verify…`, `…/verification/resend`) are
 * `EnrollmentVerificationController`.
 */
@Controller('v1/enrollments')
export class EnrollmentsController {
  constructor(private readonly enrollments: EnrollmentsService) {}

  /**
   * `POST /v1/enrollments` → 201 `{ enrollmentId, tenantId, status: 'pending_verification',
   * primaryContactEmail }`; the primary contact receives the verification email. The Global admin
   * signs in with an address of the new organisation: whether that address has an account in
   * another organisation changes nothing in the answer (issue 9 point 9). 400 `enrollment.webmail_primary_contact`, 400 `user.weak_password`, 409
   * `enrollment.mpn_id_taken`. Rate limited per client address and per target email (the Global
   * admin's and the primary contact's): 429 `request.throttled`.
   */
  @Post()
  @ApiResponse(
    201,
    EnrollmentCreatedSchema,
    'The enrollment, waiting for the primary contact to verify its address.',
  )
  @Public()
  @Audited('enrollment.submitted')
  @RateLimited('public', { body: ['globalAdmin.email', 'primaryContact.email'] })
  enroll(
    @Body(new ZodPipe(EnrollmentSchema, 'body')) body: EnrollmentInput,
  ): Promise<EnrollmentCreated> {
    return this.enrollments.enroll(body);
  }

  /**
   * Operator: `GET /v1/enrollments?status=in_review&size&seek` → collection of enrollments
   * (oldest first, keyset paginated; `status` one of `pending_verification`, `in_review`,
   * `active`, `rejected`).
   */
  @Get()
  @ApiResponse(200, EnrollmentCollectionSchema, 'A page of enrollments.')
  @RequirePermission(PERMISSIONS.platformOperate)
  list(@Query(new ZodPipe(EnrollmentListQuerySchema, 'query')) query: EnrollmentListQuery) {
    return this.enrollments.list(query);
  }

  /**
   * Operator: `POST /v1/enrollments/{id}/approve` with no body or `{ reason? }` (a note the primary
   * contact receives with the decision) → the enrollment. 409 `enrollment.invalid_state`.
   */
  @Post(':id/approve')
  @ApiResponse(200, EnrollmentViewSchema, 'The approved enrollment.')
  @HttpCode(200)
  @RequirePermission(PERMISSIONS.platformOperate)
  @Audited('enrollment.approved')
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
  @ApiResponse(200, EnrollmentViewSchema, 'The enrollment; a new verification email is on its way.')
  @HttpCode(200)
  @RequirePermission(PERMISSIONS.platformOperate)
  @Audited('enrollment.verification_resent')
  resendVerification(@Param('id', new ZodPipe(Uuid, 'enrollment id')) id: string) {
    return this.enrollments.resendVerification(id);
  }

  /**
   * Operator: `POST /v1/enrollments/{id}/reject` `{ reason }` (1 to 1000 characters, one
   * paragraph, no control characters) → the enrollment; the primary contact receives the reason
   * by email in the partner's language. 400 `request.invalid`, 409 `enrollment.invalid_state`.
   */
  @Post(':id/reject')
  @ApiResponse(200, EnrollmentViewSchema, 'The rejected enrollment.')
  @HttpCode(200)
  @RequirePermission(PERMISSIONS.platformOperate)
  @Audited('enrollment.rejected')
  reject(
    @CurrentUser() caller: Caller,
    @Param('id', new ZodPipe(Uuid, 'enrollment id')) id: string,
    @Body(new ZodPipe(RejectEnrollmentSchema, 'body')) body: z.infer<typeof RejectEnrollmentSchema>,
  ) {
    return this.enrollments.reject(id, caller.userId, body.reason);
  }
}
