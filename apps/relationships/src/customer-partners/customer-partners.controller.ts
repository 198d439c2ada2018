import { Controller, Delete, Get, Param, Query } from '@nestjs/common';
import { Caller, CurrentUser, PERMISSIONS, RequirePermission } from '@app/auth';
import { Audited, Collection, PageQuerySchema, ZodPipe, ApiResponse } from '@app/platform';
import { z } from 'zod';
import { CustomerPartnersService } from './customer-partners.service';
import {
  CustomerPartnerResponse,
  PartnerIdParamSchema,
  CustomerPartnerCollectionSchema,
  CustomerPartnerResponseSchema,
} from './dto/customer-partner.dto';

/** The customer's side: its partners and their delegated admin privileges (seed 001). */
@Controller('v1/partners')
export class CustomerPartnersController {
  constructor(private readonly partners: CustomerPartnersService) {}

  /**
   * `GET /v1/partners?size=&seek=` (`customerPartnersRead`): the caller customer's partners `{ id,
   * name, mpnId, relationshipActive, delegatedAdminPrivileges: { active, grantedAt, revokedAt },
   * attributes: { objectType: 'CustomerPartner' } }`.
   */
  @Get()
  @ApiResponse(200, CustomerPartnerCollectionSchema, "A page of the customer's partners.")
  @RequirePermission(PERMISSIONS.customerPartnersRead)
  list(
    @CurrentUser() caller: Caller,
    @Query(new ZodPipe(PageQuerySchema, 'query')) query: z.infer<typeof PageQuerySchema>,
  ): Promise<Collection<CustomerPartnerResponse>> {
    return this.partners.list(caller, query);
  }

  /**
   * `DELETE /v1/partners/{partnerId}/delegated-admin` (`customerPartnersManage`): revoke that
   * partner's delegated admin privileges; the relationship stays → 200 the CustomerPartner.
   * 404 `delegated_admin.not_found`.
   */
  @Delete(':partnerId/delegated-admin')
  @ApiResponse(
    200,
    CustomerPartnerResponseSchema,
    'The partner, without delegated admin privileges.',
  )
  @Audited('delegated_admin.revoked')
  @RequirePermission(PERMISSIONS.customerPartnersManage)
  revokeDelegatedAdmin(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(PartnerIdParamSchema, 'path')) params: { partnerId: string },
  ): Promise<CustomerPartnerResponse> {
    return this.partners.revokeDelegatedAdmin(caller, params.partnerId);
  }
}
