import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { Caller, CurrentUser, PERMISSIONS, RequirePermission } from '@app/auth';
import { Audited, Collection, ZodPipe, ApiResponse } from '@app/platform';
import { DeliveriesService } from './deliveries.service';
import {
  DeliveryKeyParam,
  DeliveryKeyParamSchema,
  DeliveryListQuery,
  DeliveryListQuerySchema,
} from './dto/delivery.query';
import {
  DeliveryReplayResponse,
  DeliveryResponse,
  DeliveryCollectionSchema,
  DeliveryReplayResponseSchema,
  DeliveryResponseSchema,
} from './dto/delivery.response';

/**
 * The platform operator's view of email deliveries (issue 4: failed deliveries can be listed and
 * replayed). Every route needs `platform.operate`.
 */
@Controller('v1/deliveries')
export class DeliveriesController {
  constructor(private readonly deliveries: DeliveriesService) {}

  /**
   * `GET /v1/deliveries?status=failed|skipped|sent&size=&seek=` → 200 Collection of Delivery,
   * newest first (`links.next` while more remain). Errors: 400 `request.invalid`,
   * 400 `request.invalid_cursor`, 401, 403.
   */
  @Get()
  @ApiResponse(200, DeliveryCollectionSchema, 'A page of email deliveries.')
  @RequirePermission(PERMISSIONS.platformOperate)
  list(
    @Query(new ZodPipe(DeliveryListQuerySchema, 'query')) query: DeliveryListQuery,
  ): Promise<Collection<DeliveryResponse>> {
    return this.deliveries.list(query);
  }

  /**
   * `GET /v1/deliveries/{idempotencyKey}` → 200 Delivery. Errors: 404 `delivery.not_found`, 401,
   * 403.
   */
  @Get(':idempotencyKey')
  @ApiResponse(200, DeliveryResponseSchema, 'The delivery.')
  @RequirePermission(PERMISSIONS.platformOperate)
  get(
    @Param(new ZodPipe(DeliveryKeyParamSchema, 'path')) params: DeliveryKeyParam,
  ): Promise<DeliveryResponse> {
    return this.deliveries.get(params.idempotencyKey);
  }

  /**
   * `POST /v1/deliveries/{idempotencyKey}/replay` → 202 `{ delivery, jobId }`: the kept job is
   * queued again under the same idempotency key (same Message-ID). Errors: 404
   * `delivery.not_found`, 409 `delivery.not_replayable` (only a delivery that failed for good,
   * with its job kept), 503 `dependency.unavailable`, 401, 403.
   */
  @Post(':idempotencyKey/replay')
  @ApiResponse(
    202,
    DeliveryReplayResponseSchema,
    'The delivery, queued to be sent again, and its job.',
  )
  @HttpCode(202)
  @RequirePermission(PERMISSIONS.platformOperate)
  @Audited('delivery.replayed')
  replay(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(DeliveryKeyParamSchema, 'path')) params: DeliveryKeyParam,
  ): Promise<DeliveryReplayResponse> {
    return this.deliveries.replay(params.idempotencyKey, {
      userId: caller.userId,
      tenantId: caller.tenantId,
    });
  }
}
