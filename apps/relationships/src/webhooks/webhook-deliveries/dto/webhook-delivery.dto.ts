import { PageQuerySchema, Timestamp, collectionSchema, objectAttributes } from '@app/platform';
import { z } from 'zod';
import { WebhookAttempt } from '../webhook-attempt.entity';
import { WebhookDelivery } from '../webhook-delivery.entity';

/** `?size=&seek=&status=` of an endpoint's delivery log. */
export const WebhookDeliveryQuerySchema = PageQuerySchema.extend({
  status: z.enum(['pending', 'succeeded', 'failed']).optional(),
}).strict();
export type WebhookDeliveryQueryDto = z.infer<typeof WebhookDeliveryQuerySchema>;

/** `{id}` (the endpoint) of the delivery log routes. */
export const EndpointIdParamSchema = z.strictObject({ id: z.uuid() });
/** `{id}` (the endpoint) and `{deliveryId}`. */
export const DeliveryParamsSchema = z.strictObject({ id: z.uuid(), deliveryId: z.uuid() });

/** One attempt as the delivery log shows it. */
export const WebhookAttemptResponseSchema = z.object({
  /** 1 for the first sending, one more per replay. */
  run: z.number().int(),
  /** The attempt's number within its run. */
  attempt: z.number().int(),
  attemptedAt: Timestamp,
  durationMs: z.number(),
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
  succeeded: z.boolean(),
});
export type WebhookAttemptResponse = z.infer<typeof WebhookAttemptResponseSchema>;

/** A delivery as the API shows it: the event, its status and its attempts (oldest first). */
export const WebhookDeliveryResponseSchema = z.object({
  /** Also the `webhook-id` header, the same on every retry and replay. */
  id: z.uuid(),
  endpointId: z.uuid(),
  eventId: z.string(),
  eventType: z.string(),
  resource: z.object({ type: z.string(), id: z.string() }),
  status: z.enum(['pending', 'succeeded', 'failed']),
  run: z.number().int(),
  attemptCount: z.number().int(),
  /** When the next attempt is due (pending deliveries only). */
  nextAttemptAt: Timestamp.nullable(),
  lastError: z.string().nullable(),
  createdAt: Timestamp,
  settledAt: Timestamp.nullable(),
  attempts: z.array(WebhookAttemptResponseSchema),
  attributes: objectAttributes('WebhookDelivery'),
});
export type WebhookDeliveryResponse = z.infer<typeof WebhookDeliveryResponseSchema>;

/** A page of an endpoint's deliveries. */
export const WebhookDeliveryCollectionSchema = collectionSchema(WebhookDeliveryResponseSchema);

export function toWebhookDeliveryResponse(
  delivery: WebhookDelivery,
  attempts: WebhookAttempt[],
): WebhookDeliveryResponse {
  const colon = delivery.resourceKey.indexOf(':');
  return {
    id: delivery.id,
    endpointId: delivery.endpointId,
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    resource: {
      type: delivery.resourceKey.slice(0, colon),
      id: delivery.resourceKey.slice(colon + 1),
    },
    status: delivery.status,
    run: delivery.run,
    attemptCount: delivery.attemptCount,
    nextAttemptAt: delivery.status === 'pending' ? delivery.nextAttemptAt.toISOString() : null,
    lastError: delivery.lastError,
    createdAt: delivery.createdAt.toISOString(),
    settledAt: delivery.settledAt ? delivery.settledAt.toISOString() : null,
    attempts: attempts.map((a) => ({
      run: a.run,
      attempt: a.attempt,
      attemptedAt: a.attemptedAt.toISOString(),
      durationMs: a.durationMs,
      statusCode: a.statusCode,
      error: a.error,
      succeeded: a.succeeded,
    })),
    attributes: { objectType: 'WebhookDelivery' },
  };
}
