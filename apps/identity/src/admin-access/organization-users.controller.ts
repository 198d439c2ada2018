import { Controller, Get, Param, Query } from '@nestjs/common';
import { Caller, CurrentUser, PERMISSIONS, RequirePermission } from '@app/auth';
import { ZodPipe, ApiResponse } from '@app/platform';
import { UserCollectionSchema } from '../users/dto/user.dto';
import { UsersService } from '../users/users.service';
import { AdminAccessService } from './admin-access.service';
import {
  AdminAccessListQuerySchema,
  OrganizationIdSchema,
  PageQuery,
} from './dto/admin-access.dto';

/**
 * An indirect provider's Admin agents read the users of an indirect reseller that granted it
 * administrator access (seed 004 step 3 note). Without an active grant: 404
 * `organization.not_found`. Same shapes as `/v1/users`.
 *
 * Creating users here (`POST`, which minted accounts the provider held inside the reseller's
 * organisation) is removed (issue 10): the provider's users act in the reseller's organisation with
 * their own identity through a delegated admin relationship the reseller approved, on
 * `/v1/customers/{resellerTenantId}/users` (`DelegatedAccessService`). Accounts minted before are
 * disabled by the migration `Migration20261208200000` (see `database/minted-accounts.ts`).
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
}
