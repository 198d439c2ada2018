import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { Caller, CurrentUser, PERMISSIONS, RequirePermission } from '@app/auth';
import { Audited, Collection, PageQuerySchema, ZodPipe } from '@app/platform';
import { z } from 'zod';
import { SubscriptionResponse } from '../subscriptions/dto/subscription.dto';
import { CustomersService } from './customers.service';
import {
  CreateCustomerDto,
  CreateCustomerSchema,
  CreatedCustomerResponse,
  CustomerIdParamSchema,
  CustomerListQuery,
  CustomerListQuerySchema,
  CustomerResponse,
  PartnerRelationshipResponse,
  UpdateCustomerSchema,
} from './dto/customer.dto';

/** A partner's customers (Partner Center's Customer resource). */
@Controller('v1/customers')
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  /**
   * `GET /v1/customers?size=&seek=&filter=` (`channelRead`): the caller's customers with an active
   * reseller relationship, by company name, as a Collection of Customer `{ id, companyProfile: {
   * tenantId, domain, companyName, country }, relationshipToPartner: 'reseller',
   * allowDelegatedAccess, associatedPartnerId, attributes: { objectType: 'Customer' } }`. `filter`
   * is Partner Center's URL-encoded JSON `{"Field","Value","Operator":"starts_with"}`: `CompanyName`
   * / `Domain` (prefix, ignoring case), `IndirectReseller` (an indirect provider's customers
   * associated with that reseller), `IndirectCloudSolutionProvider` (an indirect reseller's
   * customers shared with that provider, seed 004; an empty list for a provider without an
   * active partnership with the caller). 400 `customer.filter_invalid` naming a malformed filter,
   * an unknown field or operator; 400 `request.invalid` for an unknown parameter.
   */
  @Get()
  @RequirePermission(PERMISSIONS.channelRead)
  list(
    @CurrentUser() caller: Caller,
    @Query(new ZodPipe(CustomerListQuerySchema, 'query')) query: CustomerListQuery,
  ): Promise<Collection<CustomerResponse>> {
    return this.customers.list(caller, query);
  }

  /**
   * `POST /v1/customers` (`customersOrder`): create a new customer (seed 002) → 201 `{ customer,
   * adminUser: { userPrincipalName, temporaryPassword } (shown once), subscriptions }`. Errors: 400
   * `request.invalid` / subscription errors, 403 `partner.not_active`, 403
   * `relationship_request.region_mismatch` / `relationship_request.cloud_mismatch` (the creating
   * partner or the indirect reseller outside the customer's market or cloud), 409
   * `customer.domain_taken`, 422 `partnership.required` / `customer.indirect_reseller_not_allowed`,
   * 503.
   */
  @Post()
  @Audited('customer.created')
  @RequirePermission(PERMISSIONS.customersOrder)
  create(
    @CurrentUser() caller: Caller,
    @Body(new ZodPipe(CreateCustomerSchema)) body: CreateCustomerDto,
  ): Promise<CreatedCustomerResponse<SubscriptionResponse>> {
    return this.customers.create(caller, body);
  }

  /** `GET /v1/customers/{id}` (`channelRead`): one customer; 404 `customer.not_found`. */
  @Get(':id')
  @RequirePermission(PERMISSIONS.channelRead)
  get(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(CustomerIdParamSchema, 'path')) params: { id: string },
  ): Promise<CustomerResponse> {
    return this.customers.get(caller, params.id);
  }

  /**
   * `PATCH /v1/customers/{id}` (`relationshipsManage`): `{ relationshipToPartner: 'none' }` removes
   * the caller's reseller relationship (seed 000); delegated admin privileges stay; no email.
   * → 200 Customer with `relationshipToPartner: 'none'`. 404 `customer.not_found`; 409
   * `customer.active_subscriptions` while the caller has active subscriptions for the customer
   * (`data.subscriptions`: `[{ id, offerId, offerName, status }]`, `data.totalCount`): suspend
   * them first.
   */
  @Patch(':id')
  @Audited('reseller_relationship.removed')
  @HttpCode(200)
  @RequirePermission(PERMISSIONS.relationshipsManage)
  update(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(CustomerIdParamSchema, 'path')) params: { id: string },
    @Body(new ZodPipe(UpdateCustomerSchema)) _body: z.infer<typeof UpdateCustomerSchema>,
  ): Promise<CustomerResponse> {
    return this.customers.removeRelationship(caller, params.id);
  }

  /**
   * `GET /v1/customers/{id}/relationships?size=&seek=` (`channelRead`): the indirect resellers of
   * the customer, as PartnerRelationship items `{ id, name, mpnId, location, relationshipType:
   * 'IsIndirectResellerOf', state: 'Active' }`. 404 `customer.not_found`.
   */
  @Get(':id/relationships')
  @RequirePermission(PERMISSIONS.channelRead)
  relationships(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(CustomerIdParamSchema, 'path')) params: { id: string },
    @Query(new ZodPipe(PageQuerySchema, 'query'))
    query: z.infer<typeof PageQuerySchema>,
  ): Promise<Collection<PartnerRelationshipResponse>> {
    return this.customers.indirectResellers(caller, params.id, query);
  }
}
