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
  AcceptRelationshipRequestDto,
  AcceptRelationshipRequestSchema,
  AcceptedRelationshipRequestResponse,
  AcceptedRelationshipRequestSchema,
  CreateRelationshipRequestDto,
  CreateRelationshipRequestSchema,
  RelationshipRequestCollectionSchema,
  RelationshipRequestResponse,
  RelationshipRequestSchema,
  RelationshipRequestSentResponse,
  RelationshipRequestSentSchema,
} from './dto/relationship-request.dto';
import { RelationshipRequestsService } from './relationship-requests.service';

/** Reseller relationship requests (seeds 000/001), sent by partners and accepted by customers. */
@Controller('v1/customers/relationship-requests')
export class RelationshipRequestsController {
  constructor(private readonly requests: RelationshipRequestsService) {}

  /**
   * `POST /v1/customers/relationship-requests` (`relationshipsManage`): `{ email, delegatedAdmin,
   * indirectProviderId?, locale?, customMessage?, draftOnly? }` → 201 `{ id, email, status,
   * delegatedAdmin, indirectProviderId, expiresAt, draft: { subject, text, html, link }, queued }`.
   * Errors: 403 `partner.not_active`; 422 `relationship_request.delegated_admin_required`,
   * `relationship_request.joint_not_allowed`, `partnership.required`; 503.
   */
  @Post()
  @Idempotent({ inStatement: true })
  @Audited('reseller_relationship.requested')
  @ApiResponse(
    201,
    RelationshipRequestSentSchema,
    'The request, its draft and whether it was queued.',
  )
  @RequirePermission(PERMISSIONS.relationshipsManage)
  create(
    @CurrentUser() caller: Caller,
    @Body(new ZodPipe(CreateRelationshipRequestSchema)) body: CreateRelationshipRequestDto,
    @CurrentIdempotentCall() call: IdempotentCall | null,
  ): Promise<RelationshipRequestSentResponse> {
    return this.requests.create(caller, body, call);
  }

  /**
   * `GET /v1/customers/relationship-requests?size=&seek=&status=` (`channelRead`): the caller's
   * requests, newest first.
   */
  @Get()
  @ApiResponse(200, RelationshipRequestCollectionSchema, "The caller's requests, newest first.")
  @RequirePermission(PERMISSIONS.channelRead)
  list(
    @CurrentUser() caller: Caller,
    @Query(new ZodPipe(InvitationListQuerySchema, 'query')) query: InvitationListQuery,
  ): Promise<Collection<RelationshipRequestResponse>> {
    return this.requests.list(caller, query);
  }

  /**
   * `POST /v1/customers/relationship-requests/accept` (`customerPartnersManage`, the customer's
   * Global admin): `{ token, acceptCustomerAgreement?, customerAgreementVersion? }` (the version of
   * the Customer Agreement's text shown, default the current one; recorded with the acceptance)
   * → 200 `{ customerId,
   * customerAgreementAcceptedAt, relationships: [{ partnerId, partnerName, relationshipToCustomer,
   * delegatedAdmin, indirectResellerId }] }`. Errors: 403 `relationship_request.customer_only`,
   * `invitation.wrong_organization` (sent to an address of another organisation),
   * `relationship_request.cloud_mismatch`, `relationship_request.region_mismatch`; 404
   * `invitation.not_found`; 409 `invitation.already_accepted`; 410 `invitation.revoked` /
   * `invitation.expired`; 422 `customer_agreement.required`, `partnership.required`,
   * `relationship_request.partner_not_active`; 400 `customer_agreement.version_unknown`; 503.
   */
  @Post('accept')
  @Audited('reseller_relationship.established')
  @HttpCode(200)
  @ApiResponse(200, AcceptedRelationshipRequestSchema, 'The relationships established.')
  @RequirePermission(PERMISSIONS.customerPartnersManage)
  accept(
    @CurrentUser() caller: Caller,
    @Body(new ZodPipe(AcceptRelationshipRequestSchema)) body: AcceptRelationshipRequestDto,
  ): Promise<AcceptedRelationshipRequestResponse> {
    return this.requests.accept(caller, body);
  }

  /**
   * `DELETE /v1/customers/relationship-requests/{id}` (`relationshipsManage`): revoke a request →
   * 200 the request (status `revoked`). 404 `invitation.not_found`, 409 `invitation.already_accepted`.
   */
  @Delete(':id')
  @Audited('invitation.revoked')
  @ApiResponse(200, RelationshipRequestSchema, 'The request, revoked.')
  @RequirePermission(PERMISSIONS.relationshipsManage)
  revoke(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(InvitationIdParamSchema, 'path')) params: { id: string },
  ): Promise<RelationshipRequestResponse> {
    return this.requests.revoke(caller, params.id);
  }

  /**
   * `POST /v1/customers/relationship-requests/{id}/resend` (`relationshipsManage`): `{ draftOnly? }`
   * → 200 as for creating (new link; the old one no longer works). 404, 409, 410 as above.
   */
  @Post(':id/resend')
  @Audited('invitation.resent')
  @HttpCode(200)
  @ApiResponse(200, RelationshipRequestSentSchema, 'The request with its new link and draft.')
  @RequirePermission(PERMISSIONS.relationshipsManage)
  resend(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(InvitationIdParamSchema, 'path')) params: { id: string },
    @Body(new ZodPipe(ResendInvitationSchema)) body: ResendInvitationDto,
  ): Promise<RelationshipRequestSentResponse> {
    return this.requests.resend(caller, params.id, body.draftOnly);
  }
}
