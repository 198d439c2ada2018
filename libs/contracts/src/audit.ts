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

/**
 * Events written by identity (organisations, enrollment, users, roles, sessions, signing keys).
 * One event per change (a request that changes several rows writes one event describing them),
 * with two documented exceptions where one public request may reach accounts of several
 * organisations by an email address (a password reset request, a verification resend, a sign-in
 * lockout): one event per organisation reached, so that no organisation's trail names another's
 * account. Requests that change nothing (an idempotent repeat, an unknown address) write none.
 */
export const IDENTITY_AUDIT_EVENTS = {
  'enrollment.submitted': {
    when: 'A partner enrolled (POST /v1/enrollments): its organisation, first Global admin and verification link were created, pending verification.',
    resource: 'enrollment',
  },
  'enrollment.verification_resent': {
    when: "A new verification link went to a partner's primary contact (or to a new primary contact address), earlier links stopped working: sent by the operator or asked for on the public resend routes.",
    resource: 'enrollment',
  },
  'enrollment.verified': {
    when: "The primary contact followed the enrollment's verification link: the enrollment moved to in_review (or active with auto-approval).",
    resource: 'enrollment',
  },
  'enrollment.approved': {
    when: 'The platform operator approved an enrollment under review: the partner is active.',
    resource: 'enrollment',
  },
  'enrollment.rejected': {
    when: 'The platform operator rejected an enrollment under review, with a reason.',
    resource: 'enrollment',
  },
  'organization.signed_up': {
    when: 'A customer organisation signed up on its own (POST /v1/customer-signups) with its first Global admin.',
    resource: 'organization',
  },
  'organization.created': {
    when: 'A partner created a customer organisation and its first Global admin (new customer, through relationships).',
    resource: 'organization',
  },
  'customer_agreement.accepted': {
    when: "A customer's Global admin accepted the Customer Agreement (while accepting a reseller relationship); recorded once.",
    resource: 'organization',
  },
  'partner_profile.updated': {
    when: "A partner's legal business profile changed (by the partner, or by the operator); a new primary contact email is pending until verified.",
    resource: 'partner_profile',
  },
  'partner_profile.primary_contact_changed': {
    when: "A new primary contact address followed its verification link and became the partner's primary contact.",
    resource: 'partner_profile',
  },
  'partner.indirect_reseller_enrolled': {
    when: 'A direct partner added the indirect reseller role to its account by giving its customer support contact.',
    resource: 'partner',
  },
  'user.created': {
    when: "A user was added to an organisation (by its admins, or by a partner through administrator access or delegated admin privileges), or the platform operator's account was created at first start.",
    resource: 'user',
  },
  'user.role_granted': {
    when: "Roles were added to a user's roles (none taken away).",
    resource: 'user',
  },
  'user.role_revoked': {
    when: "Roles were taken from a user's roles (none added); its access tokens were revoked.",
    resource: 'user',
  },
  'user.roles_changed': {
    when: "A user's roles were replaced: some added and some taken away in one change; its access tokens were revoked.",
    resource: 'user',
  },
  'user.disabled': {
    when: 'A user was disabled: it cannot sign in, its sessions were revoked.',
    resource: 'user',
  },
  'user.enabled': { when: 'A disabled user was enabled again.', resource: 'user' },
  'user.deleted': {
    when: "A user was removed; its sessions were revoked. A customer's user deleted by a partner through delegated admin privileges is soft-deleted (state inactive, softDeletionTime): restorable until the retention has passed, then purged.",
    resource: 'user',
  },
  'user.restored': {
    when: 'A soft-deleted customer user was restored by a partner through delegated admin privileges (PATCH state active): state active again, enabled unless it was disabled before or its grant has ended.',
    resource: 'user',
  },
  'user.password_changed': {
    when: 'A user changed its own password (POST /v1/auth/password); every other session was revoked.',
    resource: 'user',
  },
  'user.password_reset': {
    when: "A user's password was reset: by an admin (a temporary password, shown once) or by the user through an emailed reset link; every session was revoked.",
    resource: 'user',
  },
  'user.password_reset_requested': {
    when: 'A password reset link was emailed to a user (public request by sign-in name); earlier reset links stopped working.',
    resource: 'user',
  },
  'user.email_verified': {
    when: 'A new user followed the link that proves its sign-in address.',
    resource: 'user',
  },
  'user.signed_in': {
    when: 'A user signed in with its password: a new session started.',
    resource: 'user',
  },
  'user.locked_out': {
    when: "Sign-in was locked for a user's sign-in name after too many failed attempts (until the lock expires).",
    resource: 'user',
  },
  'session.refreshed': {
    when: "A session's refresh token was spent for a new access token and refresh token.",
    resource: 'session',
  },
  'session.revoked': {
    when: 'A session ended before its expiry: signed out, or revoked because a spent refresh token was presented again or its user can no longer sign in.',
    resource: 'session',
  },
  'admin_access.granted': {
    when: "An indirect reseller authorized an indirect provider: the provider got administrator access to the reseller's organisation.",
    resource: 'admin_access',
  },
  'admin_access.withdrawn': {
    when: "An indirect reseller withdrew a provider's administrator access; the users the provider created through it were disabled.",
    resource: 'admin_access',
  },
  'admin_access.ended': {
    when: "The partnership behind a provider's administrator access was removed: the access ended and the users the provider created through it were disabled.",
    resource: 'admin_access',
  },
  'delegated_users.disabled': {
    when: "A partner's delegated admin privileges for a customer ended (revoked, or the relationship removed): the users the partner created in the customer under them were disabled.",
    resource: 'delegated_admin_grant',
  },
  'security_group.created': {
    when: 'A partner created a security group of its own users (issue 10 part 2: the access container of GDAP access assignments).',
    resource: 'security_group',
  },
  'security_group.deleted': {
    when: 'A partner deleted a security group with its memberships: access assignments naming it grant nothing from then on.',
    resource: 'security_group',
  },
  'security_group.member_added': {
    when: 'A user of the partner joined one of its security groups (after: userId, email).',
    resource: 'security_group',
  },
  'security_group.member_removed': {
    when: 'A user left a security group of its partner: its delegated calls through the group are refused from the next call on.',
    resource: 'security_group',
  },
  'signing_key.rotated': {
    when: 'A new access-token signing key became active (the first one at installation, a rotation by the operator, or the automatic rotation); the replaced key verifies until its tokens expire.',
    resource: 'signing_key',
  },
  'signing_key.retired': {
    when: 'A previous signing key whose tokens have all expired was retired and its private half destroyed (by the periodic check or at start-up; a rotation names the keys it retired in its own event).',
    resource: 'signing_key',
  },
  'signing_key.encrypted': {
    when: 'A signing key stored in plaintext by an older version was encrypted at rest (at start-up).',
    resource: 'signing_key',
  },
  'unverified_account.removed': {
    when: 'An enrollment or customer sign-up whose users never proved their address in time was deleted, releasing its Partner ID, domain and sign-in names.',
    resource: 'organization',
  },
} as const satisfies Record<string, AuditEventDefinition>;
export type IdentityAuditEventType = keyof typeof IDENTITY_AUDIT_EVENTS;

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
    when: "A reseller authorizes an indirect provider by accepting its request (POST /v1/partnership-requests/accept, POST /v1/partnership-requests/received/{id}/accept or the emailed link's page): the partnership is created or re-activated and the invitation consumed.",
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
    when: "A customer's Global admin accepts a reseller relationship request (POST /v1/customers/relationship-requests/accept or the emailed link's page) or a partner's reusable relationship link (its page; after.partnerLink true, no invitation): the inviting partner's relationship (after), a joint provider's (after.jointProviderRelationship), delegated admin privileges when requested, and the Customer Agreement when accepted with it (after.customerAgreementAcceptedAt, after.customerAgreementVersion).",
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
  'delegated_admin.removed': {
    when: 'A partner gives up its own delegated admin privileges for a customer (PATCH /v1/customers/{id} with allowDelegatedAccess false); the relationship stays, the users it created there under them are disabled.',
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
  'relationship_request.link_rotated': {
    when: "A partner replaces its reusable reseller relationship link (POST /v1/customers/relationshiprequests/rotate): the link's generation (before/after; never the link); the old link is refused from then on.",
    resource: 'partner_relationship_link',
  },
  'customer_agreement.confirmed': {
    when: "A partner confirms a customer's acceptance of the Customer Agreement (POST /v1/customers/{id}/agreements): template, version, date agreed and the customer's primary contact; for the partner and the customer only.",
    resource: 'customer_agreement',
  },
  'customer.created': {
    when: "A partner creates a customer (POST /v1/customers): the company profile, the admin's user principal name (never the temporary password), the relationships established with it (after.relationships), the initial subscriptions (after.subscriptions) and the partner's confirmation of the Customer Agreement when given (after.customerAgreement).",
    resource: 'customer',
  },
  'customer.billing_profile_updated': {
    when: "A partner replaces a customer's billing profile (PUT /v1/customers/{id}/profiles/billing with If-Match): before and after.",
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
  'webhook_endpoint.created': {
    when: 'An organisation registered a webhook endpoint (POST /v1/webhook-endpoints): URL, event types, description (the secret is shown once and never recorded).',
    resource: 'webhook_endpoint',
  },
  'webhook_endpoint.updated': {
    when: "An organisation changed a webhook endpoint's URL, event types, description or state.",
    resource: 'webhook_endpoint',
  },
  'webhook_endpoint.deleted': {
    when: 'An organisation deleted a webhook endpoint.',
    resource: 'webhook_endpoint',
  },
  'webhook_endpoint.secret_rotated': {
    when: "An organisation rotated a webhook endpoint's signing secret (the old one keeps signing for the overlap).",
    resource: 'webhook_endpoint',
  },
  'webhook_endpoint.disabled': {
    when: 'The platform disabled an endpoint that failed without a success for WEBHOOK_DISABLE_AFTER_HOURS; its Global admins are emailed.',
    resource: 'webhook_endpoint',
  },
  'delegated_admin_relationship.created': {
    when: "A partner's Admin agent or Global admin creates a delegated admin relationship (GDAP, POST /v1/tenantRelationships/delegatedAdminRelationships): status created (after: displayName, duration, customer, roles, autoExtendDuration).",
    resource: 'delegated_admin_relationship',
  },
  'delegated_admin_relationship.updated': {
    when: 'A partner changes a delegated admin relationship (PATCH …/delegatedAdminRelationships/{id}): any field while created, autoExtendDuration while active.',
    resource: 'delegated_admin_relationship',
  },
  'delegated_admin_relationship.deleted': {
    when: 'A partner deletes a delegated admin relationship still in created (DELETE …/delegatedAdminRelationships/{id}).',
    resource: 'delegated_admin_relationship',
  },
  'delegated_admin_relationship.approval_requested': {
    when: "A partner locks a relationship for approval (POST …/{id}/requests, action lockForApproval): approvalPending; the customer's Global admins are emailed the approval link.",
    resource: 'delegated_admin_relationship',
  },
  'delegated_admin_relationship.approved': {
    when: "The customer's Global admin approves (POST …/{id}/requests action approve, or the emailed link's page): approved → activating → active, activatedDateTime and endDateTime set; the partner's Admin agents are emailed.",
    resource: 'delegated_admin_relationship',
  },
  'delegated_admin_relationship.rejected': {
    when: "The customer's Global admin rejects (POST …/{id}/requests action reject, or the emailed link's page): terminated without ever being active; the partner's Admin agents are emailed.",
    resource: 'delegated_admin_relationship',
  },
  'delegated_admin_relationship.terminated': {
    when: "Either side terminates an active (or expiring) relationship (POST …/{id}/requests action terminate): terminationRequested → terminating → terminated; both sides' admins are emailed.",
    resource: 'delegated_admin_relationship',
  },
  'delegated_admin_relationship.expiring': {
    when: 'The lifecycle job: an active relationship without auto-extension is 30 days from its endDateTime (status expiring, 30-day notice emailed to both sides).',
    resource: 'delegated_admin_relationship',
  },
  'delegated_admin_relationship.expiry_notice': {
    when: 'The lifecycle job emailed the 7-day or the 1-day expiry notice of an expiring relationship to both sides (after.daysAhead).',
    resource: 'delegated_admin_relationship',
  },
  'delegated_admin_relationship.expired': {
    when: 'The lifecycle job: an expiring relationship reached its endDateTime, or an approvalPending one was not acted on for 90 days (after.reason).',
    resource: 'delegated_admin_relationship',
  },
  'delegated_admin_relationship.extended': {
    when: 'The lifecycle job: a relationship with autoExtendDuration P180D reached its endDateTime and rolled forward 180 days (never one with Global Administrator).',
    resource: 'delegated_admin_relationship',
  },
  'delegated_admin_access_assignment.created': {
    when: "A partner assigned one of its security groups a subset of a delegated admin relationship's roles (status pending, or active when the relationship is active); both organisations' trails.",
    resource: 'gdap_access_assignment',
  },
  'delegated_admin_access_assignment.updated': {
    when: "A partner changed the roles of an access assignment (PATCH, the operation succeeded); both organisations' trails.",
    resource: 'gdap_access_assignment',
  },
  'delegated_admin_access_assignment.deleted': {
    when: "A partner removed an access assignment (deleting → deleted): its group's members lose the access from the next call on; both organisations' trails.",
    resource: 'gdap_access_assignment',
  },
  'webhook_delivery.replayed': {
    when: 'An organisation replayed a failed webhook delivery (same webhook-id).',
    resource: 'webhook_delivery',
  },
} as const satisfies Record<string, AuditEventDefinition>;
export type RelationshipsAuditEventType = keyof typeof RELATIONSHIPS_AUDIT_EVENTS;

/** Events written by notifications (the operator's actions on deliveries). */
export const NOTIFICATIONS_AUDIT_EVENTS = {
  'delivery.replayed': {
    when: 'The platform operator replayed an email delivery that had failed for good (POST /v1/deliveries/{idempotencyKey}/replay): its job is queued again under the same idempotency key.',
    resource: 'delivery',
  },
} as const satisfies Record<string, AuditEventDefinition>;
export type NotificationsAuditEventType = keyof typeof NOTIFICATIONS_AUDIT_EVENTS;

export const AUDIT_EVENTS = {
  ...IDENTITY_AUDIT_EVENTS,
  ...RELATIONSHIPS_AUDIT_EVENTS,
  ...NOTIFICATIONS_AUDIT_EVENTS,
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
  source: z.enum(['identity', 'relationships', 'notifications']),
});
export type AuditEvent = z.infer<typeof AuditEventSchema>;
