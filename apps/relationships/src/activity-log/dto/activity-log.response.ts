import { AuditActorSchema, type AuditEvent } from '@app/contracts';
import { Timestamp, collectionSchema, objectAttributes } from '@app/platform';
import { z } from 'zod';
import { ActivityLogEntry } from '../activity-log-entry.entity';

/**
 * An activity log entry as the API shows it: Partner Center's AuditRecord (`partnerId`: the
 * organisation that acted; `customerId`/`customerName`: the customer organisation the event
 * concerns; `userPrincipalName`: the acting user's sign-in name; `resourceOldValue` /
 * `resourceNewValue`: the JSON of the changed fields before and after; `operationType`: the event
 * type; `operationStatus`: always `succeeded`, only committed changes are recorded;
 * `operationDate`; `originalCorrelationId`; `customizedData`: `[{ key, value }]` with the resource
 * id, the source service and the request id), plus the event's own fields (`id`, `type`, `actor`,
 * `resource`, `tenantIds`, `requestId`, `correlationId`, `source`, `before`, `after`).
 */
export const ActivityLogResponseSchema = z.object({
  id: z.uuid(),
  partnerId: z.uuid().nullable(),
  customerId: z.uuid().nullable(),
  customerName: z.string().nullable(),
  userPrincipalName: z.string().nullable(),
  applicationId: z.null(),
  resourceType: z.string(),
  resourceOldValue: z.string().nullable(),
  resourceNewValue: z.string().nullable(),
  operationType: z.string(),
  operationStatus: z.literal('succeeded'),
  operationDate: Timestamp,
  originalCorrelationId: z.string().nullable(),
  customizedData: z.array(z.object({ key: z.string(), value: z.string() })),
  type: z.string(),
  actor: AuditActorSchema,
  resource: z.object({ type: z.string(), id: z.string() }),
  tenantIds: z.array(z.uuid()),
  requestId: z.string().nullable(),
  correlationId: z.string().nullable(),
  source: z.enum(['identity', 'relationships', 'notifications']),
  before: z.unknown(),
  after: z.unknown(),
  attributes: objectAttributes('AuditRecord'),
});
export type ActivityLogResponse = z.infer<typeof ActivityLogResponseSchema>;

/** A page of the activity log. */
export const ActivityLogCollectionSchema = collectionSchema(ActivityLogResponseSchema);

/** A link of an organisation's hash chain holding an exported event. */
export interface ChainPosition {
  tenantId: string;
  seq: number;
  hash: string;
}

/**
 * One line of the export (`application/x-ndjson`): the stored `AuditEvent` and its positions in
 * the hash chains the reader may see (its own organisation's; every one for the operator; empty
 * while the chainer has not linked it yet).
 */
export interface ActivityLogExportLine extends AuditEvent {
  chain: ChainPosition[];
}

function jsonOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

export function toActivityLogResponse(
  entry: ActivityLogEntry,
  event: AuditEvent,
  customerName: string | null,
): ActivityLogResponse {
  return {
    id: event.id,
    partnerId: event.actor.kind === 'user' ? event.actor.tenantId : null,
    customerId: entry.customerId,
    customerName,
    userPrincipalName: entry.actorUserPrincipalName,
    applicationId: null,
    resourceType: event.resource.type,
    resourceOldValue: jsonOrNull(event.before),
    resourceNewValue: jsonOrNull(event.after),
    operationType: event.type,
    operationStatus: 'succeeded',
    operationDate: event.occurredAt,
    originalCorrelationId: event.correlationId,
    customizedData: [
      { key: 'resourceId', value: event.resource.id },
      { key: 'source', value: event.source },
      ...(event.requestId ? [{ key: 'requestId', value: event.requestId }] : []),
    ],
    type: event.type,
    actor: event.actor,
    resource: event.resource,
    tenantIds: event.tenantIds,
    requestId: event.requestId,
    correlationId: event.correlationId,
    source: event.source,
    before: event.before,
    after: event.after,
    attributes: { objectType: 'AuditRecord' },
  };
}
