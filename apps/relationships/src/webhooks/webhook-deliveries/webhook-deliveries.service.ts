import { EntityManager, FilterQuery, LockMode } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Caller } from '@app/auth';
import { JOBS } from '@app/contracts';
import { OutboxService } from '@app/outbox';
import { Collection, DomainError, cursorCollection, timestampCursorAfter } from '@app/platform';
import { ActivityLogService } from '../../activity-log/activity-log.service';
import { WebhookEndpoint } from '../webhook-endpoints/webhook-endpoint.entity';
import {
  WebhookDeliveryQueryDto,
  WebhookDeliveryResponse,
  toWebhookDeliveryResponse,
} from './dto/webhook-delivery.dto';
import { WebhookAttempt } from './webhook-attempt.entity';
import { WebhookDelivery } from './webhook-delivery.entity';

/**
 * An endpoint's delivery log (issue 14 "Signed events"): its deliveries with each attempt's
 * outcome, and replaying a failed one. Every call is within the caller's organisation: another
 * organisation's endpoint answers 404 `webhook_endpoint.not_found`.
 */
@Injectable()
export class WebhookDeliveriesService {
  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
    private readonly activityLog: ActivityLogService,
  ) {}

  /** The endpoint's deliveries, newest first, keyset paginated, optionally by `status`. */
  async list(
    caller: Caller,
    endpointId: string,
    query: WebhookDeliveryQueryDto,
  ): Promise<Collection<WebhookDeliveryResponse>> {
    await this.endpoint(this.em, caller.tenantId, endpointId);
    const where: FilterQuery<WebhookDelivery> = { endpointId };
    if (query.status) where.status = query.status;
    const page = await this.em.findByCursor(WebhookDelivery, where, {
      first: query.size,
      after: timestampCursorAfter(query.seek),
      orderBy: { createdAt: 'desc', id: 'desc' },
      includeCount: false,
    });
    const attempts = await this.attemptsOf(page.items.map((d) => d.id));
    return cursorCollection(
      page,
      (d) => toWebhookDeliveryResponse(d, attempts.get(d.id) ?? []),
      (seek) => {
        const params = new URLSearchParams({ size: String(query.size), seek });
        if (query.status) params.set('status', query.status);
        return `/v1/webhook-endpoints/${endpointId}/deliveries?${params.toString()}`;
      },
    );
  }

  /** One delivery. @throws 404 `webhook_endpoint.not_found`, `webhook_delivery.not_found`. */
  async get(
    caller: Caller,
    endpointId: string,
    deliveryId: string,
  ): Promise<WebhookDeliveryResponse> {
    await this.endpoint(this.em, caller.tenantId, endpointId);
    const delivery = await this.delivery(this.em, endpointId, deliveryId);
    const attempts = await this.attemptsOf([delivery.id]);
    return toWebhookDeliveryResponse(delivery, attempts.get(delivery.id) ?? []);
  }

  /**
   * Send a failed (given up) delivery again: a new run of attempts (`run` + 1, the retry schedule
   * from its start), the same body and `webhook-id`, so that a receiver that did get it deduplicates
   * it. Deliveries of the same resource that come after it wait for it again.
   * @throws 404 as `get`; 409 `webhook_delivery.not_replayable` (pending or succeeded), 409
   *   `webhook_endpoint.disabled` (enable the endpoint first).
   */
  async replay(
    caller: Caller,
    endpointId: string,
    deliveryId: string,
  ): Promise<WebhookDeliveryResponse> {
    const delivery = await this.em.transactional(async (tx) => {
      const endpoint = await this.endpoint(tx, caller.tenantId, endpointId);
      if (!endpoint.enabled) {
        throw new DomainError(
          'webhook_endpoint.disabled',
          409,
          'The webhook endpoint is disabled: enable it before replaying its deliveries.',
        );
      }
      const found = await this.delivery(tx, endpointId, deliveryId, true);
      if (found.status !== 'failed') {
        throw new DomainError(
          'webhook_delivery.not_replayable',
          409,
          'Only a failed delivery can be replayed.',
          { status: found.status },
        );
      }
      const before = { status: found.status, run: found.run };
      Object.assign(found, {
        status: 'pending',
        run: found.run + 1,
        attemptCount: 0,
        nextAttemptAt: new Date(),
        lastError: null,
        settledAt: null,
      });
      await tx.flush();
      this.outbox.enqueue(tx, JOBS.deliverWebhook, { deliveryId: found.id });
      await this.activityLog.record(tx, {
        type: 'webhook_delivery.replayed',
        tenantIds: [caller.tenantId],
        resource: { type: 'webhook_delivery', id: found.id },
        before,
        after: { status: found.status, run: found.run, endpointId },
      });
      return found;
    });
    const attempts = await this.attemptsOf([delivery.id]);
    return toWebhookDeliveryResponse(delivery, attempts.get(delivery.id) ?? []);
  }

  private async endpoint(
    em: EntityManager,
    tenantId: string,
    id: string,
  ): Promise<WebhookEndpoint> {
    const found = await em.findOne(WebhookEndpoint, { id, tenantId });
    if (!found) {
      throw new DomainError(
        'webhook_endpoint.not_found',
        404,
        'The webhook endpoint was not found.',
      );
    }
    return found;
  }

  private async delivery(
    em: EntityManager,
    endpointId: string,
    id: string,
    lock = false,
  ): Promise<WebhookDelivery> {
    const found = await em.findOne(
      WebhookDelivery,
      { id, endpointId },
      lock ? { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true } : {},
    );
    if (!found) {
      throw new DomainError(
        'webhook_delivery.not_found',
        404,
        'The webhook delivery was not found.',
      );
    }
    return found;
  }

  /** The attempts of `deliveryIds`, oldest first, by delivery. */
  private async attemptsOf(deliveryIds: string[]): Promise<Map<string, WebhookAttempt[]>> {
    const byDelivery = new Map<string, WebhookAttempt[]>();
    if (deliveryIds.length === 0) return byDelivery;
    const attempts = await this.em.find(
      WebhookAttempt,
      { deliveryId: { $in: deliveryIds } },
      { orderBy: { attemptedAt: 'asc', id: 'asc' } },
    );
    for (const a of attempts)
      byDelivery.set(a.deliveryId, [...(byDelivery.get(a.deliveryId) ?? []), a]);
    return byDelivery;
  }
}
