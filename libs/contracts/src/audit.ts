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
export const RELATIONSHIPS_AUDIT_EVENTS = {} as const satisfies Record<
  string,
  AuditEventDefinition
>;

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
