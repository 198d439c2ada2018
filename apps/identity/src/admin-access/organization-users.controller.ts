import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { Caller, CurrentUser, PERMISSIONS, RequirePermission } from '@app/auth';
import { Audited, Idempotent, ZodPipe, ApiResponse } from '@app/platform';
import {
  CreateUserInput,
  CreateUserSchema,
  UserCollectionSchema,
  UserWithTemporaryPasswordSchema,
} from '../users/dto/user.dto';
import { UsersService } from '../users/users.service';
import { AdminAccessService } from './admin-access.service';
import {
  AdminAccessListQuerySchema,
  OrganizationIdSchema,
  PageQuery,
} from './dto/admin-access.dto';

/**
 * An indirect provider's Admin agents manage the users of an indirect reseller that granted it
 * administrator access (seed 004 step 3 note). Without an active grant: 404
 * `organization.not_found`. Same shapes as `/v1/users`. The provider acts as a delegated manager
 * (`DELEGATED_GRANTS`): it grants Sales agent, Helpdesk agent and Billing admin, never Global
 * admin, User management admin or Admin agent (403 `user.role_not_grantable`), so the reseller's
 * own admins stay in control of the organisation and of the grant; every user it creates records
 * the grant and is disabled when the grant ends (issue 9 point 3).
 */
@Controller('v1/organizations/:tenantId/users')
export class OrganizationUsersController {
  constructor(
    private readonly access: AdminAccessService,
    private readonly users: UsersService,
  ) {}

  /** `GET /v1/organizations/{tenantId}/users?size&seek`: the organisation's users. */
  @Get()
  @ApiResponse(200, UserCollectionSchema, "A page of the organisation's users.")
  @RequirePermission(PERMISSIONS.delegatedUsersManage)
  async list(
    @CurrentUser() caller: Caller,
    @Param('tenantId', new ZodPipe(OrganizationIdSchema, 'organization id')) tenantId: string,
    @Query(new ZodPipe(AdminAccessListQuerySchema, 'query')) page: PageQuery,
  ) {
    await this.access.assertActiveGrant(caller.tenantId, tenantId);
    return this.users.list(tenantId, page, `/v1/organizations/${tenantId}/users`, caller.tenantId);
  }

  /**
   * `POST /v1/organizations/{tenantId}/users` `{ firstName, lastName, email, roles, locale? }` →
   * 201 `{ user, temporaryPassword }` (shown once; `user.delegation` names the grant). 403
   * `user.role_not_grantable` for Global admin, User management admin, Admin agent; 409
   * `user.email_taken` when a user of that organisation has the address (never for another
   * organisation's user).
   */
  @Post()
  @Idempotent()
  @ApiResponse(
    201,
    UserWithTemporaryPasswordSchema,
    'The new user and its one-time temporary password.',
  )
  @RequirePermission(PERMISSIONS.delegatedUsersManage)
  @Audited('user.created')
  async create(
    @CurrentUser() caller: Caller,
    @Param('tenantId', new ZodPipe(OrganizationIdSchema, 'organization id')) tenantId: string,
    @Body(new ZodPipe(CreateUserSchema, 'body')) body: CreateUserInput,
  ) {
    const delegation = await this.access.assertActiveGrant(caller.tenantId, tenantId);
    return this.users.create(tenantId, { kind: 'delegated', delegation }, body);
  }
}
