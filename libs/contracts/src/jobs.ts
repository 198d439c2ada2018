import { z } from 'zod';
import { Email, Locale, Uuid } from './domain';
import { TemplateIdSchema } from './templates';
import { AuditEventSchema } from './audit';

/**
 * BullMQ queues and jobs that cross a service boundary. Names are wire values: never renamed
 * without migrating queued work. Every job is produced through an outbox row (same transaction as
 * the state change) and added with `jobId` = the outbox row id.
 */
export const QUEUES = {
  /** Consumed by the notifications worker: render and deliver emails. */
  notifications: 'notifications',
  /** Consumed by identity: events from relationships that change access in identity. */
  identityEvents: 'identity-events',
  /** Consumed by relationships: audit events from identity, appended to the one audit trail. */
  auditEvents: 'audit-events',
  /** Consumed by relationships: deliver one webhook message to an organisation's endpoint. */
  webhookDeliveries: 'webhook-deliveries',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const JOBS = {
  /** Render a template and deliver it over SMTP, exactly once per idempotency key. */
  sendEmail: 'email.send',
  /**
   * A reseller authorized an indirect provider (seed 004 step 3): the provider gets administrator
   * access to the reseller's organisation.
   */
  partnershipAuthorized: 'partnership.authorized',
  /**
   * The email queued under `idempotencyKey` is no longer wanted (its invitation was revoked or
   * replaced before delivery): if it has not been sent yet, it completes as skipped.
   */
  cancelEmail: 'email.cancel',
  /**
   * A customer's Global admin accepted the Customer Agreement while accepting a reseller
   * relationship (seed 001 step 5 note): identity records it on the customer's tenant. Produced in
   * the acceptance's transaction, so the agreement is recorded only once the relationship commits.
   */
  customerAgreementAccepted: 'customer-agreement.accepted',
  /**
   * The partnership between an indirect provider and an indirect reseller was removed (either
   * side, seed 002 "Remove partnership"): identity ends the provider's administrator access granted
   * by that authorization and disables the users the provider created through it (issue 9 point 3).
   */
  partnershipRemoved: 'partnership.removed',
  /**
   * A partner's delegated admin privileges for a customer ended (the customer revoked them, or the
   * partner's reseller relationship with the customer was removed): identity disables the users the
   * partner created in the customer under that grant (issue 9 point 3).
   */
  delegatedAdminEnded: 'delegated-admin.ended',
  /**
   * identity recorded an audit event (issue 14 "One audit trail"): relationships appends it to the
   * trail, once per event id.
   */
  auditRecorded: 'audit.recorded',
  /**
   * Deliver the webhook delivery `deliveryId` (an audit event for one endpoint, issue 14 "Signed
   * events"): relationships' worker sends it, retries it with its own backoff over a day, and logs
   * each attempt. Idempotent: a delivery already settled completes at once.
   */
  deliverWebhook: 'webhook.deliver',
} as const;
export type JobName = (typeof JOBS)[keyof typeof JOBS];

/**
 * `email.send`: the worker renders `template` with `data` in `locale` and sends it to `to`.
 * `sealedLink` is the invitation link sealed with the deployment's link key (AES-256-GCM, see
 * `sealLink` in `@app/platform`); the worker opens it just before rendering so that no raw token sits
 * in Redis. `idempotencyKey` names the delivery (defaults to the job id) and derives the Message-ID.
 */
export const SendEmailJobSchema = z.object({
  template: TemplateIdSchema,
  to: Email,
  locale: Locale,
  data: z.record(z.string(), z.unknown()),
  sealedLink: z.string().max(4096).optional(),
  idempotencyKey: z.string().min(1).max(200),
  /**
   * When the link in the email stops working (the invitation's expiry, ISO 8601). A job processed
   * after it completes as skipped (`expired`) instead of sending a dead link.
   */
  expiresAt: z.iso.datetime().optional(),
});
export type SendEmailJob = z.infer<typeof SendEmailJobSchema>;

/** Why a queued email is no longer wanted. */
export const EmailCancelReason = z.enum(['revoked', 'superseded']);
export type EmailCancelReason = z.infer<typeof EmailCancelReason>;

/**
 * `email.cancel`: the invitation behind the email queued under `idempotencyKey` was revoked
 * (`revoked`) or resent with a new link (`superseded`) at `occurredAt`. The worker records the
 * delivery as skipped unless it was already sent; the `email.send` job then completes as skipped.
 * Added at the head of the queue (`lifo`), so that it overtakes the send it cancels.
 */
export const CancelEmailJobSchema = z.object({
  idempotencyKey: z.string().min(1).max(200),
  reason: EmailCancelReason,
  occurredAt: z.iso.datetime(),
});
export type CancelEmailJob = z.infer<typeof CancelEmailJobSchema>;

/**
 * `partnership.authorized`: grant the provider administrator access to the reseller's organisation.
 * `authorizationId` names this authorization (the partnership request the reseller accepted): the
 * partnership row is reused when a removed partnership is authorized again, the authorization is
 * not, so a redelivered job changes nothing and a new authorization grants access anew.
 */
export const PartnershipAuthorizedJobSchema = z.object({
  partnershipId: Uuid,
  authorizationId: Uuid,
  providerTenantId: Uuid,
  resellerTenantId: Uuid,
  authorizedByUserId: Uuid,
  occurredAt: z.iso.datetime(),
});
export type PartnershipAuthorizedJob = z.infer<typeof PartnershipAuthorizedJobSchema>;

/**
 * `partnership.removed`: the partnership authorized by `authorizationId` was removed by
 * `removedByTenantId` at `occurredAt`. Identity ends the administrator access of that authorization
 * (and only that one: a later re-authorization's access stays) and disables the users created
 * through it. Idempotent.
 */
export const PartnershipRemovedJobSchema = z.object({
  partnershipId: Uuid,
  /** Null for a partnership established before authorizations were recorded. */
  authorizationId: Uuid.nullable(),
  providerTenantId: Uuid,
  resellerTenantId: Uuid,
  removedByTenantId: Uuid,
  occurredAt: z.iso.datetime(),
});
export type PartnershipRemovedJob = z.infer<typeof PartnershipRemovedJobSchema>;

/** Why delegated admin privileges ended. */
export const DelegatedAdminEndReason = z.enum(['revoked', 'relationship_removed']);
export type DelegatedAdminEndReason = z.infer<typeof DelegatedAdminEndReason>;

/**
 * `delegated-admin.ended`: `partnerTenantId`'s delegated admin privileges for `customerTenantId`,
 * granted as `grantId` (the id `relationships.delegated-admin.status` answered while they were
 * active), ended at `occurredAt`. Identity disables the users the partner created in the customer
 * under that grant and revokes their sessions. Idempotent.
 */
export const DelegatedAdminEndedJobSchema = z.object({
  partnerTenantId: Uuid,
  customerTenantId: Uuid,
  grantId: Uuid,
  reason: DelegatedAdminEndReason,
  occurredAt: z.iso.datetime(),
});
export type DelegatedAdminEndedJob = z.infer<typeof DelegatedAdminEndedJobSchema>;

/**
 * `customer-agreement.accepted`: record on `customerTenantId` that `acceptedByUserId` accepted the
 * Customer Agreement at `acceptedAt` (ISO 8601), while accepting the reseller relationship request
 * `invitationId` (null: through a partner's reusable relationship link, which has no invitation),
 * and which `version` of the text it was shown (absent in events queued before issue 11).
 * Idempotent: the first acceptance recorded stays; later events change nothing.
 */
export const CustomerAgreementAcceptedJobSchema = z.object({
  customerTenantId: Uuid,
  acceptedByUserId: Uuid,
  acceptedAt: z.iso.datetime(),
  invitationId: Uuid.nullable(),
  version: z.string().max(50).optional(),
});
export type CustomerAgreementAcceptedJob = z.infer<typeof CustomerAgreementAcceptedJobSchema>;

/** `webhook.deliver`: the `webhook_delivery` row to send (its event, endpoint and attempts). */
export const DeliverWebhookJobSchema = z.object({ deliveryId: Uuid });
export type DeliverWebhookJob = z.infer<typeof DeliverWebhookJobSchema>;

/** Name → queue and payload schema: `enqueue(name, data)` cannot mismatch. */
export const JOB_CONTRACTS = {
  [JOBS.sendEmail]: { queue: QUEUES.notifications, schema: SendEmailJobSchema },
  [JOBS.partnershipAuthorized]: {
    queue: QUEUES.identityEvents,
    schema: PartnershipAuthorizedJobSchema,
  },
  [JOBS.cancelEmail]: { queue: QUEUES.notifications, schema: CancelEmailJobSchema, lifo: true },
  [JOBS.customerAgreementAccepted]: {
    queue: QUEUES.identityEvents,
    schema: CustomerAgreementAcceptedJobSchema,
  },
  [JOBS.partnershipRemoved]: { queue: QUEUES.identityEvents, schema: PartnershipRemovedJobSchema },
  [JOBS.delegatedAdminEnded]: {
    queue: QUEUES.identityEvents,
    schema: DelegatedAdminEndedJobSchema,
  },
  [JOBS.auditRecorded]: { queue: QUEUES.auditEvents, schema: AuditEventSchema },
  [JOBS.deliverWebhook]: { queue: QUEUES.webhookDeliveries, schema: DeliverWebhookJobSchema },
} as const;
export type JobPayload<N extends JobName> = z.infer<(typeof JOB_CONTRACTS)[N]['schema']>;

/**
 * Retry policy for every job (the producers put `attempts` and `backoff` in the job options):
 * exponential backoff from `backoff.delay` (0.5 s), doubling per attempt up to `maxDelayMs` (8 s),
 * with jitter (each delay drawn from its upper `jitter` fraction, i.e. between 4 and 8 s once capped),
 * for `attempts` (40) attempts: 2.5 to 5 minutes in all. The cap keeps an email held back by an
 * outage (an SMTP server down for 30 s) going out within seconds of the server coming back. The
 * backoff `type` is not one of BullMQ's built-in ones (they cannot cap), so every worker that
 * consumes these jobs registers `jobBackoffStrategy` (`@app/platform`, i.e. {@link retryDelayMs}) as
 * its `settings.backoffStrategy`.
 */
export const JOB_RETRY = {
  attempts: 40,
  backoff: { type: 'capped-exponential-jitter', delay: 500 },
  maxDelayMs: 8000,
  jitter: 0.5,
} as const;

/**
 * The delay before retry number `attemptsMade` (1 for the first retry) under {@link JOB_RETRY}, in
 * milliseconds: `min(delay * 2^(attemptsMade - 1), maxDelayMs)`, of which the lower `1 - jitter`
 * part is fixed and the rest random (`random()` in [0, 1)).
 */
export function retryDelayMs(attemptsMade: number, random: () => number = Math.random): number {
  const exponent = Math.max(0, Math.min(attemptsMade - 1, 30));
  const ceiling = Math.min(JOB_RETRY.backoff.delay * 2 ** exponent, JOB_RETRY.maxDelayMs);
  return Math.round(ceiling * (1 - JOB_RETRY.jitter) + ceiling * JOB_RETRY.jitter * random());
}
