import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { handleRpc } from '@app/platform';
import { PATTERNS, RpcResponse } from '@app/contracts';
import { DeliveryState, DeliveryStore } from '../delivery-store/delivery.store';

type StatusEntry = RpcResponse<typeof PATTERNS.deliveryStatus>['deliveries'][number];

/**
 * The answer for one recorded delivery, or undefined for a `pending` one (claimed, no outcome
 * recorded yet: to the relay it is as unsettled as a key without a record). `settled` is the
 * record's: true for sent, skipped, and failed for good (a 5xx reply, an unopenable link, a render
 * failure, or retries exhausted); a failed delivery with retries left is not settled.
 */
export function toStatusEntry(state: DeliveryState): StatusEntry | undefined {
  switch (state.status) {
    case 'pending':
      return undefined;
    case 'sent':
    case 'skipped':
      return { idempotencyKey: state.idempotencyKey, status: state.status, settled: true };
    case 'failed':
      return { idempotencyKey: state.idempotencyKey, status: 'failed', settled: state.settled };
  }
}

/** Request/response messages about recorded deliveries. No HTTP route. */
@Controller()
export class DeliveryStatusController {
  constructor(private readonly store: DeliveryStore) {}

  /**
   * `notifications.deliveries.status` (read-only, the outbox relay's delivery confirmation):
   * request `DeliveryStatusRequestSchema` `{ idempotencyKeys }` (1 to 1000 keys, one query);
   * answers `DeliveryStatusResponseSchema` `{ deliveries: [{ idempotencyKey, status, settled }] }`
   * with one entry per key that has an outcome recorded (see {@link toStatusEntry}). The relay asks
   * about an `email.cancel` by the key it cancels: settled once that delivery is skipped (or was
   * sent before the cancel arrived). Errors: 400 `message.invalid`.
   */
  @MessagePattern(PATTERNS.deliveryStatus)
  handle(@Payload() payload: unknown) {
    return handleRpc(PATTERNS.deliveryStatus, payload, async (request) => {
      const states = await this.store.states(request.idempotencyKeys);
      return {
        deliveries: states
          .map(toStatusEntry)
          .filter((entry): entry is StatusEntry => entry !== undefined),
      };
    });
  }
}
