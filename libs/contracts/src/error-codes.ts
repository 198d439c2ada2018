/**
 * The numeric error codes of the API (`code` in `{ code, description, data, source }`), one per
 * stable error name raised in code (`new DomainError('customer.not_found', 404, …)`). Partner
 * Center's own numbers where its documentation gives one for the same case (Partner Center REST
 * error codes; ../shared/reference/partner-center-api.md §3), ours in our own range otherwise; the
 * README's error-code table lists them all.
 *
 * Every error name raised anywhere must have an entry (a unit test reads the sources). Each section
 * below is kept by the work that raises its names; add new names to the section of your feature.
 * Our own numbers are 900500 and up (Partner Center's 900118, 900123, 900124, 900147, 900150 and
 * 900309 sit below); two names share a number only where they are the same case (listed in
 * {@link SHARED_ERROR_CODES}).
 */
export const ERROR_CODES = {
  // --- request, auth, platform (every service)
  /** Partner Center 3000 "Invalid property": a body, query or path parameter fails its schema. */
  'request.invalid': 3000,
  'request.invalid_cursor': 900500,
  'request.conflict': 900501,
  'request.id_reused': 900502,
  'request.malformed': 900503,
  'request.rejected': 900504,
  'request.too_large': 900505,
  'request.uri_too_long': 900506,
  'request.unsupported_media_type': 900507,
  'request.headers_too_large': 900508,
  'request.timeout': 900509,
  'request.throttled': 900510,
  'request.precondition_required': 900511,
  /** Partner Center 2055 "Etag is no longer valid" (answered 412, as the issue asks). */
  'request.etag_mismatch': 2055,
  /** Partner Center 1000 "Not found": no route at this path. */
  'route.not_found': 1000,
  'route.method_not_allowed': 900512,
  'dependency.unavailable': 900513,
  'dependency.invalid_response': 900514,
  'service.busy': 900515,
  'message.invalid': 900516,
  internal: 900517,
  /** Partner Center 400 "Access denied" (HTTP 401). */
  'auth.unauthenticated': 400,
  /** Partner Center 900150 "The supplied role does not have the rights to perform the requested operation". */
  'auth.forbidden': 900150,
  'auth.invalid_credentials': 900550,
  'auth.invalid_refresh_token': 900551,
  'auth.refresh_token_reused': 900552,
  'auth.email_unverified': 900553,
  'auth.organization_required': 900554,
  'auth.password_change_required': 900555,
  'auth.locked': 900556,
  'request.in_progress': 910001,
  // --- identity
  /** Partner Center 60003 "Tenant not found". */
  'tenant.not_found': 60003,
  /** The same case as `tenant.not_found` (an organisation is a tenant): 60003. */
  'organization.not_found': 60003,
  'enrollment.not_found': 900600,
  'enrollment.invalid_state': 900601,
  'enrollment.mpn_id_taken': 900602,
  'enrollment.token_expired': 900603,
  'enrollment.token_not_found': 900604,
  'enrollment.token_used': 900605,
  'enrollment.webmail_primary_contact': 900606,
  'link.expired': 900610,
  'link.not_found': 900611,
  'link.used': 900612,
  'partner.not_active': 900613,
  'partner_profile.already_indirect_reseller': 900620,
  'partner_profile.indirect_provider': 900621,
  'partner_profile.not_found': 900622,
  'partner_profile.operator_reserved': 900623,
  'admin_access.not_found': 900630,
  'delegated_admin.not_found': 900631,
  // --- relationships: customers, profiles, domains, agreements, relationship requests
  /** Partner Center 900118 "Invalid Customer ID" (answered 404: no customer of yours has it). */
  'customer.not_found': 900118,
  'customer.domain_taken': 900700,
  'customer.active_subscriptions': 900701,
  'customer.indirect_reseller_not_allowed': 900702,
  /** A customer accepting a relationship must accept the Customer Agreement with it (ours). */
  'customer_agreement.required': 900703,
  'invitation.already_accepted': 900710,
  'invitation.email_limit': 900711,
  'invitation.expired': 900712,
  'invitation.not_found': 900713,
  'invitation.revoked': 900714,
  'invitation.wrong_organization': 900715,
  'partnership.authorization_required': 900720,
  'partnership.cloud_mismatch': 900721,
  'partnership.confirmation_required': 900722,
  'partnership.exists': 900723,
  'partnership.not_found': 900724,
  'partnership.provider_not_active': 900725,
  'partnership.provider_only': 900726,
  'partnership.region_mismatch': 900727,
  'partnership.required': 900728,
  'partnership.reseller_only': 900729,
  'relationship.type_invalid': 900730,
  'relationship_request.cloud_mismatch': 900731,
  'relationship_request.customer_only': 900732,
  'relationship_request.delegated_admin_required': 900733,
  'relationship_request.joint_not_allowed': 900734,
  'relationship_request.partner_not_active': 900735,
  /** Partner Center 2030 "Partner isn't onboarded to sell in country/region". */
  'relationship_request.region_mismatch': 2030,
  // --- relationships: subscriptions, support contact
  /** Partner Center 20003 "Subscription with ID {0} not found". */
  'subscription.not_found': 20003,
  /** Partner Center 800016 "PartnerID isn't a valid Indirect Reseller". */
  'subscription.invalid_associated_reseller': 800016,
  'subscription.invalid_quantity': 900800,
  'subscription.invalid_support_contact': 900801,
  'subscription.unknown_offer': 900802,
  // --- identity: customer users, directory roles
  /** Partner Center 60002 "User object ID isn't found". */
  'user.not_found': 60002,
  'user.email_taken': 900850,
  'user.invalid_role': 900851,
  'user.last_global_admin': 900852,
  'user.own_account': 900853,
  'user.password_unchanged': 900854,
  'user.role_not_grantable': 900855,
  'user.weak_password': 900856,
  // --- notifications, webhooks, activity log
  'activity_log.invalid_date_range': 900900,
  'activity_log.invalid_filter': 900901,
  'activity_log.start_date_out_of_range': 900902,
  'delivery.not_found': 900910,
  'delivery.not_replayable': 900911,
  'webhook_delivery.not_found': 900912,
  'webhook_delivery.not_replayable': 900913,
  'webhook_endpoint.disabled': 900914,
  'webhook_endpoint.https_required': 900915,
  'webhook_endpoint.invalid_url': 900916,
  'webhook_endpoint.limit_reached': 900917,
  'webhook_endpoint.not_found': 900918,
  'webhook_endpoint.private_address': 900919,
  'email.data_invalid': 900920,
  'email.link_invalid': 900921,
  'email.link_required': 900922,
  'customer.domain_invalid': 910002,
  'domain.not_found': 910003,
  // (issue 11, agreements work: customer filters, the Customer Agreement, the partner-wide
  // relationship request; Partner Center's numbers where it documents the case, else 920000–929999)
  'customer.filter_invalid': 920001,
  /**
   * Partner Center 13605 "Partner confirmation of customer acceptance of Microsoft Customer
   * Agreement required before purchase".
   */
  'customer_agreement.confirmation_required': 13605,
  'customer_agreement.type_invalid': 920002,
  'customer_agreement.template_unknown': 920003,
  'customer_agreement.version_unknown': 920004,
  'relationship_request.link_invalid': 920005,
  'agreement_status.query_invalid': 2000,
  'agreement_status.query_missing': 2001,
  'agreement_status.mpn_id_not_found': 2200,
  'agreement_status.tenant_not_found': 2205,
  'customer_user.invalid_filter': 930010,
  'directory_role.not_found': 930011,
  'directory_role.member_exists': 930012,
  'directory_role.member_not_found': 930013,
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
  // --- identity: the portal's cookie session (issue 12)
  'auth.csrf_invalid': 970000,
} as const satisfies Record<string, number>;

/** A stable error name (`customer.not_found`). */
export type ErrorName = keyof typeof ERROR_CODES;

/**
 * Names that share one number because they are the same case; every other number belongs to one
 * name (a unit test checks).
 */
export const SHARED_ERROR_CODES: readonly (readonly ErrorName[])[] = [
  ['tenant.not_found', 'organization.not_found'],
];

/** Our fallback for a name without an entry (a unit test keeps every raised name in the table). */
export const UNLISTED_ERROR_CODE = ERROR_CODES.internal;

/** The number of an error name (`customer.not_found` → 900118); unknown names map to `internal`'s. */
export function errorCodeOf(name: string): number {
  return Object.prototype.hasOwnProperty.call(ERROR_CODES, name)
    ? ERROR_CODES[name as ErrorName]
    : UNLISTED_ERROR_CODE;
}

/** The name of a number (the first, for a shared one), e.g. to re-raise another service's answer. */
export function errorNameOf(code: number): ErrorName | undefined {
  return (Object.keys(ERROR_CODES) as ErrorName[]).find((name) => ERROR_CODES[name] === code);
}
