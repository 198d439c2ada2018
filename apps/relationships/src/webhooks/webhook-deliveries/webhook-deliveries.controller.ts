import { Controller, Get, Param, Post, Query } from '@nestjs/common';
import { Caller, CurrentUser, PERMISSIONS, RequirePermission } from '@app/auth';
import { Audited, Collection, ZodPipe, ApiResponse } from '@app/platform';
import {
  DeliveryParamsSchema,
  EndpointIdParamSchema,
  WebhookDeliveryQueryDto,
  WebhookDeliveryQuerySchema,
  WebhookDeliveryResponse,
  WebhookDeliveryCollectionSchema,
  WebhookDeliveryResponseSchema,
} from './dto/webhook-delivery.dto';
import { WebhookDeliveriesService } from './webhook-deliveries.service';

/**
 * The delivery log of the organisation's webhook endpoints (issue 14 "Signed events"), Global
 * admin only (`webhooksManage`).
 */
@Controller('v1/webhook-endpoints/:id/deliveries')
export class WebhookDeliveriesController {
  constructor(private readonly deliveries: WebhookDeliveriesService) {}

  /**
   * `GET /v1/webhook-endpoints/{id}/deliveries?size=&seek=&status=` → a Collection of
   * WebhookDelivery (newest first) with their attempts. 404 `webhook_endpoint.not_found`.
   */
  @Get()
  @ApiResponse(200, WebhookDeliveryCollectionSchema, "A page of the endpoint's deliveries.")
  @RequirePermission(PERMISSIONS.webhooksManage)
  list(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(EndpointIdParamSchema, 'path')) params: { id: string },
    @Query(new ZodPipe(WebhookDeliveryQuerySchema, 'query')) query: WebhookDeliveryQueryDto,
  ): Promise<Collection<WebhookDeliveryResponse>> {
    return this.deliveries.list(caller, params.id, query);
  }

  /** `GET /v1/webhook-endpoints/{id}/deliveries/{deliveryId}` → the WebhookDelivery. */
  @Get(':deliveryId')
  @ApiResponse(200, WebhookDeliveryResponseSchema, 'The delivery and its attempts.')
  @RequirePermission(PERMISSIONS.webhooksManage)
  get(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(DeliveryParamsSchema, 'path')) params: { id: string; deliveryId: string },
  ): Promise<WebhookDeliveryResponse> {
    return this.deliveries.get(caller, params.id, params.deliveryId);
  }

  /**
   * `POST /v1/webhook-endpoints/{id}/deliveries/{deliveryId}/replays` → 201 the WebhookDelivery,
   * pending again (same `webhook-id`, a new run of attempts). 409 `webhook_delivery.not_replayable`,
   * `webhook_endpoint.disabled`.
   */
  @Post(':deliveryId/replays')
  @ApiResponse(201, WebhookDeliveryResponseSchema, 'The delivery, queued to be sent again.')
  @RequirePermission(PERMISSIONS.webhooksManage)
  @Audited('webhook_delivery.replayed')
  replay(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(DeliveryParamsSchema, 'path')) params: { id: string; deliveryId: string },
  ): Promise<WebhookDeliveryResponse> {
    return this.deliveries.replay(caller, params.id, params.deliveryId);
  }
}
