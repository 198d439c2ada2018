/**
 * The numeric error codes of the API (`code` in `{ code, description, data, source }`), one per
 * stable error name raised in code (`new DomainError('customer.not_found', 404, …)`). Partner
 * Center's own numbers where its documentation gives one for the same case (Partner Center REST
 * error codes; ../shared/reference/partner-center-api.md §3), ours in our own range otherwise; the
 * README's error-code table lists them all.
 *
 * Every error name raised anywhere must have an entry (a unit test reads the sources). Each section
 * below is kept by the work that raises its names; add new names to the section of your feature.
 */
export const ERROR_CODES = {
  // --- request, auth, platform (every service)
  // --- identity
  // --- relationships: customers, profiles, domains, agreements, relationship requests
  // --- relationships: subscriptions, support contact
  // --- identity: customer users, directory roles
  // --- notifications, webhooks, activity log
  // --- relationships: GDAP (issue 10 part 1: delegated admin relationships and their requests)
  'gdap.relationship_not_found': 950001,
  'gdap.display_name_taken': 950002,
  'gdap.auto_extend_not_allowed': 950003,
  'gdap.customer_not_found': 950004,
  'gdap.customer_required': 950005,
  'gdap.invalid_status': 950006,
  'gdap.action_not_allowed': 950007,
  'gdap.request_not_found': 950008,
  'gdap.approval_link_invalid': 950009,
  'gdap.approval_link_expired': 950010,
  'gdap.wrong_organization': 950011,
  'gdap.field_not_updatable': 950012,
  'gdap.role_not_supported': 950013,
  // --- relationships: GDAP (issue 10 part 2: access assignments, operations, enforcement)
  'gdap.assignment_not_found': 950014,
  'gdap.assignment_exists': 950015,
  'gdap.role_not_in_relationship': 950016,
  'gdap.security_group_not_found': 950017,
  'gdap.operation_not_found': 950018,
  'gdap.access_denied': 950019,
  // --- identity: GDAP (issue 10 part 2: partner security groups)
  'security_group.not_found': 960001,
  'security_group.member_not_found': 960002,
  'security_group.partner_only': 960003,
} as const satisfies Record<string, number>;

/** A stable error name (`customer.not_found`). */
export type ErrorName = keyof typeof ERROR_CODES;
