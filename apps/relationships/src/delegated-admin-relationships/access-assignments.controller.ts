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
import { AccessAssignmentsService } from './access-assignments.service';
import {
  AssignmentIdParamSchema,
  AssignmentList,
  AssignmentListSchema,
  AssignmentResponse,
  AssignmentSchema,
  CreateAssignmentDto,
  CreateAssignmentSchema,
  ListAssignmentsQuery,
  ListAssignmentsQuerySchema,
  OperationIdParamSchema,
  OperationList,
  OperationListSchema,
  OperationResponse,
  OperationSchema,
  UpdateAssignmentDto,
  UpdateAssignmentSchema,
} from './dto/access-assignment.dto';
import { RelationshipIdParamSchema } from './dto/delegated-admin-relationship.dto';
import { GraphExceptionFilter } from './graph-exception.filter';

/**
 * Access assignments and operations of delegated admin relationships (issue 10 part 2) in
 * Microsoft Graph's shape (../shared/reference/partner-center-api.md §12.3, §12.4); errors in
 * Graph's format. The partner's side only: read with `gdapRead`, change with `gdapManage`
 * (partner Global admin, Admin agent).
 */
@Controller('v1/tenantRelationships/delegatedAdminRelationships/:id')
@UseFilters(GraphExceptionFilter)
@ApiErrorFormat('graph')
export class AccessAssignmentsController {
  constructor(private readonly assignments: AccessAssignmentsService) {}

  /**
   * `POST /{id}/accessAssignments` `{ accessContainer: { accessContainerId, accessContainerType:
   * 'securityGroup' }, accessDetails: { unifiedRoles } }` → 201 + `Location`. 400
   * `gdap.role_not_in_relationship`, 404, 409 `gdap.assignment_exists` / `gdap.invalid_status`,
   * 422 `gdap.security_group_not_found`.
   */
  @Post('accessAssignments')
  @Audited('delegated_admin_access_assignment.created')
  @RequirePermission(PERMISSIONS.gdapManage)
  @ApiResponse(
    201,
    AssignmentSchema,
    'The new access assignment (pending, or active on an active relationship).',
    ['Location'],
  )
  async create(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(RelationshipIdParamSchema, 'path')) params: { id: string },
    @Body(new ZodPipe(CreateAssignmentSchema)) body: CreateAssignmentDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AssignmentResponse> {
    const created = await this.assignments.create(caller, params.id, body);
    void reply.header('location', created.location);
    return created.body;
  }

  /** `GET /{id}/accessAssignments?$top&$filter=status eq '…'&$skipToken` → Graph list. */
  @Get('accessAssignments')
  @RequirePermission(PERMISSIONS.gdapRead)
  @ApiResponse(200, AssignmentListSchema, 'A page of access assignments, oldest first.')
  list(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(RelationshipIdParamSchema, 'path')) params: { id: string },
    @Query(new ZodPipe(ListAssignmentsQuerySchema, 'query')) query: ListAssignmentsQuery,
  ): Promise<AssignmentList> {
    return this.assignments.list(caller, params.id, query);
  }

  /** `GET /{id}/accessAssignments/{assignmentId}` → 200. 404 `gdap.assignment_not_found`. */
  @Get('accessAssignments/:assignmentId')
  @RequirePermission(PERMISSIONS.gdapRead)
  @ApiResponse(200, AssignmentSchema, 'The access assignment.')
  get(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(AssignmentIdParamSchema, 'path'))
    params: { id: string; assignmentId: string },
  ): Promise<AssignmentResponse> {
    return this.assignments.get(caller, params.id, params.assignmentId);
  }

  /**
   * `PATCH /{id}/accessAssignments/{assignmentId}` `{ accessDetails }` (`If-Match` required) →
   * 202, empty, `Location` of the operation and `Retry-After`; 200 the unchanged assignment when
   * the roles are the same. 428, 412, 400, 404, 409.
   */
  @Patch('accessAssignments/:assignmentId')
  @Audited('delegated_admin_access_assignment.updated')
  @RequirePermission(PERMISSIONS.gdapManage)
  @ApiResponse(202, undefined, 'The change is an operation: read it at Location.', [
    'Location',
    'Retry-After',
  ])
  @ApiResponse(200, AssignmentSchema, 'Nothing changed: the same roles.')
  async update(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(AssignmentIdParamSchema, 'path'))
    params: { id: string; assignmentId: string },
    @Headers('if-match') ifMatch: string | undefined,
    @Body(new ZodPipe(UpdateAssignmentSchema)) body: UpdateAssignmentDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AssignmentResponse | undefined> {
    const result = await this.assignments.update(
      caller,
      params.id,
      params.assignmentId,
      ifMatch,
      body,
    );
    if (!result.changed) return result.body;
    void reply
      .status(202)
      .header('location', result.location)
      .header('retry-after', String(result.retryAfterSeconds));
    return undefined;
  }

  /** `DELETE /{id}/accessAssignments/{assignmentId}` (`If-Match` required) → 204. */
  @Delete('accessAssignments/:assignmentId')
  @Audited('delegated_admin_access_assignment.deleted')
  @HttpCode(204)
  @RequirePermission(PERMISSIONS.gdapManage)
  @ApiResponse(204, undefined, 'Deleted (status deleted).')
  async remove(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(AssignmentIdParamSchema, 'path'))
    params: { id: string; assignmentId: string },
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<void> {
    await this.assignments.remove(caller, params.id, params.assignmentId, ifMatch);
  }

  /** `GET /{id}/operations` → `{ "@odata.context", value }`. */
  @Get('operations')
  @RequirePermission(PERMISSIONS.gdapRead)
  @ApiResponse(200, OperationListSchema, "The relationship's operations.")
  listOperations(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(RelationshipIdParamSchema, 'path')) params: { id: string },
  ): Promise<OperationList> {
    return this.assignments.listOperations(caller, params.id);
  }

  /** `GET /{id}/operations/{operationId}` → 200. 404 `gdap.operation_not_found`. */
  @Get('operations/:operationId')
  @RequirePermission(PERMISSIONS.gdapRead)
  @ApiResponse(200, OperationSchema, 'The operation.')
  getOperation(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(OperationIdParamSchema, 'path'))
    params: { id: string; operationId: string },
  ): Promise<OperationResponse> {
    return this.assignments.getOperation(caller, params.id, params.operationId);
  }
}
