import { z } from 'zod';

/**
 * Vocabulary of the Cloud Solution Provider two-tier channel shared by every service
 * (DESIGN.md "Domain"). Values are stable wire values: never rename without a data migration.
 */

/** An organisation: a partner (CSP partner), a customer, or the platform operator's own tenant. */
export const TENANT_KINDS = ['partner', 'customer', 'platform'] as const;
export const TenantKind = z.enum(TENANT_KINDS);
export type TenantKind = z.infer<typeof TenantKind>;

/** Partner type chosen at enrollment (seed 004 "Enroll as an indirect reseller"). */
export const PARTNER_TYPES = ['direct', 'indirect_provider', 'indirect_reseller'] as const;
export const PartnerType = z.enum(PARTNER_TYPES);
export type PartnerType = z.infer<typeof PartnerType>;

/**
 * The cloud a tenant lives in. `us-gov` is Microsoft Cloud for US Government, `germany` is
 * Microsoft Cloud Germany (seed 001: partners there must request delegated admin privileges).
 */
export const CLOUDS = ['public', 'us-gov', 'germany'] as const;
export const Cloud = z.enum(CLOUDS);
export type Cloud = z.infer<typeof Cloud>;

/** Email and page locales. English is the fallback for any missing translation. */
export const LOCALES = ['en', 'ja'] as const;
export const Locale = z.enum(LOCALES);
export type Locale = z.infer<typeof Locale>;
export const DEFAULT_LOCALE: Locale = 'en';

/**
 * Partner enrollment status (seed 004): `pending_verification` until the primary contact follows
 * the emailed link, then `in_review` until an operator decides, then `active` or `rejected`.
 * Only `active` partners transact.
 */
export const ENROLLMENT_STATUSES = [
  'pending_verification',
  'in_review',
  'active',
  'rejected',
] as const;
export const EnrollmentStatus = z.enum(ENROLLMENT_STATUSES);
export type EnrollmentStatus = z.infer<typeof EnrollmentStatus>;

/** Partner roles (seed 004 "Assign user permissions"; DESIGN.md "Roles"). */
export const PARTNER_ROLES = [
  'GlobalAdmin',
  'UserManagementAdmin',
  'AdminAgent',
  'SalesAgent',
  'HelpdeskAgent',
  'BillingAdmin',
] as const;
/** Customer roles (DESIGN.md "Roles"). */
export const CUSTOMER_ROLES = ['GlobalAdmin', 'UserManagementAdmin', 'BillingAdmin'] as const;
/** The platform operator's role (reviews enrollments); configured at deployment, never a partner role. */
export const PLATFORM_ROLES = ['Operator'] as const;

export const ROLES = [...PARTNER_ROLES, 'Operator'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** The roles a tenant of the given kind may hold. */
export function rolesForKind(kind: TenantKind): readonly Role[] {
  switch (kind) {
    case 'partner':
      return PARTNER_ROLES;
    case 'customer':
      return CUSTOMER_ROLES;
    case 'platform':
      return PLATFORM_ROLES;
  }
}

/** ISO 3166-1 alpha-2 country code, upper case (`US`, `DE`, `JP`). */
export const CountryCode = z
  .string()
  .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code in upper case, e.g. "US"');

/** A Partner ID (MPN ID): 6 to 10 digits. */
export const MpnId = z
  .string()
  .regex(/^\d{6,10}$/, 'must be a Partner ID (MPN ID) of 6 to 10 digits');

/** Single-line human text: no control characters (so it can never break an email header). */
export const SingleLine = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    // eslint-disable-next-line no-control-regex
    .regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters or line breaks');

export const Email = z.string().trim().toLowerCase().max(254).pipe(z.email());

export const Uuid = z.uuid();
