import { isAuditEventType } from '@app/contracts';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { WebhookEndpoint } from '../webhook-endpoint.entity';
import { Timestamp, collectionSchema, objectAttributes } from '@app/platform';

/** Subscribes to every event type of the catalogue, present and future. */
export const ALL_EVENT_TYPES = '*';

/**
 * The event types of an endpoint: 1 to 100 types of the catalogue `AUDIT_EVENTS` (README "Event
 * catalogue"), or `*` for all. Duplicates are dropped; `*` with other types is just `*`.
 */
const EventTypes = z
  .array(
    z.string().refine((t) => t === ALL_EVENT_TYPES || isAuditEventType(t), {
      message: 'not an event type of the catalogue (or *)',
    }),
  )
  .min(1)
  .max(100)
  .transform((types) =>
    types.includes(ALL_EVENT_TYPES) ? [ALL_EVENT_TYPES] : [...new Set(types)].sort(),
  );

const Url = z.string().trim().min(1).max(2048);
const Description = z.string().trim().max(500);

/** `POST /v1/webhook-endpoints` body. */
export const CreateWebhookEndpointSchema = z.strictObject({
  url: Url,
  eventTypes: EventTypes,
  description: Description.default(''),
});
export type CreateWebhookEndpointDto = z.infer<typeof CreateWebhookEndpointSchema>;

/** `PATCH /v1/webhook-endpoints/{id}` body: at least one field. */
export const UpdateWebhookEndpointSchema = z
  .strictObject({
    url: Url.optional(),
    eventTypes: EventTypes.optional(),
    description: Description.optional(),
    enabled: z.boolean().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'nothing to change' });
export type UpdateWebhookEndpointDto = z.infer<typeof UpdateWebhookEndpointSchema>;

/** `{id}` of the endpoint routes. */
export const WebhookEndpointIdParamSchema = z.strictObject({ id: z.uuid() });

/** An endpoint as the API shows it (never its secret, except `secret` once, see below). */
export const WebhookEndpointResponseSchema = z.object({
  id: z.uuid(),
  url: z.string(),
  eventTypes: z.array(z.string()),
  description: z.string(),
  enabled: z.boolean(),
  /** `manual` (disabled by the organisation) or `failing` (by the platform), null when enabled. */
  disabledReason: z.string().nullable(),
  disabledAt: Timestamp.nullable(),
  /** The first failure since the last success; null while deliveries succeed. */
  failingSince: Timestamp.nullable(),
  lastSuccessAt: Timestamp.nullable(),
  /** Until when the previous secret still signs after a rotation (null: only one secret). */
  previousSecretExpiresAt: Timestamp.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  attributes: objectAttributes('WebhookEndpoint'),
});
export type WebhookEndpointResponse = z.infer<typeof WebhookEndpointResponseSchema>;

/** A page of webhook endpoints. */
export const WebhookEndpointCollectionSchema = collectionSchema(WebhookEndpointResponseSchema);

/** The answer of creation and rotation: the endpoint and its new secret, shown this once. */
export const WebhookEndpointWithSecretResponseSchema = WebhookEndpointResponseSchema.extend({
  secret: z.string(),
});
export type WebhookEndpointWithSecretResponse = z.infer<
  typeof WebhookEndpointWithSecretResponseSchema
>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toWebhookEndpointResponse(
  endpoint: WebhookEndpoint,
  now: Date = new Date(),
): WebhookEndpointResponse {
  const previousLive =
    endpoint.previousSecretExpiresAt !== null && endpoint.previousSecretExpiresAt > now;
  return {
    id: endpoint.id,
    url: endpoint.url,
    eventTypes: endpoint.eventTypes,
    description: endpoint.description,
    enabled: endpoint.enabled,
    disabledReason: endpoint.disabledReason,
    disabledAt: iso(endpoint.disabledAt),
    failingSince: iso(endpoint.failingSince),
    lastSuccessAt: iso(endpoint.lastSuccessAt),
    previousSecretExpiresAt: previousLive ? iso(endpoint.previousSecretExpiresAt) : null,
    createdAt: endpoint.createdAt.toISOString(),
    updatedAt: endpoint.updatedAt.toISOString(),
    attributes: { objectType: 'WebhookEndpoint' },
  };
}

/**
 * An endpoint URL as the audit trail shows it: the origin only, then `/[redacted]` when it has a
 * path or query. Receivers often take their credential in the URL (`/services/T0/B0/<token>`,
 * `?code=…`); the trail is read by every role of the organisation (and sent to its endpoints),
 * while the endpoint itself is for Global admins. `urlSha256` tells a changed URL from an unchanged
 * one without showing it.
 */
export function auditUrlOf(url: string): { url: string; urlSha256: string } {
  const parsed = new URL(url);
  const bare = parsed.pathname === '/' && parsed.search === '';
  return {
    url: `${parsed.origin}/${bare ? '' : '[redacted]'}`,
    urlSha256: createHash('sha256').update(url).digest('hex'),
  };
}

/** What the audit trail records of an endpoint (no secret; the URL as `auditUrlOf` shows it). */
export function auditSnapshotOf(endpoint: WebhookEndpoint): Record<string, unknown> {
  return {
    ...auditUrlOf(endpoint.url),
    eventTypes: endpoint.eventTypes,
    description: endpoint.description,
    enabled: endpoint.enabled,
    disabledReason: endpoint.disabledReason,
  };
}
