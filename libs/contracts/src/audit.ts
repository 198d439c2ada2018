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
  'partnership.requested': {
    when: 'An indirect provider sends a partnership request to a reseller (POST /v1/partnership-requests): the invitation is created (after: kind, invitee email, status, expiry; never the token or link).',
    resource: 'invitation',
  },
  'partnership.established': {
    when: "A reseller authorizes an indirect provider by accepting its request (POST /v1/partnership-requests/accept or the emailed link's page): the partnership is created or re-activated and the invitation consumed.",
    resource: 'partnership',
  },
  'partnership.removed': {
    when: 'Either side removes an active partnership (DELETE /v1/relationships/{partnerTenantId}).',
    resource: 'partnership',
  },
  'reseller_relationship.requested': {
    when: 'A partner sends a reseller relationship request to a customer (POST /v1/customers/relationship-requests), alone or jointly with one of its indirect providers.',
    resource: 'invitation',
  },
  'reseller_relationship.established': {
    when: "A customer's Global admin accepts a reseller relationship request (POST /v1/customers/relationship-requests/accept or the emailed link's page): the inviting partner's relationship (after), a joint provider's (after.jointProviderRelationship), delegated admin privileges when requested, and the Customer Agreement when accepted with it (after.customerAgreementAcceptedAt).",
    resource: 'reseller_relationship',
  },
  'reseller_relationship.removed': {
    when: "A partner removes its reseller relationship with a customer (PATCH /v1/customers/{id} with relationshipToPartner 'none'); delegated admin privileges end with it.",
    resource: 'reseller_relationship',
  },
  'delegated_admin.revoked': {
    when: "A customer's Global admin revokes a partner's delegated admin privileges (DELETE /v1/partners/{partnerId}/delegated-admin); the relationship stays.",
    resource: 'reseller_relationship',
  },
  'invitation.revoked': {
    when: 'The inviting partner revokes a pending or expired request (DELETE /v1/partnership-requests/{id}, DELETE /v1/customers/relationship-requests/{id}); revoking a revoked one changes nothing and writes nothing.',
    resource: 'invitation',
  },
  'invitation.resent': {
    when: 'The inviting partner resends a request (POST …/{id}/resend): new expiry, the old link dies (after.queued: whether an email was queued).',
    resource: 'invitation',
  },
  'customer.created': {
    when: "A partner creates a customer (POST /v1/customers): the company profile, the admin's user principal name (never the temporary password), the relationships established with it (after.relationships) and the initial subscriptions (after.subscriptions).",
    resource: 'customer',
  },
  'subscription.created': {
    when: 'A partner orders a subscription for a customer (POST /v1/customers/{customerId}/subscriptions).',
    resource: 'subscription',
  },
  'subscription.updated': {
    when: 'A partner changes a subscription (PATCH /v1/customers/{customerId}/subscriptions/{id}): quantity, status, associated reseller, support contact.',
    resource: 'subscription',
  },
  'customer_agreement.accepted': {
    when: 'Entries recorded before the trail became one event per change only: the Customer Agreement accepted while accepting a relationship request. Since then that acceptance is part of reseller_relationship.established (after.customerAgreementAcceptedAt); nothing writes this type any more.',
    resource: 'customer',
  },
} as const satisfies Record<string, AuditEventDefinition>;
export type RelationshipsAuditEventType = keyof typeof RELATIONSHIPS_AUDIT_EVENTS;

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
