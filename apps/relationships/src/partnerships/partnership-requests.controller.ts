import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { Caller, CurrentUser, PERMISSIONS, RequirePermission } from '@app/auth';
import {
  ApiResponse,
  Audited,
  Collection,
  CurrentIdempotentCall,
  Idempotent,
  IdempotentCall,
  ZodPipe,
} from '@app/platform';
import {
  InvitationIdParamSchema,
  InvitationListQuery,
  InvitationListQuerySchema,
  ResendInvitationDto,
  ResendInvitationSchema,
} from '../invitations/dto/invitation.query';
import {
  InvitationResponse,
  InvitationSentResponse,
  toInvitationSentResponse,
  InvitationCollectionSchema,
  InvitationSentResponseSchema,
} from '../invitations/dto/invitation.response';
import { InvitationsService } from '../invitations/invitations.service';
import {
  AcceptPartnershipRequestDto,
  AcceptPartnershipRequestSchema,
  CreatePartnershipRequestDto,
  CreatePartnershipRequestSchema,
} from './dto/partnership-request.dto';
import {
  AcceptReceivedPartnershipRequestDto,
  AcceptReceivedPartnershipRequestSchema,
  ReceivedPartnershipRequestCollectionSchema,
  ReceivedPartnershipRequestParamSchema,
  ReceivedPartnershipRequestQuery,
  ReceivedPartnershipRequestQuerySchema,
  ReceivedPartnershipRequestResponse,
} from './dto/received-partnership-request.dto';
import { PartnerRelationshipResponse, PartnerRelationshipSchema } from './dto/relationship.dto';
import { PartnershipsService } from './partnerships.service';

/**
 * Partnership requests: an indirect provider invites an indirect reseller by email (seed 002
 * "Request a partnership") and the reseller authorizes the provider (seed 004 step 3).
 */
@Controller('v1/partnership-requests')
export class PartnershipRequestsController {
  constructor(
    private readonly partnerships: PartnershipsService,
    private readonly invitations: InvitationsService,
  ) {}

  /**
   * `POST /v1/partnership-requests` `{ email, locale?, customMessage?, draftOnly? }` →
   * 201 `{ id, email, status, expiresAt, draft: { subject, text, html, link }, queued }`.
   * Errors: 400 `request.invalid`, 403 `partner.not_active` / `partnership.provider_only`,
   * 503 `dependency.unavailable` (nothing written).
   */
  @Post()
  @Idempotent({ inStatement: true })
  @ApiResponse(
    201,
    InvitationSentResponseSchema,
    'The partnership request and its email (sent, or the draft only).',
  )
  @Audited('partnership.requested')
  @RequirePermission(PERMISSIONS.relationshipsManage)
  async create(
    @CurrentUser() caller: Caller,
    @Body(new ZodPipe(CreatePartnershipRequestSchema)) body: CreatePartnershipRequestDto,
    @CurrentIdempotentCall() call: IdempotentCall | null,
  ): Promise<InvitationSentResponse> {
    return this.partnerships.request(caller, body, call);
  }

  /**
   * `POST /v1/partnership-requests/accept` `{ token, authorize: true }` → 200 PartnerRelationship
   * (the provider, `IsIndirectCloudSolutionProviderOf`). Errors: 400
   * `partnership.authorization_required`, 403 `partner.not_active` / `partnership.reseller_only` /
   * `partnership.cloud_mismatch` / `partnership.region_mismatch`, 403
   * `invitation.wrong_organization` (sent to another organisation's address), 404
   * `invitation.not_found`, 409 `invitation.already_accepted` / `partnership.exists`, 410
   * `invitation.revoked` / `invitation.expired`, 422 `partnership.provider_not_active`.
   */
  @Post('accept')
  @ApiResponse(
    200,
    PartnerRelationshipSchema,
    'The partnership, as the accepting reseller sees it.',
  )
  @Audited('partnership.established')
  @HttpCode(200)
  @RequirePermission(PERMISSIONS.relationshipsManage)
  accept(
    @CurrentUser() caller: Caller,
    @Body(new ZodPipe(AcceptPartnershipRequestSchema)) body: AcceptPartnershipRequestDto,
  ): Promise<PartnerRelationshipResponse> {
    return this.partnerships.accept(caller, body.token, body.authorize);
  }

  /**
   * `GET /v1/partnership-requests/received?size=&seek=&status=pending|accepted` → Collection of
   * ReceivedPartnershipRequest, newest first: the requests the caller's organisation received
   * (seed 004 "Connect with an indirect provider"). Received means: pending (not expired) and sent
   * to an address the organisation holds, that is an address one of its enabled users signs in
   * with and proved (the rule that decides who may accept a request,
   * `InvitationsService.peekForAcceptance`), or accepted by the organisation. Errors: 400
   * `request.invalid` / `request.invalid_cursor`, 503 `dependency.unavailable`.
   */
  @Get('received')
  @ApiResponse(
    200,
    ReceivedPartnershipRequestCollectionSchema,
    "A page of the partnership requests the caller's organisation received.",
  )
  @RequirePermission(PERMISSIONS.channelRead)
  listReceived(
    @CurrentUser() caller: Caller,
    @Query(new ZodPipe(ReceivedPartnershipRequestQuerySchema, 'query'))
    query: ReceivedPartnershipRequestQuery,
  ): Promise<Collection<ReceivedPartnershipRequestResponse>> {
    return this.partnerships.listReceived(caller, query);
  }

  /**
   * `POST /v1/partnership-requests/received/{id}/accept` `{ authorize: true }` → 200
   * PartnerRelationship: authorizes the indirect provider from the received list, without the
   * emailed token (seed 004 step 3), with the same rules, errors, activity-log entry and webhook
   * event as `POST /v1/partnership-requests/accept`, except that a request the caller's
   * organisation did not receive answers 404 `invitation.not_found` like an unknown id. Errors:
   * 400 `partnership.authorization_required`, 403 `partner.not_active` /
   * `partnership.reseller_only` / `partnership.cloud_mismatch` / `partnership.region_mismatch`,
   * 404 `invitation.not_found`, 409 `invitation.already_accepted` / `partnership.exists`, 410
   * `invitation.revoked` / `invitation.expired`, 422 `partnership.provider_not_active`, 503
   * `dependency.unavailable`.
   */
  @Post('received/:id/accept')
  @ApiResponse(
    200,
    PartnerRelationshipSchema,
    'The partnership, as the accepting reseller sees it.',
  )
  @Audited('partnership.established')
  @HttpCode(200)
  @RequirePermission(PERMISSIONS.relationshipsManage)
  acceptReceived(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(ReceivedPartnershipRequestParamSchema, 'path')) params: { id: string },
    @Body(new ZodPipe(AcceptReceivedPartnershipRequestSchema))
    body: AcceptReceivedPartnershipRequestDto,
  ): Promise<PartnerRelationshipResponse> {
    return this.partnerships.acceptReceived(caller, params.id, body.authorize);
  }

  /**
   * `GET /v1/partnership-requests?size=&seek=&status=` → Collection of Invitation (the caller's
   * partnership requests, newest first).
   */
  @Get()
  @ApiResponse(200, InvitationCollectionSchema, 'A page of the partnership requests.')
  @RequirePermission(PERMISSIONS.channelRead)
  list(
    @CurrentUser() caller: Caller,
    @Query(new ZodPipe(InvitationListQuerySchema, 'query')) query: InvitationListQuery,
  ): Promise<Collection<InvitationResponse>> {
    return this.invitations.list(caller.tenantId, 'partnership', query);
  }

  /**
   * `DELETE /v1/partnership-requests/{id}` → 204: revokes the request (its link stops working).
   * Errors: 404 `invitation.not_found`, 409 `invitation.already_accepted`.
   */
  @Delete(':id')
  @ApiResponse(204, undefined, 'The request is revoked (its link no longer works).')
  @Audited('invitation.revoked')
  @HttpCode(204)
  @RequirePermission(PERMISSIONS.relationshipsManage)
  async revoke(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(InvitationIdParamSchema, 'path')) params: { id: string },
  ): Promise<void> {
    await this.invitations.revoke(caller.tenantId, params.id, {
      kind: 'partnership',
      actor: caller,
    });
  }

  /**
   * `POST /v1/partnership-requests/{id}/resend` `{ draftOnly? }` → 200 like the creation: a new
   * token and link (the old one dies), a new draft, a new email unless `draftOnly`.
   * Errors: 404 `invitation.not_found`, 409 `invitation.already_accepted`, 410 `invitation.revoked`,
   * 503 `dependency.unavailable`.
   */
  @Post(':id/resend')
  @ApiResponse(
    200,
    InvitationSentResponseSchema,
    'The request with a new link and expiry, and its email.',
  )
  @Audited('invitation.resent')
  @HttpCode(200)
  @RequirePermission(PERMISSIONS.relationshipsManage)
  async resend(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(InvitationIdParamSchema, 'path')) params: { id: string },
    @Body(new ZodPipe(ResendInvitationSchema)) body: ResendInvitationDto,
  ): Promise<InvitationSentResponse> {
    const { invitation, draft, link, queued } = await this.invitations.resend(
      caller.tenantId,
      params.id,
      { kind: 'partnership', actor: caller, draftOnly: body.draftOnly },
    );
    return toInvitationSentResponse(invitation, draft, link, queued);
  }
}
