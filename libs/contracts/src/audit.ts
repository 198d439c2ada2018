import { z } from 'zod';
import { Uuid } from './domain';

/**
 * The audit trail's event catalogue (issue 14 "One audit trail"): every state change in every
 * service is one event of a stable type. Types are wire values (activity log rows, webhook
 * subscriptions and payloads): never renamed. Each service owns its half of the catalogue; the
 * README's event catalogue lists the same entries.
 *
 * An entry says when the event is written (`when`) and which resource it is about (`resource`).
 */
export interface AuditEventDefinition {
  when: string;
  resource: string;
}

/** Events written by identity (organisations, enrollment, users, roles, sessions, signing keys). */
export const IDENTITY_AUDIT_EVENTS = {} as const satisfies Record<string, AuditEventDefinition>;

/**
 * Events written by relationships (partnerships, reseller relationships, invitations, delegated
 * admin privileges, customers, subscriptions, webhooks).
 */
export const RELATIONSHIPS_AUDIT_EVENTS = {
  'partnership.established': {
    when: 'an indirect reseller authorized an indirect provider (seed 004 step 3)',
    resource: 'partnership',
  },
  'partnership.removed': { when: 'either side removed a partnership', resource: 'partnership' },
  'invitation.created': {
    when: 'a partnership or reseller relationship request was created',
    resource: 'invitation',
  },
  'invitation.revoked': { when: 'the inviter revoked a pending request', resource: 'invitation' },
  'invitation.resent': {
    when: 'the inviter resent a pending request with a new link',
    resource: 'invitation',
  },
  'customer_agreement.accepted': {
    when: "a customer's Global admin accepted the Customer Agreement",
    resource: 'customer',
  },
  'reseller_relationship.established': {
    when: 'a customer accepted a reseller relationship request, or a partner created a customer',
    resource: 'reseller_relationship',
  },
  'reseller_relationship.removed': {
    when: 'a partner removed its reseller relationship with a customer',
    resource: 'reseller_relationship',
  },
  'delegated_admin.revoked': {
    when: "a customer revoked a partner's delegated admin privileges",
    resource: 'reseller_relationship',
  },
  'customer.created': { when: 'a partner created a customer', resource: 'customer' },
  'subscription.created': { when: 'a partner ordered a subscription', resource: 'subscription' },
  'subscription.updated': {
    when: "a partner changed a subscription's quantity or status",
    resource: 'subscription',
  },
  'webhook_endpoint.created': {
    when: 'an organisation registered a webhook endpoint',
    resource: 'webhook_endpoint',
  },
  'webhook_endpoint.updated': {
    when: "an organisation changed a webhook endpoint's URL, event types, description or state",
    resource: 'webhook_endpoint',
  },
  'webhook_endpoint.deleted': {
    when: 'an organisation deleted a webhook endpoint',
    resource: 'webhook_endpoint',
  },
  'webhook_endpoint.secret_rotated': {
    when: "an organisation rotated a webhook endpoint's signing secret",
    resource: 'webhook_endpoint',
  },
  'webhook_endpoint.disabled': {
    when: 'the platform disabled an endpoint that failed without a success for days',
    resource: 'webhook_endpoint',
  },
  'webhook_delivery.replayed': {
    when: 'an organisation replayed a failed webhook delivery',
    resource: 'webhook_delivery',
  },
} as const satisfies Record<string, AuditEventDefinition>;

export const AUDIT_EVENTS = {
  ...IDENTITY_AUDIT_EVENTS,
  ...RELATIONSHIPS_AUDIT_EVENTS,
} as const satisfies Record<string, AuditEventDefinition>;
export type AuditEventType = keyof typeof AUDIT_EVENTS;

/** Whether `value` is a type in the catalogue. */
export function isAuditEventType(value: string): value is AuditEventType {
  return Object.prototype.hasOwnProperty.call(AUDIT_EVENTS, value);
}

export const AuditEventTypeSchema = z
  .string()
  .refine(isAuditEventType, { message: 'not an event type of the catalogue' });

/**
 * Who caused an event. `kind`: `user` (a signed-in user of `tenantId`), `operator` (the platform
 * operator), `system` (work that runs by itself: expiry, sweeps; `userId` and `tenantId` null),
 * `anonymous` (a public route: an emailed link's page, sign-up; `userId` may be the user the link
 * names). `onBehalfOfTenantId`: the organisation a partner user acted in through delegated admin
 * privileges (a delegated call), else null.
 */
export const AuditActorSchema = z.object({
  kind: z.enum(['user', 'operator', 'system', 'anonymous']),
  userId: Uuid.nullable(),
  tenantId: Uuid.nullable(),
  onBehalfOfTenantId: Uuid.nullable(),
});
export type AuditActor = z.infer<typeof AuditActorSchema>;

/**
 * One audit event as it crosses a service boundary (job `audit.recorded`, written to the producer's
 * outbox in the transaction of the change) and as the trail stores it. `id` is the event's
 * identity: the trail stores each id once. `tenantIds`: every organisation whose trail the event
 * joins (both sides of a relationship). `before`/`after`: the changed fields, never a secret
 * (no password, token, link or key material). `requestId`/`correlationId`: the API request's
 * `MS-RequestId`/`MS-CorrelationId`, null for work that runs by itself.
 */
export const AuditEventSchema = z.object({
  id: Uuid,
  occurredAt: z.iso.datetime(),
  type: AuditEventTypeSchema,
  actor: AuditActorSchema,
  tenantIds: z.array(Uuid).min(1),
  resource: z.object({ type: z.string().min(1), id: z.string().min(1) }),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  requestId: z.string().nullable(),
  correlationId: z.string().nullable(),
  source: z.enum(['identity', 'relationships']),
});
export type AuditEvent = z.infer<typeof AuditEventSchema>;
