import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { AuditEvent, JOB_CONTRACTS, JOBS } from '@app/contracts';
import { OutboxService } from '@app/outbox';
import { SqlParams } from '@app/platform';
import { randomUUID } from 'node:crypto';
import { AuditEventSinks } from '../../activity-log/audit-event-sinks';

/** The body every delivery of `event` sends (Standard Webhooks: `{ type, timestamp, data }`). */
export function webhookPayloadOf(event: AuditEvent): Record<string, unknown> {
  return { type: event.type, timestamp: event.occurredAt, data: event };
}

/** What orders the deliveries of one endpoint: the event's resource. */
export function resourceKeyOf(event: AuditEvent): string {
  return `${event.resource.type}:${event.resource.id}`;
}

/**
 * Fans every recorded audit event out to the webhook endpoints that want it (issue 14 "Signed
 * events"), as a sink of the audit trail (`AuditEventSinks`), in the transaction that records the
 * event: one indexed query finds the enabled endpoints of the organisations in `event.tenantIds`
 * subscribed to `event.type` (or `*`); for each, a `webhook_delivery` row and a `webhook.deliver`
 * outbox message (relayed to the `webhook-deliveries` queue once the transaction commits). No
 * endpoint, nothing written. Deliveries of one endpoint and resource are numbered (`sequence`) in
 * insertion order; a change locks its resource row before it records its event, so that order is
 * the commit order. A statement that records its event (`ActivityLogService.recordInStatement`)
 * writes the same rows itself (`fanOutSql`): no round trip of its own.
 */
@Injectable()
export class WebhookFanOut implements OnModuleInit {
  constructor(
    private readonly sinks: AuditEventSinks,
    private readonly outbox: OutboxService,
  ) {}

  onModuleInit(): void {
    this.sinks.register(
      async (em, event) => {
        await this.fanOut(em, event);
      },
      (event, params) => this.fanOutSql(event, params),
    );
  }

  /**
   * `fanOut` as data-modifying CTEs of the statement that records `event` (their values added to
   * `params`; the names carry the number of the first value, unique within the statement): the
   * same lookup of the subscribed endpoints, and for each one a `webhook_delivery` row and a
   * `webhook.deliver` outbox row; with no endpoint, nothing written.
   */
  fanOutSql(event: AuditEvent, params: SqlParams): string[] {
    const tenantIds = params.add(event.tenantIds);
    const n = tenantIds.slice(1);
    const types = params.add([event.type, '*']);
    const eventId = params.add(event.id);
    const type = params.add(event.type);
    const payload = params.add(JSON.stringify(webhookPayloadOf(event)));
    const resourceKey = params.add(resourceKeyOf(event));
    const queue = params.add(JOB_CONTRACTS[JOBS.deliverWebhook].queue);
    const job = params.add(JOBS.deliverWebhook);
    const [endpoints, events, deliveries, outbox] = [
      'endpoints',
      'event',
      'deliveries',
      'outbox',
    ].map((name) => `"webhook_${name}_${n}"`);
    return [
      `${endpoints} as (select "id" from "webhook_endpoint"
        where "tenant_id" = any(${tenantIds}::uuid[]) and "enabled" and "event_types" && ${types}::text[]
        for key share)`,
      `${events} as (insert into "webhook_event" ("id", "type", "payload")
        select ${eventId}::uuid, ${type}::text, ${payload}::jsonb where exists (select 1 from ${endpoints})
        on conflict ("id") do nothing)`,
      `${deliveries} as (insert into "webhook_delivery" ("id", "endpoint_id", "event_id", "event_type", "resource_key")
        select gen_random_uuid(), e."id", ${eventId}::uuid, ${type}::text, ${resourceKey}::text from ${endpoints} e
        on conflict ("endpoint_id", "event_id") do nothing returning "id")`,
      `${outbox} as (insert into "outbox_message" ("id", "queue", "name", "payload")
        select gen_random_uuid(), ${queue}::text, ${job}::text, jsonb_build_object('deliveryId', d."id") from ${deliveries} d)`,
    ];
  }

  /**
   * Write the deliveries of `event` in the caller's transaction `em`; returns their ids. The
   * subscribed endpoints are read `for key share` (as in {@link fanOutSql}): an endpoint being
   * deleted at the same moment is waited for and then left out, instead of failing the caller's
   * write on the delivery's foreign key; endpoint changes lock `for no key update`, which this
   * lock does not wait for.
   */
  async fanOut(em: EntityManager, event: AuditEvent): Promise<string[]> {
    const endpoints = await em.execute<{ id: string }[]>(
      `select "id" from "webhook_endpoint"
        where "tenant_id" in (?) and "enabled" and "event_types" && array[?]::text[]
        for key share`,
      [event.tenantIds, [event.type, '*']],
    );
    if (endpoints.length === 0) return [];
    await em.execute(
      `insert into "webhook_event" ("id", "type", "payload") values (?, ?, ?::jsonb)
        on conflict ("id") do nothing`,
      [event.id, event.type, JSON.stringify(webhookPayloadOf(event))],
    );
    const resourceKey = resourceKeyOf(event);
    const rows = endpoints.map((endpoint) => [
      randomUUID(),
      endpoint.id,
      event.id,
      event.type,
      resourceKey,
    ]);
    const inserted = await em.execute<{ id: string }[]>(
      `insert into "webhook_delivery" ("id", "endpoint_id", "event_id", "event_type", "resource_key")
        values ${rows.map(() => '(?, ?, ?, ?, ?)').join(', ')}
        on conflict ("endpoint_id", "event_id") do nothing returning "id"`,
      rows.flat(),
    );
    for (const { id } of inserted) {
      this.outbox.enqueue(em, JOBS.deliverWebhook, { deliveryId: id });
    }
    return inserted.map((r) => r.id);
  }
}
