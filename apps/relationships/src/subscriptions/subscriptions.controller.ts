import { Body, Controller, Get, Headers, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { Caller, CurrentUser, PERMISSIONS, RequirePermission } from '@app/auth';
import {
  ApiResponse,
  Audited,
  Collection,
  Idempotent,
  ZodPipe,
  collectionSchema,
} from '@app/platform';
import { z } from 'zod';
import {
  CustomerSubscriptionsParamSchema,
  OfferResponse,
  OfferSchema,
  PutSupportContactDto,
  PutSupportContactSchema,
  SubscriptionSchema,
  SupportContactResponse,
  SupportContactSchema,
  OrderSubscriptionDto,
  OrderSubscriptionSchema,
  SubscriptionListQuerySchema,
  SubscriptionParamSchema,
  SubscriptionResponse,
  UpdateSubscriptionDto,
  UpdateSubscriptionSchema,
} from './dto/subscription.dto';
import { toOfferResponse } from './dto/subscription.response';
import { OFFER_CATALOG } from './offer-catalog';
import { SubscriptionsService } from './subscriptions.service';

const SubscriptionCollectionSchema = collectionSchema(SubscriptionSchema);

/** Seed 002 "Add new subscriptions to customer accounts": a customer's subscriptions. */
@Controller('v1/customers/:customerId/subscriptions')
export class SubscriptionsController {
  constructor(private readonly subscriptions: SubscriptionsService) {}

  /**
   * `GET /v1/customers/{customerId}/subscriptions?size=&seek=&mpn_id=` (`channelRead`): the customer's
   * subscriptions the caller ordered, and for an indirect reseller the orders of the indirect
   * providers that associate it (read only); never another partner's. Oldest first. `mpn_id`:
   * only those whose reseller of record (`partnerId`) has that Partner ID (Partner Center "Get a
   * customer's subscriptions by partner MPN ID").
   * 404 `customer.not_found` without an active relationship of the caller.
   */
  @Get()
  @RequirePermission(PERMISSIONS.channelRead)
  @ApiResponse(200, SubscriptionCollectionSchema, "The customer's subscriptions the caller reads.")
  list(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(CustomerSubscriptionsParamSchema)) params: { customerId: string },
    @Query(new ZodPipe(SubscriptionListQuerySchema))
    query: z.infer<typeof SubscriptionListQuerySchema>,
  ): Promise<Collection<SubscriptionResponse>> {
    return this.subscriptions.list(caller, params.customerId, query);
  }

  /**
   * `POST /v1/customers/{customerId}/subscriptions` (`customersOrder`): `{ offerId, quantity,
   * associatedResellerMpnId?, designatedSupportContactId? }` → 201 Subscription.
   * Errors: 400 `subscription.unknown_offer` / `subscription.invalid_quantity`, 403
   * `partner.not_active`, 404 `customer.not_found`, 422 `subscription.invalid_associated_reseller`
   * / `subscription.invalid_support_contact`.
   */
  @Post()
  @Idempotent()
  @Audited('subscription.created')
  @RequirePermission(PERMISSIONS.customersOrder)
  @ApiResponse(201, SubscriptionSchema, 'The new subscription.')
  order(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(CustomerSubscriptionsParamSchema)) params: { customerId: string },
    @Body(new ZodPipe(OrderSubscriptionSchema)) body: OrderSubscriptionDto,
  ): Promise<SubscriptionResponse> {
    return this.subscriptions.order(caller, params.customerId, body);
  }

  /**
   * `GET /v1/customers/{customerId}/subscriptions/{subscriptionId}` (`channelRead`): one
   * subscription the caller may read (its own order; for an indirect reseller, an order of an
   * indirect provider that associates it). 404 `customer.not_found` without an active
   * relationship, 404 `subscription.not_found` (unknown, or another partner's: the same answer).
   */
  @Get(':subscriptionId')
  @RequirePermission(PERMISSIONS.channelRead)
  @ApiResponse(200, SubscriptionSchema, 'The subscription, with attributes.etag for If-Match.')
  get(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(SubscriptionParamSchema))
    params: { customerId: string; subscriptionId: string },
  ): Promise<SubscriptionResponse> {
    return this.subscriptions.getOne(caller, params.customerId, params.subscriptionId);
  }

  /**
   * `PATCH /v1/customers/{customerId}/subscriptions/{subscriptionId}` (`customersOrder`) with
   * `If-Match: <attributes.etag>`: Partner Center's Subscription (whole or in part: read-only
   * fields ignored) changing `status` (`active`/`suspended`), `quantity`, `friendlyName`, and our
   * `associatedResellerMpnId` / `designatedSupportContactId` (null clears) → 200 Subscription with
   * its new etag, for a subscription the caller ordered. Errors as for ordering, plus 428
   * `request.precondition_required`, 412 `request.etag_mismatch`, 404 `subscription.not_found`
   * (unknown, another partner's, or an associated reseller's read-only one: the same answer).
   */
  @Patch(':subscriptionId')
  @Audited('subscription.updated')
  @RequirePermission(PERMISSIONS.customersOrder)
  @ApiResponse(200, SubscriptionSchema, 'The changed subscription, with its new etag.')
  update(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(SubscriptionParamSchema))
    params: { customerId: string; subscriptionId: string },
    @Body(new ZodPipe(UpdateSubscriptionSchema)) body: UpdateSubscriptionDto,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<SubscriptionResponse> {
    return this.subscriptions.update(
      caller,
      params.customerId,
      params.subscriptionId,
      body,
      ifMatch,
    );
  }

  /**
   * `GET /v1/customers/{customerId}/subscriptions/{subscriptionId}/supportcontact`
   * (`channelRead`): Partner Center's SupportContact `{ supportTenantId, supportMpnId, name }`:
   * the designated support contact, or the ordering partner when none is designated. 404 as `get`.
   */
  @Get(':subscriptionId/supportcontact')
  @RequirePermission(PERMISSIONS.channelRead)
  @ApiResponse(200, SupportContactSchema, "The subscription's support contact.")
  getSupportContact(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(SubscriptionParamSchema))
    params: { customerId: string; subscriptionId: string },
  ): Promise<SupportContactResponse> {
    return this.subscriptions.getSupportContact(caller, params.customerId, params.subscriptionId);
  }

  /**
   * `PUT /v1/customers/{customerId}/subscriptions/{subscriptionId}/supportcontact`
   * (`customersOrder`): `{ supportTenantId, supportMpnId?, name? }` names one of the ordering
   * indirect provider's indirect resellers, or the provider itself (back to the default) → 200
   * SupportContact. 404 as `update`; 422 `subscription.invalid_support_contact`.
   */
  @Put(':subscriptionId/supportcontact')
  @Audited('subscription.updated')
  @RequirePermission(PERMISSIONS.customersOrder)
  @ApiResponse(200, SupportContactSchema, 'The new support contact.')
  putSupportContact(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(SubscriptionParamSchema))
    params: { customerId: string; subscriptionId: string },
    @Body(new ZodPipe(PutSupportContactSchema)) body: PutSupportContactDto,
  ): Promise<SupportContactResponse> {
    return this.subscriptions.putSupportContact(
      caller,
      params.customerId,
      params.subscriptionId,
      body,
    );
  }
}

/** The offer catalog partners order from. */
@Controller('v1/offers')
export class OffersController {
  /**
   * `GET /v1/offers` (`channelRead`): every offer `{ id, name, minQuantity, maxQuantity, unit }`
   * as a collection (the catalog is small and fixed: one page).
   */
  @Get()
  @RequirePermission(PERMISSIONS.channelRead)
  @ApiResponse(200, collectionSchema(OfferSchema), 'The offer catalog (one page).')
  list(): Collection<OfferResponse> {
    return {
      totalCount: OFFER_CATALOG.length,
      items: OFFER_CATALOG.map(toOfferResponse),
      links: {},
      attributes: { objectType: 'Collection' },
    };
  }
}
