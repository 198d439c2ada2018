import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { Caller, CurrentUser, PERMISSIONS, RequirePermission } from '@app/auth';
import { Audited, Collection, PageQuerySchema, ZodPipe, ApiResponse } from '@app/platform';
import { z } from 'zod';
import {
  CreateWebhookEndpointDto,
  CreateWebhookEndpointSchema,
  UpdateWebhookEndpointDto,
  UpdateWebhookEndpointSchema,
  WebhookEndpointIdParamSchema,
  WebhookEndpointResponse,
  WebhookEndpointWithSecretResponse,
  WebhookEndpointCollectionSchema,
  WebhookEndpointResponseSchema,
  WebhookEndpointWithSecretResponseSchema,
} from './dto/webhook-endpoint.dto';
import { WebhookEndpointsService } from './webhook-endpoints.service';

/**
 * The organisation's own webhook endpoints (issue 14 "Signed events", README "Webhooks"), partner
 * or customer, Global admin only (`webhooksManage`). Another organisation's endpoint id answers
 * 404 `webhook_endpoint.not_found`.
 */
@Controller('v1/webhook-endpoints')
export class WebhookEndpointsController {
  constructor(private readonly endpoints: WebhookEndpointsService) {}

  /**
   * `POST /v1/webhook-endpoints` `{ url, eventTypes: [type | '*'], description? }` → 201 the
   * WebhookEndpoint with `secret` (`whsec_…`), shown this once. 400 `webhook_endpoint.invalid_url`,
   * `.https_required` (production), `.private_address`; 409 `webhook_endpoint.limit_reached`.
   */
  @Post()
  @ApiResponse(
    201,
    WebhookEndpointWithSecretResponseSchema,
    'The endpoint and its signing secret, shown this once.',
  )
  @RequirePermission(PERMISSIONS.webhooksManage)
  @Audited('webhook_endpoint.created')
  create(
    @CurrentUser() caller: Caller,
    @Body(new ZodPipe(CreateWebhookEndpointSchema, 'body')) body: CreateWebhookEndpointDto,
  ): Promise<WebhookEndpointWithSecretResponse> {
    return this.endpoints.create(caller, body);
  }

  /**
   * `GET /v1/webhook-endpoints?size=&seek=` → a Collection of WebhookEndpoint, newest first. Any
   * other query parameter → 400 `request.invalid`.
   */
  @Get()
  @ApiResponse(
    200,
    WebhookEndpointCollectionSchema,
    "A page of the organisation's webhook endpoints.",
  )
  @RequirePermission(PERMISSIONS.webhooksManage)
  list(
    @CurrentUser() caller: Caller,
    @Query(new ZodPipe(PageQuerySchema.strict(), 'query')) query: z.infer<typeof PageQuerySchema>,
  ): Promise<Collection<WebhookEndpointResponse>> {
    return this.endpoints.list(caller, query);
  }

  /** `GET /v1/webhook-endpoints/{id}` → the WebhookEndpoint (never its secret). */
  @Get(':id')
  @ApiResponse(200, WebhookEndpointResponseSchema, 'The endpoint.')
  @RequirePermission(PERMISSIONS.webhooksManage)
  get(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(WebhookEndpointIdParamSchema, 'path')) params: { id: string },
  ): Promise<WebhookEndpointResponse> {
    return this.endpoints.get(caller, params.id);
  }

  /**
   * `PATCH /v1/webhook-endpoints/{id}` `{ url?, eventTypes?, description?, enabled? }` → the
   * WebhookEndpoint. Enabling clears a disabled endpoint's failure state.
   */
  @Patch(':id')
  @ApiResponse(200, WebhookEndpointResponseSchema, 'The updated endpoint.')
  @RequirePermission(PERMISSIONS.webhooksManage)
  @Audited('webhook_endpoint.updated')
  update(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(WebhookEndpointIdParamSchema, 'path')) params: { id: string },
    @Body(new ZodPipe(UpdateWebhookEndpointSchema, 'body')) body: UpdateWebhookEndpointDto,
  ): Promise<WebhookEndpointResponse> {
    return this.endpoints.update(caller, params.id, body);
  }

  /** `DELETE /v1/webhook-endpoints/{id}` → 204; its delivery log goes with it. */
  @Delete(':id')
  @ApiResponse(204, undefined, 'The endpoint is deleted.')
  @HttpCode(204)
  @RequirePermission(PERMISSIONS.webhooksManage)
  @Audited('webhook_endpoint.deleted')
  async remove(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(WebhookEndpointIdParamSchema, 'path')) params: { id: string },
  ): Promise<void> {
    await this.endpoints.remove(caller, params.id);
  }

  /**
   * `POST /v1/webhook-endpoints/{id}/secret-rotations` → 201 the WebhookEndpoint with the new
   * `secret` (shown this once) and `previousSecretExpiresAt` (the old secret signs until then).
   */
  @Post(':id/secret-rotations')
  @ApiResponse(
    201,
    WebhookEndpointWithSecretResponseSchema,
    'The endpoint and its new secret, shown this once.',
  )
  @RequirePermission(PERMISSIONS.webhooksManage)
  @Audited('webhook_endpoint.secret_rotated')
  rotateSecret(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(WebhookEndpointIdParamSchema, 'path')) params: { id: string },
  ): Promise<WebhookEndpointWithSecretResponse> {
    return this.endpoints.rotateSecret(caller, params.id);
  }
}
