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
  // --- gateway (apps/gateway: the one base URL)
  'gateway.service_unavailable': 940001,
} as const satisfies Record<string, number>;

/** A stable error name (`customer.not_found`). */
export type ErrorName = keyof typeof ERROR_CODES;
