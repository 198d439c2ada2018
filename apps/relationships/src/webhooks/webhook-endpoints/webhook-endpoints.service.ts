import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Caller } from '@app/auth';
import {
  Collection,
  DomainError,
  PageQuerySchema,
  cursorCollection,
  timestampCursorAfter,
} from '@app/platform';
import { z } from 'zod';
import { ActivityLogService } from '../../activity-log/activity-log.service';
import { APP_CONFIG, RelationshipsConfig } from '../../config/relationships.config';
import {
  CreateWebhookEndpointDto,
  UpdateWebhookEndpointDto,
  WebhookEndpointResponse,
  WebhookEndpointWithSecretResponse,
  auditSnapshotOf,
  toWebhookEndpointResponse,
} from './dto/webhook-endpoint.dto';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { newWebhookSecret, sealWebhookSecret } from './webhook-secrets';
import { checkWebhookUrlResolved } from './webhook-url';

/** Endpoints one organisation may hold (each one is a delivery per event it subscribes to). */
export const MAX_ENDPOINTS_PER_ORGANIZATION = 20;

type EndpointConfig = Pick<
  RelationshipsConfig,
  | 'NODE_ENV'
  | 'LINK_SEALING_KEY'
  | 'WEBHOOK_ALLOW_PRIVATE_NETWORKS'
  | 'WEBHOOK_SECRET_OVERLAP_HOURS'
>;

/**
 * An organisation's own webhook endpoints (issue 14 "Signed events"): register, list, read,
 * change, delete, rotate the secret. Every read and write is within the caller's tenant (another
 * tenant's id answers 404 `webhook_endpoint.not_found`), every write records its audit event in
 * its transaction. Secrets are sealed at rest and shown only in the answers of creation and
 * rotation.
 */
@Injectable()
export class WebhookEndpointsService {
  constructor(
    private readonly em: EntityManager,
    private readonly activityLog: ActivityLogService,
    @Inject(APP_CONFIG) private readonly config: EndpointConfig,
  ) {}

  /**
   * Register an endpoint (enabled) with a new secret.
   * @throws 400 `webhook_endpoint.invalid_url`, `.https_required`, `.private_address` (see
   *   `checkWebhookUrl`); 409 `webhook_endpoint.limit_reached` beyond
   *   {@link MAX_ENDPOINTS_PER_ORGANIZATION}.
   */
  async create(
    caller: Caller,
    dto: CreateWebhookEndpointDto,
  ): Promise<WebhookEndpointWithSecretResponse> {
    const url = await this.checkUrl(dto.url);
    const secret = newWebhookSecret();
    const endpoint = await this.em.transactional(async (tx) => {
      // Serialises the organisation's registrations, so the cap holds under concurrent calls.
      await tx.execute(`select pg_advisory_xact_lock(hashtextextended(?, 0))`, [
        `webhook_endpoint:${caller.tenantId}`,
      ]);
      const count = await tx.count(WebhookEndpoint, { tenantId: caller.tenantId });
      if (count >= MAX_ENDPOINTS_PER_ORGANIZATION) {
        throw new DomainError(
          'webhook_endpoint.limit_reached',
          409,
          `An organisation holds at most ${MAX_ENDPOINTS_PER_ORGANIZATION} webhook endpoints.`,
          { limit: MAX_ENDPOINTS_PER_ORGANIZATION },
        );
      }
      const now = new Date();
      const created = Object.assign(new WebhookEndpoint(), {
        tenantId: caller.tenantId,
        url,
        eventTypes: dto.eventTypes,
        description: dto.description,
        secretSealed: sealWebhookSecret(secret, this.config.LINK_SEALING_KEY),
        createdAt: now,
        updatedAt: now,
      });
      tx.persist(created);
      await this.audit(tx, caller, created, 'webhook_endpoint.created', null);
      return created;
    });
    return { ...toWebhookEndpointResponse(endpoint), secret };
  }

  /** The organisation's endpoints, newest first, keyset paginated (`?size=` 1–500, `?seek=`). */
  async list(
    caller: Caller,
    query: z.infer<typeof PageQuerySchema>,
  ): Promise<Collection<WebhookEndpointResponse>> {
    const rows = await this.em.findByCursor(
      WebhookEndpoint,
      { tenantId: caller.tenantId },
      {
        first: query.size,
        after: timestampCursorAfter(query.seek),
        orderBy: { createdAt: 'desc', id: 'desc' },
        includeCount: false,
      },
    );
    const now = new Date();
    return cursorCollection(
      rows,
      (e) => toWebhookEndpointResponse(e, now),
      (seek) =>
        `/v1/webhook-endpoints?${new URLSearchParams({ size: String(query.size), seek }).toString()}`,
    );
  }

  /** One endpoint. @throws 404 `webhook_endpoint.not_found`. */
  async get(caller: Caller, id: string): Promise<WebhookEndpointResponse> {
    return toWebhookEndpointResponse(await this.find(this.em, caller.tenantId, id));
  }

  /**
   * Change the URL, event types, description, or enable/disable. Enabling a disabled endpoint
   * clears its failure state (its failed deliveries stay failed: replay them).
   * @throws 404 `webhook_endpoint.not_found`; 400 as `create` for the URL.
   */
  async update(
    caller: Caller,
    id: string,
    dto: UpdateWebhookEndpointDto,
  ): Promise<WebhookEndpointResponse> {
    const url = dto.url === undefined ? undefined : await this.checkUrl(dto.url);
    const endpoint = await this.em.transactional(async (tx) => {
      const found = await this.find(tx, caller.tenantId, id, true);
      const before = auditSnapshotOf(found);
      const now = new Date();
      if (url !== undefined) found.url = url;
      if (dto.eventTypes !== undefined) found.eventTypes = dto.eventTypes;
      if (dto.description !== undefined) found.description = dto.description;
      if (dto.enabled === true && !found.enabled) {
        Object.assign(found, {
          enabled: true,
          disabledReason: null,
          disabledAt: null,
          disabledNotifiedAt: null,
          failingSince: null,
        });
      } else if (dto.enabled === false && found.enabled) {
        Object.assign(found, { enabled: false, disabledReason: 'manual', disabledAt: now });
      }
      found.updatedAt = now;
      await this.audit(tx, caller, found, 'webhook_endpoint.updated', before);
      return found;
    });
    return toWebhookEndpointResponse(endpoint);
  }

  /**
   * Delete an endpoint with its delivery log; its pending deliveries are never sent.
   * @throws 404 `webhook_endpoint.not_found`.
   */
  async remove(caller: Caller, id: string): Promise<void> {
    await this.em.transactional(async (tx) => {
      const found = await this.find(tx, caller.tenantId, id, true);
      const before = auditSnapshotOf(found);
      tx.remove(found);
      await this.audit(tx, caller, found, 'webhook_endpoint.deleted', before, null);
    });
  }

  /**
   * A new signing secret, answered this once. The previous one keeps signing (both signatures in
   * `webhook-signature`) for `WEBHOOK_SECRET_OVERLAP_HOURS` (default 24), so receivers can switch
   * without losing a delivery; a secret rotated out earlier stops at once.
   * @throws 404 `webhook_endpoint.not_found`.
   */
  async rotateSecret(caller: Caller, id: string): Promise<WebhookEndpointWithSecretResponse> {
    const secret = newWebhookSecret();
    const endpoint = await this.em.transactional(async (tx) => {
      const found = await this.find(tx, caller.tenantId, id, true);
      const now = new Date();
      const overlapMs = this.config.WEBHOOK_SECRET_OVERLAP_HOURS * 3_600_000;
      Object.assign(found, {
        previousSecretSealed: overlapMs > 0 ? found.secretSealed : null,
        previousSecretExpiresAt: overlapMs > 0 ? new Date(now.getTime() + overlapMs) : null,
        secretSealed: sealWebhookSecret(secret, this.config.LINK_SEALING_KEY),
        updatedAt: now,
      });
      await this.audit(tx, caller, found, 'webhook_endpoint.secret_rotated', null, {
        previousSecretExpiresAt: found.previousSecretExpiresAt?.toISOString() ?? null,
      });
      return found;
    });
    return { ...toWebhookEndpointResponse(endpoint), secret };
  }

  /** @throws 404 `webhook_endpoint.not_found` (also for another organisation's endpoint). */
  private async find(
    em: EntityManager,
    tenantId: string,
    id: string,
    lock = false,
  ): Promise<WebhookEndpoint> {
    if (lock) {
      // `for no key update`, not `for update`: a write of this organisation fanning out its event
      // to its endpoints locks them `for key share` (WebhookFanOut), which this lock leaves free,
      // so a change here and an event there never wait on each other in a cycle.
      await em.execute(
        `select "id" from "webhook_endpoint" where "id" = ? and "tenant_id" = ? for no key update`,
        [id, tenantId],
      );
    }
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

  private checkUrl(url: string): Promise<string> {
    return checkWebhookUrlResolved(url, {
      production: this.config.NODE_ENV === 'production',
      allowPrivateNetworks: this.config.WEBHOOK_ALLOW_PRIVATE_NETWORKS,
    });
  }

  private async audit(
    tx: EntityManager,
    caller: Caller,
    endpoint: WebhookEndpoint,
    action:
      | 'webhook_endpoint.created'
      | 'webhook_endpoint.updated'
      | 'webhook_endpoint.deleted'
      | 'webhook_endpoint.secret_rotated',
    before: Record<string, unknown> | null,
    after: Record<string, unknown> | null = auditSnapshotOf(endpoint),
  ): Promise<void> {
    // The endpoint's new state is written first: the event's fan-out (a query) sees it, so a
    // deleted or disabled endpoint gets no delivery of its own change, and a new one does.
    await tx.flush();
    await this.activityLog.record(tx, {
      type: action,
      tenantIds: [caller.tenantId],
      resource: { type: 'webhook_endpoint', id: endpoint.id },
      before,
      after,
    });
  }
}
