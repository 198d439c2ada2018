import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QUEUES } from '@app/contracts';
import { ActivityLogModule } from '../activity-log/activity-log.module';
import { RpcModule } from '../rpc/rpc.module';
import { TenantsModule } from '../tenants/tenants.module';
import { WebhookDeliveriesController } from './webhook-deliveries/webhook-deliveries.controller';
import { WebhookDeliveriesProcessor } from './webhook-deliveries/webhook-deliveries.processor';
import { WebhookDeliveriesService } from './webhook-deliveries/webhook-deliveries.service';
import { WebhookDeliveryService } from './webhook-deliveries/webhook-delivery.service';
import { WebhookFanOut } from './webhook-deliveries/webhook-fan-out.service';
import { WebhookEndpointsController } from './webhook-endpoints/webhook-endpoints.controller';
import { WebhookEndpointsService } from './webhook-endpoints/webhook-endpoints.service';

/**
 * Webhooks (issue 14 "Signed events to the partner's own systems"): the organisations' endpoints
 * (`webhook-endpoints/`), the fan-out of every audit event to them, the delivery worker of the
 * `webhook-deliveries` queue and the delivery log (`webhook-deliveries/`). It registers its
 * fan-out with the activity log's `AuditEventSinks`; the activity log knows nothing of it.
 */
@Module({
  imports: [
    ActivityLogModule,
    RpcModule,
    TenantsModule,
    BullModule.registerQueue({ name: QUEUES.webhookDeliveries }),
  ],
  controllers: [WebhookEndpointsController, WebhookDeliveriesController],
  providers: [
    WebhookEndpointsService,
    WebhookDeliveriesService,
    WebhookFanOut,
    WebhookDeliveryService,
    WebhookDeliveriesProcessor,
  ],
})
export class WebhooksModule {}
