import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { PATTERNS } from '@app/contracts';
import { OutboxService } from '@app/outbox';
import { RpcClient } from '@app/platform';
import { ActivityLogService } from '../../activity-log/activity-log.service';
import { APP_CONFIG, RelationshipsConfig } from '../../config/relationships.config';
import { TenantDirectory } from '../../tenants/tenant-directory.service';
import { openWebhookSecret } from '../webhook-endpoints/webhook-secrets';
import { WebhookRetryPolicy, webhookRetryDelayMs } from './webhook-retry';
import { SendOutcome, WebhookSender } from './webhook-sender';

/** What became of a `webhook.deliver` job. */
export type DeliveryStep =
  | { kind: 'done'; status: 'succeeded' | 'failed' | 'missing' | 'settled' }
  /** Not now: try again at `until` (an earlier delivery of the resource is pending, or a retry). */
  | { kind: 'wait'; until: Date; reason: 'order' | 'retry' };

/** Shortest and longest wait of a delivery behind an earlier pending one of its resource. */
const ORDER_WAIT_MIN_MS = 250;
const ORDER_WAIT_MAX_MS = 30_000;
/** How often settled deliveries past their retention are deleted, and how many per statement. */
const RETENTION_INTERVAL_MS = 3_600_000;
const RETENTION_BATCH = 1000;

type DeliveryConfig = Pick<
  RelationshipsConfig,
  | 'LINK_SEALING_KEY'
  | 'WEBHOOK_RETRY_BASE_MS'
  | 'WEBHOOK_RETRY_MAX_DELAY_MS'
  | 'WEBHOOK_MAX_ATTEMPTS'
  | 'WEBHOOK_TIMEOUT_MS'
  | 'WEBHOOK_DISABLE_AFTER_HOURS'
  | 'WEBHOOK_ALLOW_PRIVATE_NETWORKS'
  | 'WEBHOOK_DELIVERY_RETENTION_DAYS'
>;

interface DeliveryRow {
  id: string;
  status: string;
  run: number;
  next_attempt_at: Date;
  resource_key: string;
  sequence: string;
  endpoint_id: string;
  tenant_id: string;
  url: string;
  enabled: boolean;
  disabled_reason: string | null;
  disabled_notified_at: Date | null;
  secret_sealed: string;
  previous_secret_sealed: string | null;
  previous_secret_expires_at: Date | null;
  payload: unknown;
}

/**
 * Delivers webhook deliveries, one attempt per call (issue 14 "Signed events"), for the
 * `webhook-deliveries` worker:
 * - at least once: a delivery is pending until a 2xx answer (`succeeded`) or until it is given up
 *   (`failed`: `WEBHOOK_MAX_ATTEMPTS` attempts, capped exponential delays over more than a day, or
 *   its endpoint disabled); a settled delivery is never sent again unless replayed;
 * - in order per resource: a delivery waits while an earlier one of the same endpoint and resource
 *   is pending;
 * - each attempt logged (`webhook_attempt`) with the delivery's new state in one transaction;
 * - an endpoint that has failed without a success for `WEBHOOK_DISABLE_AFTER_HOURS` is disabled
 *   (audit event `webhook_endpoint.disabled`) and its organisation's Global admins emailed: their
 *   addresses are asked of identity outside any transaction, then the emails are queued through
 *   the outbox with the notice's claim (`disabled_notified_at`), so it goes once.
 * The HTTP call happens outside any transaction; a crash between it and the record sends the
 * message again with the same `webhook-id` (receivers deduplicate by it).
 */
@Injectable()
export class WebhookDeliveryService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(WebhookDeliveryService.name);
  private readonly sender: WebhookSender;
  private readonly retry: WebhookRetryPolicy;
  private retention: NodeJS.Timeout | undefined;

  constructor(
    private readonly em: EntityManager,
    private readonly activityLog: ActivityLogService,
    private readonly outbox: OutboxService,
    private readonly rpc: RpcClient,
    private readonly tenants: TenantDirectory,
    @Inject(APP_CONFIG) private readonly config: DeliveryConfig,
  ) {
    this.sender = new WebhookSender({
      timeoutMs: config.WEBHOOK_TIMEOUT_MS,
      allowPrivateNetworks: config.WEBHOOK_ALLOW_PRIVATE_NETWORKS,
    });
    this.retry = {
      baseMs: config.WEBHOOK_RETRY_BASE_MS,
      maxDelayMs: config.WEBHOOK_RETRY_MAX_DELAY_MS,
      maxAttempts: config.WEBHOOK_MAX_ATTEMPTS,
    };
  }

  onModuleInit(): void {
    this.retention = setInterval(() => {
      this.deleteExpired().catch((error: unknown) =>
        this.logger.warn(`webhook delivery retention failed: ${(error as Error).message}`),
      );
    }, RETENTION_INTERVAL_MS);
    this.retention.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.retention);
    this.sender.close();
  }

  /** One step of delivery `deliveryId` (see the class comment). */
  async deliver(deliveryId: string, now: Date = new Date()): Promise<DeliveryStep> {
    const em = this.em.fork();
    const [row] = await em.execute<DeliveryRow[]>(
      `select d."id", d."status", d."run", d."next_attempt_at", d."resource_key", d."sequence",
          d."endpoint_id", e."tenant_id", e."url", e."enabled", e."disabled_reason",
          e."disabled_notified_at", e."secret_sealed", e."previous_secret_sealed",
          e."previous_secret_expires_at", ev."payload"
        from "webhook_delivery" d
        join "webhook_endpoint" e on e."id" = d."endpoint_id"
        join "webhook_event" ev on ev."id" = d."event_id"
        where d."id" = ?`,
      [deliveryId],
    );
    if (!row) return { kind: 'done', status: 'missing' };
    if (!row.enabled && row.disabled_reason === 'failing' && row.disabled_notified_at === null) {
      // The admins' notice of an earlier run of this job failed (identity did not answer): it
      // goes now, before anything else (a throw retries the job).
      await this.notifyDisabled(row.endpoint_id);
    }
    if (row.status !== 'pending') return { kind: 'done', status: 'settled' };
    if (!row.enabled) {
      await em.execute(
        `update "webhook_delivery" set "status" = 'failed', "last_error" = 'endpoint disabled',
            "settled_at" = now()
          where "id" = ? and "status" = 'pending'`,
        [row.id],
      );
      return { kind: 'done', status: 'failed' };
    }
    const [earlier] = await em.execute<{ next_attempt_at: Date }[]>(
      `select "next_attempt_at" from "webhook_delivery"
        where "endpoint_id" = ? and "resource_key" = ? and "sequence" < ? and "status" = 'pending'
        order by "sequence" limit 1`,
      [row.endpoint_id, row.resource_key, row.sequence],
    );
    if (earlier) {
      const due = new Date(earlier.next_attempt_at).getTime() - now.getTime();
      const wait = Math.min(Math.max(due, ORDER_WAIT_MIN_MS), ORDER_WAIT_MAX_MS);
      return { kind: 'wait', until: new Date(now.getTime() + wait), reason: 'order' };
    }
    if (new Date(row.next_attempt_at).getTime() > now.getTime() + 1000) {
      // A job relayed again (its Redis copy was lost) before the retry is due.
      return { kind: 'wait', until: new Date(row.next_attempt_at), reason: 'retry' };
    }
    const outcome = await this.sender.send(row.url, {
      id: row.id,
      body: JSON.stringify(row.payload),
      secrets: this.secretsOf(row, now),
    });
    const step = await this.record(row, outcome);
    if (step.disabled) await this.notifyDisabled(row.endpoint_id);
    return step.step;
  }

  /** The secrets that sign now: the current one, and the previous one until its expiry. */
  private secretsOf(row: DeliveryRow, now: Date): string[] {
    const secrets = [openWebhookSecret(row.secret_sealed, this.config.LINK_SEALING_KEY)];
    if (
      row.previous_secret_sealed &&
      row.previous_secret_expires_at &&
      new Date(row.previous_secret_expires_at) > now
    ) {
      secrets.push(openWebhookSecret(row.previous_secret_sealed, this.config.LINK_SEALING_KEY));
    }
    return secrets;
  }

  /** Log the attempt and settle or reschedule the delivery, in one transaction. */
  private async record(
    row: DeliveryRow,
    outcome: SendOutcome,
  ): Promise<{ step: DeliveryStep; disabled: boolean }> {
    return this.em.fork().transactional(async (tx) => {
      const [current] = await tx.execute<{ status: string; run: number; attempt_count: number }[]>(
        `select "status", "run", "attempt_count" from "webhook_delivery" where "id" = ? for update`,
        [row.id],
      );
      if (!current) return { step: { kind: 'done', status: 'missing' }, disabled: false };
      const attempt = current.attempt_count + 1;
      await tx.execute(
        `insert into "webhook_attempt" ("id", "delivery_id", "run", "attempt", "attempted_at",
            "duration_ms", "status_code", "error", "succeeded")
          values (gen_random_uuid(), ?, ?, ?, now(), ?, ?, ?, ?)`,
        [
          row.id,
          current.run,
          attempt,
          outcome.durationMs,
          outcome.statusCode,
          outcome.error,
          outcome.succeeded,
        ],
      );
      if (current.status !== 'pending' || current.run !== row.run) {
        // Another attempt (a duplicate job) settled or replayed it meanwhile: only logged.
        return { step: { kind: 'done', status: 'settled' }, disabled: false };
      }
      if (outcome.succeeded) {
        await tx.execute(
          `update "webhook_delivery" set "status" = 'succeeded', "attempt_count" = ?,
              "last_error" = null, "settled_at" = now()
            where "id" = ?`,
          [attempt, row.id],
        );
        await tx.execute(
          `update "webhook_endpoint" set "failing_since" = null, "last_success_at" = now(),
              "last_error" = null
            where "id" = ?`,
          [row.endpoint_id],
        );
        return { step: { kind: 'done', status: 'succeeded' }, disabled: false };
      }
      const [endpoint] = await tx.execute<{ disable: boolean; failing_since: Date }[]>(
        `update "webhook_endpoint" set "failing_since" = coalesce("failing_since", now()),
            "last_error" = ?
          where "id" = ?
          returning "enabled" and coalesce("failing_since", now())
              <= now() - (? * interval '1 hour') as "disable", "failing_since"`,
        [outcome.error, row.endpoint_id, this.config.WEBHOOK_DISABLE_AFTER_HOURS],
      );
      const disabled = endpoint?.disable === true;
      if (disabled) await this.disable(tx, row, endpoint.failing_since);
      if (disabled || attempt >= this.retry.maxAttempts) {
        await tx.execute(
          `update "webhook_delivery" set "status" = 'failed', "attempt_count" = ?,
              "last_error" = ?, "settled_at" = now()
            where "id" = ?`,
          [attempt, outcome.error, row.id],
        );
        return { step: { kind: 'done', status: 'failed' }, disabled };
      }
      const until = new Date(Date.now() + webhookRetryDelayMs(attempt, this.retry));
      await tx.execute(
        `update "webhook_delivery" set "attempt_count" = ?, "last_error" = ?, "next_attempt_at" = ?
          where "id" = ?`,
        [attempt, outcome.error, until, row.id],
      );
      return { step: { kind: 'wait', until, reason: 'retry' }, disabled: false };
    });
  }

  /** Disable the endpoint for its failures and record `webhook_endpoint.disabled`, in `tx`. */
  private async disable(tx: EntityManager, row: DeliveryRow, failingSince: Date): Promise<void> {
    await tx.execute(
      `update "webhook_endpoint" set "enabled" = false, "disabled_reason" = 'failing',
          "disabled_at" = now(), "updated_at" = now()
        where "id" = ?`,
      [row.endpoint_id],
    );
    await this.activityLog.record(tx, {
      type: 'webhook_endpoint.disabled',
      actor: { kind: 'system', userId: null, tenantId: null, onBehalfOfTenantId: null },
      tenantIds: [row.tenant_id],
      resource: { type: 'webhook_endpoint', id: row.endpoint_id },
      before: { enabled: true },
      after: {
        enabled: false,
        disabledReason: 'failing',
        failingSince: new Date(failingSince).toISOString(),
      },
    });
    this.logger.warn(
      `webhook endpoint ${row.endpoint_id} disabled after failing since ${String(failingSince)}`,
    );
  }

  /**
   * Email the Global admins of a disabled endpoint's organisation, once: identity is asked for
   * them (and the tenant for its name) outside any transaction; then the notice is claimed
   * (`disabled_notified_at`) and the emails queued in one transaction. An RPC failure throws, so
   * the job is retried and the notice still goes.
   */
  async notifyDisabled(endpointId: string): Promise<void> {
    const em = this.em.fork();
    const [endpoint] = await em.execute<
      {
        tenant_id: string;
        url: string;
        failing_since: Date | null;
        last_error: string | null;
      }[]
    >(
      `select "tenant_id", "url", "failing_since", "last_error" from "webhook_endpoint"
        where "id" = ? and not "enabled" and "disabled_reason" = 'failing'
          and "disabled_notified_at" is null`,
      [endpointId],
    );
    if (!endpoint) return;
    const [{ admins }, tenants] = await Promise.all([
      this.rpc.send(PATTERNS.organizationAdmins, { tenantId: endpoint.tenant_id }),
      this.tenants.getMany([endpoint.tenant_id]),
    ]);
    const failingSince = endpoint.failing_since ? new Date(endpoint.failing_since) : new Date();
    await em.transactional(async (tx) => {
      const claimed = await tx.execute<{ id: string }[]>(
        `update "webhook_endpoint" set "disabled_notified_at" = now()
          where "id" = ? and not "enabled" and "disabled_reason" = 'failing'
            and "disabled_notified_at" is null
          returning "id"`,
        [endpointId],
      );
      if (claimed.length === 0) return;
      for (const admin of admins) {
        this.outbox.enqueueEmail(tx, {
          template: 'webhook-endpoint-disabled',
          to: admin.email,
          locale: admin.locale,
          data: {
            organizationName: tenants.get(endpoint.tenant_id)?.name ?? '',
            endpointUrl: endpoint.url,
            endpointId,
            failingSince: failingSince.toISOString(),
            failingHours: Math.max(
              0,
              Math.floor((Date.now() - failingSince.getTime()) / 3_600_000),
            ),
            ...(endpoint.last_error ? { lastError: endpoint.last_error.slice(0, 2000) } : {}),
          },
        });
      }
    });
  }

  /**
   * Delete settled deliveries (with their attempts) settled more than
   * `WEBHOOK_DELIVERY_RETENTION_DAYS` ago, then the events no delivery refers to any more.
   * Returns how many deliveries went.
   */
  async deleteExpired(): Promise<number> {
    const em = this.em.fork();
    let total = 0;
    for (;;) {
      const deleted = await em.execute<{ id: string }[]>(
        `delete from "webhook_delivery" where "id" in (
            select "id" from "webhook_delivery"
             where "settled_at" < now() - (? * interval '1 day') limit ?)
          returning "id"`,
        [this.config.WEBHOOK_DELIVERY_RETENTION_DAYS, RETENTION_BATCH],
      );
      total += deleted.length;
      if (deleted.length < RETENTION_BATCH) break;
    }
    await em.execute(
      `delete from "webhook_event" ev
        where ev."created_at" < now() - (? * interval '1 day')
          and not exists (select 1 from "webhook_delivery" d where d."event_id" = ev."id")`,
      [this.config.WEBHOOK_DELIVERY_RETENTION_DAYS],
    );
    return total;
  }
}
