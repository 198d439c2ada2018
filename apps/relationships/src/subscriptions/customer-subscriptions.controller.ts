import { Controller, Get, Query } from '@nestjs/common';
import { Caller, CurrentUser, PERMISSIONS, RequirePermission } from '@app/auth';
import { ApiResponse, Collection, PageQuerySchema, ZodPipe, collectionSchema } from '@app/platform';
import { z } from 'zod';
import { CustomerSubscriptionsService } from './customer-subscriptions.service';
import { CustomerSubscriptionResponse, CustomerSubscriptionSchema } from './dto/subscription.dto';

/** The customer's side: every subscription of its organisation, whoever ordered it (read only). */
@Controller('v1/customer-subscriptions')
export class CustomerSubscriptionsController {
  constructor(private readonly subscriptions: CustomerSubscriptionsService) {}

  /**
   * `GET /v1/customer-subscriptions?size=&seek=` (`customerSubscriptionsRead`: the customer's
   * Global admin and Billing admin): the caller customer's subscriptions, oldest first, as
   * Subscription items with `partner: { id, name, mpnId }` (the ordering partner) and
   * `designatedSupportContact`.
   */
  @Get()
  @RequirePermission(PERMISSIONS.customerSubscriptionsRead)
  @ApiResponse(
    200,
    collectionSchema(CustomerSubscriptionSchema),
    "The caller customer's subscriptions, with the partner that ordered each.",
  )
  list(
    @CurrentUser() caller: Caller,
    @Query(new ZodPipe(PageQuerySchema, 'query')) query: z.infer<typeof PageQuerySchema>,
  ): Promise<Collection<CustomerSubscriptionResponse>> {
    return this.subscriptions.list(caller, query);
  }
}
