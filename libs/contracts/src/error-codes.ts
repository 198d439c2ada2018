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
  // --- identity: customer users, directory roles
  // --- notifications, webhooks, activity log
} as const satisfies Record<string, number>;

/** A stable error name (`customer.not_found`). */
export type ErrorName = keyof typeof ERROR_CODES;
