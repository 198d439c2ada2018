import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { Caller, CurrentUser, PERMISSIONS, RequirePermission } from '@app/auth';
import {
  ApiResponse,
  Audited,
  Collection,
  CurrentIdempotentCall,
  Idempotent,
  IdempotentCall,
  PageQuerySchema,
  ZodPipe,
} from '@app/platform';
import { z } from 'zod';
import { CustomersService } from './customers.service';
import {
  BillingProfileInput,
  BillingProfileResponse,
  BillingProfileResponseSchema,
  CompanyProfileResponse,
  CompanyProfileResponseSchema,
} from './dto/customer-profiles.dto';
import {
  CreateCustomerDto,
  CreateCustomerSchema,
  CreatedCustomerResponse,
  CreatedCustomerResponseSchema,
  CustomerIdParamSchema,
  CustomerListQuery,
  CustomerListQuerySchema,
  CustomerResponse,
  FullCustomerResponse,
  FullCustomerResponseSchema,
  PartnerRelationshipResponse,
  UpdateBillingProfileSchema,
  UpdateCustomerDto,
  UpdateCustomerSchema,
  CustomerCollectionSchema,
  CustomerPartnerRelationshipCollectionSchema,
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
  @ApiResponse(200, CustomerCollectionSchema, "A page of the caller's customers.")
  list(
    @CurrentUser() caller: Caller,
    @Query(new ZodPipe(CustomerListQuerySchema, 'query')) query: CustomerListQuery,
  ): Promise<Collection<CustomerResponse>> {
    return this.customers.list(caller, query);
  }

  /**
   * `POST /v1/customers` (`customersOrder`; Partner Center "Create a customer", "Create a customer
   * for an indirect reseller"; seed 002): body `CreateCustomerSchema` (`companyProfile.domain`,
   * `billingProfile`, `associatedPartnerId`; our extension `subscriptions`) → 201 Customer with
   * `userCredentials { userName, password }` (the Global admin's temporary password, shown once).
   * Idempotent by `MS-RequestId` (a repeat answers the same 201 with the same credentials; 409
   * `request.in_progress` while the first runs). Errors: 400 `request.invalid` /
   * `customer.domain_invalid` / subscription errors, 403 `partner.not_active`, 403
   * `relationship_request.region_mismatch` / `relationship_request.cloud_mismatch` (the creating
   * partner or the indirect reseller outside the customer's market or cloud), 409
   * `customer.domain_taken`, 422 `partnership.required` / `customer.indirect_reseller_not_allowed`,
   * 503.
   */
  @Post()
  @Idempotent()
  @Audited('customer.created')
  @RequirePermission(PERMISSIONS.customersOrder)
  @ApiResponse(
    201,
    CreatedCustomerResponseSchema,
    "The new customer, with its Global admin's temporary credentials (shown once).",
  )
  create(
    @CurrentUser() caller: Caller,
    @Body(new ZodPipe(CreateCustomerSchema)) body: CreateCustomerDto,
    @CurrentIdempotentCall() call: IdempotentCall | null,
  ): Promise<CreatedCustomerResponse> {
    return this.customers.create(caller, body, call);
  }

  /**
   * `GET /v1/customers/{id}` (`channelRead`; Partner Center "Get a customer by ID"): the customer
   * in full. 404 `customer.not_found` (unknown, another partner's, or a removed relationship).
   */
  @Get(':id')
  @RequirePermission(PERMISSIONS.channelRead)
  @ApiResponse(200, FullCustomerResponseSchema, 'The customer in full.')
  get(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(CustomerIdParamSchema, 'path')) params: { id: string },
  ): Promise<FullCustomerResponse> {
    return this.customers.get(caller, params.id);
  }

  /**
   * `GET /v1/customers/{id}/profiles/company` (`channelRead`): Partner Center's
   * CustomerCompanyProfile (address and email only with delegated admin privileges). 404
   * `customer.not_found`.
   */
  @Get(':id/profiles/company')
  @RequirePermission(PERMISSIONS.channelRead)
  @ApiResponse(200, CompanyProfileResponseSchema, "The customer's company profile.")
  companyProfile(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(CustomerIdParamSchema, 'path')) params: { id: string },
  ): Promise<CompanyProfileResponse> {
    return this.customers.companyProfile(caller, params.id);
  }

  /**
   * `GET /v1/customers/{id}/profiles/billing` (`channelRead`): Partner Center's
   * CustomerBillingProfile with `attributes.etag`. 404 `customer.not_found`.
   */
  @Get(':id/profiles/billing')
  @RequirePermission(PERMISSIONS.channelRead)
  @ApiResponse(200, BillingProfileResponseSchema, "The customer's billing profile, with its etag.")
  billingProfile(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(CustomerIdParamSchema, 'path')) params: { id: string },
  ): Promise<BillingProfileResponse> {
    return this.customers.billingProfile(caller, params.id);
  }

  /**
   * `PUT /v1/customers/{id}/profiles/billing` (`relationshipsManage`; Partner Center "Update a
   * customer's billing profile"): the full profile, `If-Match: "<attributes.etag>"` → 200 the new
   * profile with a new etag. 400 `request.invalid`, 404 `customer.not_found`, 412
   * `request.etag_mismatch`, 428 `request.precondition_required`.
   */
  @Put(':id/profiles/billing')
  @Audited('customer.billing_profile_updated')
  @RequirePermission(PERMISSIONS.relationshipsManage)
  @ApiResponse(
    200,
    BillingProfileResponseSchema,
    'The billing profile as updated, with its new etag.',
  )
  updateBillingProfile(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(CustomerIdParamSchema, 'path')) params: { id: string },
    @Headers('if-match') ifMatch: string | undefined,
    @Body(new ZodPipe(UpdateBillingProfileSchema)) body: BillingProfileInput,
  ): Promise<BillingProfileResponse> {
    return this.customers.updateBillingProfile(caller, params.id, ifMatch, body);
  }

  /**
   * `PATCH /v1/customers/{id}` (`relationshipsManage`; Partner Center "Remove a reseller
   * relationship", "Remove DAP"): `{ relationshipToPartner: 'none' }` removes the caller's reseller
   * relationship (seed 000; its delegated admin privileges end with it; no email);
   * `{ allowDelegatedAccess: false }` removes the caller's own delegated admin privileges only (the
   * users it created in the customer under them are disabled). → 200 Customer as the caller now
   * sees it. 400 `request.invalid` (neither or both), 404 `customer.not_found`; 409
   * `customer.active_subscriptions` while the caller has active subscriptions for the customer
   * (`data.subscriptions`: `[{ id, offerId, offerName, status }]`, `data.totalCount`): suspend
   * them first.
   */
  @Patch(':id')
  @Audited('reseller_relationship.removed', 'delegated_admin.removed')
  @HttpCode(200)
  @RequirePermission(PERMISSIONS.relationshipsManage)
  @ApiResponse(200, FullCustomerResponseSchema, 'The customer as the caller now sees it.')
  update(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(CustomerIdParamSchema, 'path')) params: { id: string },
    @Body(new ZodPipe(UpdateCustomerSchema)) body: UpdateCustomerDto,
  ): Promise<FullCustomerResponse> {
    return this.customers.update(caller, params.id, body);
  }

  /**
   * `GET /v1/customers/{id}/relationships?size=&seek=` (`channelRead`): the indirect resellers of
   * the customer, as PartnerRelationship items `{ id, name, mpnId, location, relationshipType:
   * 'is_indirect_reseller_of', state: 'Active' }`. 404 `customer.not_found`.
   */
  @Get(':id/relationships')
  @RequirePermission(PERMISSIONS.channelRead)
  @ApiResponse(
    200,
    CustomerPartnerRelationshipCollectionSchema,
    "A page of the customer's indirect resellers that the caller partners with.",
  )
  relationships(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(CustomerIdParamSchema, 'path')) params: { id: string },
    @Query(new ZodPipe(PageQuerySchema, 'query'))
    query: z.infer<typeof PageQuerySchema>,
  ): Promise<Collection<PartnerRelationshipResponse>> {
    return this.customers.indirectResellers(caller, params.id, query);
  }
}
