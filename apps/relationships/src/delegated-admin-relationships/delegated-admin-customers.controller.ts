import { Controller, Get, Param, Query, UseFilters } from '@nestjs/common';
import { Caller, CurrentUser, PERMISSIONS, RequirePermission } from '@app/auth';
import { ApiErrorFormat, ApiResponse, ZodPipe } from '@app/platform';
import { DelegatedAdminCustomersService } from './delegated-admin-customers.service';
import {
  CustomerIdParamSchema,
  DelegatedAdminCustomerList,
  DelegatedAdminCustomerListSchema,
  DelegatedAdminCustomerResponse,
  DelegatedAdminCustomerSchema,
  ListCustomersQuery,
  ListCustomersQuerySchema,
} from './dto/delegated-admin-customer.dto';
import { GraphExceptionFilter } from './graph-exception.filter';

/**
 * Delegated admin customers (GDAP, issue 10) in Microsoft Graph's shape
 * (`tenantRelationships/delegatedAdminCustomers`): the customers the calling partner has at least
 * one delegated admin relationship with. Errors in Graph's format (`GraphExceptionFilter`).
 */
@Controller('v1/tenantRelationships/delegatedAdminCustomers')
@UseFilters(GraphExceptionFilter)
@ApiErrorFormat('graph')
export class DelegatedAdminCustomersController {
  constructor(private readonly customers: DelegatedAdminCustomersService) {}

  /**
   * `GET ?$top=&$skipToken=` (`gdapRead`) → 200 `{ "@odata.context", value: [{ id, tenantId,
   * displayName }], "@odata.nextLink"? }`. Any other option or parameter: 400.
   */
  @Get()
  @RequirePermission(PERMISSIONS.gdapRead)
  @ApiResponse(200, DelegatedAdminCustomerListSchema, 'A page of delegated admin customers.')
  list(
    @CurrentUser() caller: Caller,
    @Query(new ZodPipe(ListCustomersQuerySchema, 'query')) query: ListCustomersQuery,
  ): Promise<DelegatedAdminCustomerList> {
    return this.customers.list(caller, query);
  }

  /** `GET /{id}` (`gdapRead`; `id` the customer's tenant id) → 200. 404 `gdap.delegated_admin_customer_not_found`. */
  @Get(':id')
  @RequirePermission(PERMISSIONS.gdapRead)
  @ApiResponse(200, DelegatedAdminCustomerSchema, 'The delegated admin customer.')
  get(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(CustomerIdParamSchema, 'path')) params: { id: string },
  ): Promise<DelegatedAdminCustomerResponse> {
    return this.customers.get(caller, params.id);
  }
}
