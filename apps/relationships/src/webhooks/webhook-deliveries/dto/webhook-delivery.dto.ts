import { PageQuerySchema } from '@app/platform';
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
export interface WebhookAttemptResponse {
  /** 1 for the first sending, one more per replay. */
  run: number;
  /** The attempt's number within its run. */
  attempt: number;
  attemptedAt: string;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  succeeded: boolean;
}

/** A delivery as the API shows it: the event, its status and its attempts (oldest first). */
export interface WebhookDeliveryResponse {
  /** Also the `webhook-id` header, the same on every retry and replay. */
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  resource: { type: string; id: string };
  status: 'pending' | 'succeeded' | 'failed';
  run: number;
  attemptCount: number;
  /** When the next attempt is due (pending deliveries only). */
  nextAttemptAt: string | null;
  lastError: string | null;
  createdAt: string;
  settledAt: string | null;
  attempts: WebhookAttemptResponse[];
  attributes: { objectType: 'WebhookDelivery' };
}

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
