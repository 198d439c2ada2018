import { Controller, Delete, Get, HttpCode, Param, Query } from '@nestjs/common';
import { Caller, CurrentUser, PERMISSIONS, RequirePermission } from '@app/auth';
import { Audited, ZodPipe, ApiResponse } from '@app/platform';
import { Uuid } from '@app/contracts';
import { AdminAccessService } from './admin-access.service';
import {
  AdminAccessListQuerySchema,
  PageQuery,
  AdminAccessCollectionSchema,
} from './dto/admin-access.dto';

/**
 * The reseller side of provider administrator access (seed 004 step 3 note: "you can remove the
 * provider's administrator access to your work account").
 */
@Controller('v1/admin-access')
export class AdminAccessController {
  constructor(private readonly access: AdminAccessService) {}

  /**
   * `GET /v1/admin-access?size&seek`: collection of `{ providerTenantId, providerName,
   * providerMpnId, partnershipId, status, grantedAt }`.
   */
  @Get()
  @ApiResponse(
    200,
    AdminAccessCollectionSchema,
    'The indirect providers holding administrator access.',
  )
  @RequirePermission(PERMISSIONS.usersManage)
  list(
    @CurrentUser() caller: Caller,
    @Query(new ZodPipe(AdminAccessListQuerySchema, 'query')) page: PageQuery,
  ) {
    return this.access.listForReseller(caller.tenantId, page);
  }

  /**
   * `DELETE /v1/admin-access/{providerTenantId}` → 204 (reseller's Global admin only, issue 9
   * point 4). The partnership stays; the users the provider created in the organisation through
   * this access are disabled and their sessions revoked (issue 9 point 3). Authorizing the provider
   * again (a new partnership request) grants access anew. 404 `admin_access.not_found`.
   */
  @Delete(':providerTenantId')
  @ApiResponse(204, undefined, 'The administrator access is withdrawn.')
  @HttpCode(204)
  @RequirePermission(PERMISSIONS.adminAccessWithdraw)
  @Audited('admin_access.withdrawn')
  async withdraw(
    @CurrentUser() caller: Caller,
    @Param('providerTenantId', new ZodPipe(Uuid, 'provider tenant id')) providerTenantId: string,
  ): Promise<void> {
    await this.access.withdraw(caller.tenantId, providerTenantId, caller.userId);
  }
}
