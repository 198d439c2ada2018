import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { Caller, CurrentUser, PERMISSIONS, RequirePermission } from '@app/auth';
import { Audited, Collection, Idempotent, ZodPipe } from '@app/platform';
import { z } from 'zod';
import {
  CustomerSubscriptionsParamSchema,
  OfferResponse,
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

/** Seed 002 "Add new subscriptions to customer accounts": a customer's subscriptions. */
@Controller('v1/customers/:customerId/subscriptions')
export class SubscriptionsController {
  constructor(private readonly subscriptions: SubscriptionsService) {}

  /**
   * `GET /v1/customers/{customerId}/subscriptions?size=&seek=` (`channelRead`): the customer's
   * subscriptions the caller ordered, and for an indirect reseller the orders of the indirect
   * providers that associate it (read only); never another partner's. Oldest first.
   * 404 `customer.not_found` without an active relationship of the caller.
   */
  @Get()
  @RequirePermission(PERMISSIONS.channelRead)
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
  order(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(CustomerSubscriptionsParamSchema)) params: { customerId: string },
    @Body(new ZodPipe(OrderSubscriptionSchema)) body: OrderSubscriptionDto,
  ): Promise<SubscriptionResponse> {
    return this.subscriptions.order(caller, params.customerId, body);
  }

  /**
   * `PATCH /v1/customers/{customerId}/subscriptions/{subscriptionId}` (`customersOrder`):
   * `{ quantity?, associatedResellerMpnId? (null clears), designatedSupportContactId? (null
   * clears), status?: 'active'|'suspended' }` → 200 Subscription, for a subscription the caller
   * ordered. Errors as for ordering, plus 404 `subscription.not_found` (unknown, or another
   * partner's: the same answer).
   */
  @Patch(':subscriptionId')
  @Audited('subscription.updated')
  @RequirePermission(PERMISSIONS.customersOrder)
  update(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(SubscriptionParamSchema))
    params: { customerId: string; subscriptionId: string },
    @Body(new ZodPipe(UpdateSubscriptionSchema)) body: UpdateSubscriptionDto,
  ): Promise<SubscriptionResponse> {
    return this.subscriptions.update(caller, params.customerId, params.subscriptionId, body);
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
  list(): Collection<OfferResponse> {
    return {
      totalCount: OFFER_CATALOG.length,
      items: OFFER_CATALOG.map(toOfferResponse),
      links: {},
      attributes: { objectType: 'Collection' },
    };
  }
}
