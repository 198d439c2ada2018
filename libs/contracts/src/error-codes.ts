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
  'request.in_progress': 910001,
  // --- identity
  // --- relationships: customers, profiles, domains, agreements, relationship requests
  'customer.domain_invalid': 910002,
  'domain.not_found': 910003,
  // (issue 11, agreements work: customer filters, the Customer Agreement, the partner-wide
  // relationship request; Partner Center's numbers where it documents the case, else 920000–929999)
  'customer.filter_invalid': 920001,
  'customer_agreement.confirmation_required': 13605,
  'customer_agreement.type_invalid': 920002,
  'customer_agreement.template_unknown': 920003,
  'customer_agreement.version_unknown': 920004,
  'relationship_request.link_invalid': 920005,
  'agreement_status.query_invalid': 2000,
  'agreement_status.query_missing': 2001,
  'agreement_status.mpn_id_not_found': 2200,
  'agreement_status.tenant_not_found': 2205,
  // --- relationships: subscriptions, support contact
  /** Partner Center 20003 "Subscription with ID {0} not found" (also another partner's). */
  'subscription.not_found': 20003,
  /** Partner Center 800016 "PartnerID isn't a valid Indirect Reseller". */
  'subscription.invalid_associated_reseller': 800016,
  'subscription.unknown_offer': 930001,
  'subscription.invalid_quantity': 930002,
  'subscription.invalid_support_contact': 930003,
  // --- identity: customer users, directory roles
  /** Partner Center 60002 "User object ID isn't found". */
  'user.not_found': 60002,
  'customer_user.invalid_filter': 930010,
  'directory_role.not_found': 930011,
  'directory_role.member_exists': 930012,
  'directory_role.member_not_found': 930013,
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
  // --- gateway (apps/gateway: the one base URL)
  'gateway.service_unavailable': 940001,
} as const satisfies Record<string, number>;

/** A stable error name (`customer.not_found`). */
export type ErrorName = keyof typeof ERROR_CODES;
