import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
  UseFilters,
} from '@nestjs/common';
import { Caller, CurrentUser, PERMISSIONS, RequirePermission } from '@app/auth';
import { ApiResponse, Audited, ZodPipe, ApiErrorFormat } from '@app/platform';
import type { FastifyReply } from 'fastify';
import {
  CreateRelationshipDto,
  CreateRelationshipSchema,
  CreateRequestDto,
  CreateRequestSchema,
  ListRelationshipsQuery,
  ListRelationshipsQuerySchema,
  RelationshipIdParamSchema,
  RelationshipList,
  RelationshipListSchema,
  RelationshipRequestList,
  RelationshipRequestListSchema,
  RelationshipRequestResponse,
  RelationshipRequestSchema,
  RelationshipResponse,
  RelationshipSchema,
  RequestIdParamSchema,
  UpdateRelationshipDto,
  UpdateRelationshipSchema,
} from './dto/delegated-admin-relationship.dto';
import { DelegatedAdminRelationshipsService } from './delegated-admin-relationships.service';
import { GraphExceptionFilter } from './graph-exception.filter';

/**
 * Granular delegated admin relationships (issue 10 part 1) in Microsoft Graph's shape
 * (`tenantRelationships/delegatedAdminRelationships`, ../shared/reference/partner-center-api.md
 * §12.1–12.2). Errors in Graph's format (`GraphExceptionFilter`). The partner's side reads and
 * writes its own relationships; a customer's side reads those naming it and acts on them through
 * their requests.
 */
@Controller('v1/tenantRelationships/delegatedAdminRelationships')
@UseFilters(GraphExceptionFilter)
@ApiErrorFormat('graph')
export class DelegatedAdminRelationshipsController {
  constructor(private readonly relationships: DelegatedAdminRelationshipsService) {}

  /**
   * `POST` (`gdapManage`: partner Global admin, Admin agent) `{ displayName, duration, customer?:
   * { tenantId }, accessDetails: { unifiedRoles: [{ roleDefinitionId }] }, autoExtendDuration? }`
   * → 201 the relationship (`created`) + `Location`. Errors: 400, 403 `partner.not_active`, 409
   * `gdap.display_name_taken`, 422 `gdap.customer_not_found`.
   */
  @Post()
  @Audited('delegated_admin_relationship.created')
  @RequirePermission(PERMISSIONS.gdapManage)
  @ApiResponse(201, RelationshipSchema, 'The new relationship, in status created.', ['Location'])
  async create(
    @CurrentUser() caller: Caller,
    @Body(new ZodPipe(CreateRelationshipSchema)) body: CreateRelationshipDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RelationshipResponse> {
    const created = await this.relationships.create(caller, body);
    void reply.header('location', created.location);
    return created.body;
  }

  /**
   * `GET ?$top=&$filter=status eq '…'&$orderby=&$skipToken=` (`gdapRead`) → 200 `{ "@odata.context",
   * value, "@odata.nextLink"? }`: the partner's relationships, or (customer) those naming it.
   */
  @Get()
  @RequirePermission(PERMISSIONS.gdapRead)
  @ApiResponse(200, RelationshipListSchema, 'A page of relationships.')
  list(
    @CurrentUser() caller: Caller,
    @Query(new ZodPipe(ListRelationshipsQuerySchema, 'query')) query: ListRelationshipsQuery,
  ): Promise<RelationshipList> {
    return this.relationships.list(caller, query);
  }

  /** `GET /{id}` (`gdapRead`) → 200 the relationship. 404 `gdap.relationship_not_found`. */
  @Get(':id')
  @RequirePermission(PERMISSIONS.gdapRead)
  @ApiResponse(200, RelationshipSchema, 'The relationship.')
  get(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(RelationshipIdParamSchema, 'path')) params: { id: string },
  ): Promise<RelationshipResponse> {
    return this.relationships.get(caller, params.id);
  }

  /**
   * `PATCH /{id}` (`gdapManage`, `If-Match` required) → 200 the relationship. 428, 412, 409
   * `gdap.invalid_status` / `gdap.field_not_updatable` / `gdap.display_name_taken`, 404.
   */
  @Patch(':id')
  @Audited('delegated_admin_relationship.updated')
  @RequirePermission(PERMISSIONS.gdapManage)
  @ApiResponse(200, RelationshipSchema, 'The changed relationship.')
  update(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(RelationshipIdParamSchema, 'path')) params: { id: string },
    @Headers('if-match') ifMatch: string | undefined,
    @Body(new ZodPipe(UpdateRelationshipSchema)) body: UpdateRelationshipDto,
  ): Promise<RelationshipResponse> {
    return this.relationships.update(caller, params.id, ifMatch, body);
  }

  /** `DELETE /{id}` (`gdapManage`, `If-Match` required; only while `created`) → 204. */
  @Delete(':id')
  @Audited('delegated_admin_relationship.deleted')
  @HttpCode(204)
  @RequirePermission(PERMISSIONS.gdapManage)
  @ApiResponse(204, undefined, 'Deleted.')
  async remove(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(RelationshipIdParamSchema, 'path')) params: { id: string },
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<void> {
    await this.relationships.remove(caller, params.id, ifMatch);
  }

  /**
   * `POST /{id}/requests` (`gdapRequest`) `{ action }` → 201 the request + `Location`: partner
   * `lockForApproval`, `terminate`; customer Global admin `approve`, `reject`, `terminate`.
   * Errors: 403 `gdap.action_not_allowed`, 404, 409 `gdap.invalid_status`, 422
   * `gdap.customer_required` / `gdap.customer_not_found`.
   */
  @Post(':id/requests')
  @Audited(
    'delegated_admin_relationship.approval_requested',
    'delegated_admin_relationship.approved',
    'delegated_admin_relationship.rejected',
    'delegated_admin_relationship.terminated',
  )
  @RequirePermission(PERMISSIONS.gdapRequest)
  @ApiResponse(201, RelationshipRequestSchema, 'The request, carried out.', ['Location'])
  async request(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(RelationshipIdParamSchema, 'path')) params: { id: string },
    @Body(new ZodPipe(CreateRequestSchema)) body: CreateRequestDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RelationshipRequestResponse> {
    const created = await this.relationships.request(caller, params.id, body.action);
    void reply.header('location', created.location);
    return created.body;
  }

  /** `GET /{id}/requests` (`gdapRead`) → 200 `{ "@odata.context", value }`. */
  @Get(':id/requests')
  @RequirePermission(PERMISSIONS.gdapRead)
  @ApiResponse(200, RelationshipRequestListSchema, 'The requests on the relationship.')
  listRequests(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(RelationshipIdParamSchema, 'path')) params: { id: string },
  ): Promise<RelationshipRequestList> {
    return this.relationships.listRequests(caller, params.id);
  }

  /** `GET /{id}/requests/{requestId}` (`gdapRead`) → 200 the request. */
  @Get(':id/requests/:requestId')
  @RequirePermission(PERMISSIONS.gdapRead)
  @ApiResponse(200, RelationshipRequestSchema, 'The request.')
  getRequest(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(RequestIdParamSchema, 'path')) params: { id: string; requestId: string },
  ): Promise<RelationshipRequestResponse> {
    return this.relationships.getRequest(caller, params.id, params.requestId);
  }
}
