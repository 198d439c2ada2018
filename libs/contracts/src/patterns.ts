import { z } from 'zod';
import { Cloud, CountryCode, Email, Locale, SingleLine, Uuid } from './domain';
import { AddressSchema, TenantSnapshotSchema } from './tenants';

/**
 * Request/response message patterns (`@nestjs/microservices` over Redis). Every call has a
 * timeout (a timeout answers 503 `dependency.unavailable`), every payload is validated on receipt,
 * and every handler that writes is idempotent by the `requestId` in its payload.
 */
export const PATTERNS = {
  /** identity: tenant snapshots by id. Read-only. */
  getTenants: 'identity.tenants.get',
  /**
   * identity: whether an organisation holds a user with a given sign-in email (relationships binds
   * an invitation to the organisation its invitee belongs to). Read-only.
   */
  organizationHasUser: 'identity.organizations.has-user',
  /**
   * identity: every address an organisation holds in the sense of `organizationHasUser` (its
   * enabled users who proved their sign-in address): relationships lists the partnership requests
   * an organisation received. Read-only.
   */
  organizationAddresses: 'identity.organizations.addresses',
  /**
   * identity: the Global admins of an organisation, to email (relationships tells them that a
   * webhook endpoint was disabled, issue 14). Read-only.
   */
  organizationAdmins: 'identity.organizations.admins',
  /** identity: create a customer tenant with its first Global admin (seed 002 "Add new customers"). */
  createCustomerTenant: 'identity.customer-tenants.create',
  /**
   * notifications: what the worker recorded for these idempotency keys (the outbox relay's
   * delivery confirmation: a relayed row is settled once its delivery is). Read-only.
   */
  deliveryStatus: 'notifications.deliveries.status',
  /**
   * relationships: whether a partner holds an active reseller relationship with delegated admin
   * privileges for a customer (seeds 001/002: only then may its Admin agents manage the customer's
   * users). Read-only.
   */
  delegatedAdminStatus: 'relationships.delegated-admin.status',
  /**
   * identity: whether a security group belongs to a partner (issue 10 part 2: relationships checks
   * the access container of an access assignment before it writes one). Read-only.
   */
  securityGroupGet: 'identity.security-groups.get',
  /**
   * relationships: the GDAP roles a partner user holds in a customer's organisation now (issue 10
   * part 2: identity asks on every delegated call). Read-only.
   */
  gdapAccess: 'relationships.gdap.access',
} as const;
export type Pattern = (typeof PATTERNS)[keyof typeof PATTERNS];

export const GetTenantsRequestSchema = z.object({ tenantIds: z.array(Uuid).min(1).max(100) });
export const GetTenantsResponseSchema = z.object({ tenants: z.array(TenantSnapshotSchema) });

/** Does `tenantId` hold a user whose sign-in email is `email`? */
export const OrganizationHasUserRequestSchema = z.object({ tenantId: Uuid, email: Email });
/**
 * `member`: an enabled user of the tenant signs in with that email (never says anything about other
 * tenants).
 */
export const OrganizationHasUserResponseSchema = z.object({ member: z.boolean() });

/** The addresses `tenantId` holds (see `OrganizationAddressesResponseSchema`). */
export const OrganizationAddressesRequestSchema = z.object({ tenantId: Uuid });
/**
 * `emails`: the sign-in addresses (lower case, each once) of the enabled users of the tenant who
 * proved them: exactly the addresses for which `organizationHasUser` answers `member: true`. Empty
 * for an unknown tenant; never says anything about other tenants.
 */
export const OrganizationAddressesResponseSchema = z.object({ emails: z.array(z.string()) });

/** The Global admins of `tenantId`. */
export const OrganizationAdminsRequestSchema = z.object({
  tenantId: Uuid,
  /**
   * Which role's holders: `GlobalAdmin` (default) or `AdminAgent` (issue 10: a partner's Admin
   * agents hear of the customer's approval or rejection of a delegated admin relationship).
   */
  role: z.enum(['GlobalAdmin', 'AdminAgent']).default('GlobalAdmin'),
});
/**
 * The enabled holders of the asked role (Global admins by default) of the tenant who proved their address, with their locale (at most
 * 50, oldest first); empty for an unknown tenant.
 */
export const OrganizationAdminsResponseSchema = z.object({
  admins: z.array(z.object({ email: Email, firstName: z.string(), locale: Locale })).max(50),
});

/**
 * Create a customer tenant and its first Global admin. The caller chooses the temporary password
 * (it shows it once to the partner); identity stores only its argon2id hash and marks it temporary.
 * Errors: `customer.domain_taken` (409), `customer.domain_invalid` (400), `request.invalid` (400).
 */
export const CreateCustomerTenantRequestSchema = z.object({
  requestId: Uuid,
  companyName: SingleLine(200),
  domainPrefix: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/, 'lower-case letters, digits and hyphens'),
  /**
   * The rest of the default domain when the partner sent it whole (`onmicrosoft.example`): identity
   * refuses one that is not its `CUSTOMER_DOMAIN_SUFFIX` (400 `customer.domain_invalid`).
   */
  domainSuffix: z.string().optional(),
  country: CountryCode,
  cloud: Cloud,
  locale: Locale,
  address: AddressSchema,
  admin: z.object({
    firstName: SingleLine(100),
    lastName: SingleLine(100),
    email: Email,
    temporaryPassword: z.string().min(12).max(200),
  }),
  createdByTenantId: Uuid,
});
export const CreateCustomerTenantResponseSchema = z.object({
  tenant: TenantSnapshotSchema,
  admin: z.object({ userId: Uuid, userPrincipalName: z.string() }),
});

/**
 * Ask for the recorded deliveries of up to 1000 idempotency keys. The relay asks about an
 * `email.send` row by its idempotency key (the row id) and about an `email.cancel` row by the key
 * it cancels: the cancel row is settled once that delivery is (skipped, or sent before the cancel
 * arrived), and relayed again otherwise.
 */
export const DeliveryStatusRequestSchema = z.object({
  idempotencyKeys: z.array(z.string().min(1).max(200)).min(1).max(1000),
});
/**
 * One entry per key the worker has a record of (a key absent from the answer has none: its job was
 * never processed, or was lost with Redis). `settled` is true when nothing more will happen without
 * an operator: `sent`, `skipped`, or `failed` for good (a 5xx reply, or retries exhausted).
 * `failed` with `settled: false` is a delivery between retries.
 */
export const DeliveryStatusResponseSchema = z.object({
  deliveries: z.array(
    z.object({
      idempotencyKey: z.string(),
      status: z.enum(['sent', 'failed', 'skipped']),
      settled: z.boolean(),
    }),
  ),
});

/** Does `partnerTenantId` hold delegated admin privileges for `customerTenantId`? */
export const DelegatedAdminStatusRequestSchema = z.object({
  partnerTenantId: Uuid,
  customerTenantId: Uuid,
});
/**
 * `active`: an active reseller relationship with delegated admin privileges exists between them;
 * `relationshipId` names it and `grantId` names this grant of the privileges (a new id each time
 * they are granted again, or their relationship re-established; the `delegated-admin.ended` event
 * carries it when they end). Both absent when `active` is false.
 */
export const DelegatedAdminStatusResponseSchema = z.object({
  active: z.boolean(),
  relationshipId: Uuid.optional(),
  grantId: Uuid.optional(),
});

/** Is `groupId` a security group of the partner `tenantId`? */
export const SecurityGroupGetRequestSchema = z.object({ tenantId: Uuid, groupId: Uuid });
/** `exists` false for another organisation's group and for one that exists nowhere alike. */
export const SecurityGroupGetResponseSchema = z.object({
  exists: z.boolean(),
  displayName: z.string().optional(),
});

/**
 * The access a partner's user holds in a customer's organisation through granular delegated admin
 * relationships, given the security groups the user is an (enabled) member of.
 */
export const GdapAccessRequestSchema = z.object({
  partnerTenantId: Uuid,
  customerTenantId: Uuid,
  groupIds: z.array(Uuid).max(1000),
});
/**
 * `roles`: the Entra role template ids of the active access assignments naming one of the groups
 * on the relationships between them that are active (or expiring) and not past `endDateTime`, at
 * the time of the call; `relationshipId`: one such relationship (the one with the most roles), if
 * any. `related`: the partner has a delegated admin relationship with the customer that the
 * customer has seen (from approvalPending on, ended ones included): a partner that is not related
 * (and holds no DAP) is answered as for a customer that exists nowhere, as before GDAP.
 */
export const GdapAccessResponseSchema = z.object({
  related: z.boolean(),
  roles: z.array(z.string()),
  relationshipId: Uuid.optional(),
});

/** Pattern → request and response schemas: `send(pattern, data)` cannot mismatch. */
export const RPC_CONTRACTS = {
  [PATTERNS.getTenants]: { request: GetTenantsRequestSchema, response: GetTenantsResponseSchema },
  [PATTERNS.organizationHasUser]: {
    request: OrganizationHasUserRequestSchema,
    response: OrganizationHasUserResponseSchema,
  },
  [PATTERNS.organizationAddresses]: {
    request: OrganizationAddressesRequestSchema,
    response: OrganizationAddressesResponseSchema,
  },
  [PATTERNS.organizationAdmins]: {
    request: OrganizationAdminsRequestSchema,
    response: OrganizationAdminsResponseSchema,
  },
  [PATTERNS.createCustomerTenant]: {
    request: CreateCustomerTenantRequestSchema,
    response: CreateCustomerTenantResponseSchema,
  },
  [PATTERNS.deliveryStatus]: {
    request: DeliveryStatusRequestSchema,
    response: DeliveryStatusResponseSchema,
  },
  [PATTERNS.delegatedAdminStatus]: {
    request: DelegatedAdminStatusRequestSchema,
    response: DelegatedAdminStatusResponseSchema,
  },
  [PATTERNS.securityGroupGet]: {
    request: SecurityGroupGetRequestSchema,
    response: SecurityGroupGetResponseSchema,
  },
  [PATTERNS.gdapAccess]: {
    request: GdapAccessRequestSchema,
    response: GdapAccessResponseSchema,
  },
} as const;
export type RpcRequest<P extends Pattern> = z.input<(typeof RPC_CONTRACTS)[P]['request']>;
export type RpcResponse<P extends Pattern> = z.infer<(typeof RPC_CONTRACTS)[P]['response']>;

/**
 * What every handler answers: the result, or a domain error that the caller re-raises with the
 * same code and HTTP status. Between services the error keeps its dotted name (`code`:
 * `customer.not_found`); the API error filter of the service that answers the HTTP request turns
 * it into its number.
 */
export const RpcErrorSchema = z.object({
  code: z.string(),
  description: z.string(),
  status: z.number().int(),
  data: z.unknown().optional(),
});
export type RpcError = z.infer<typeof RpcErrorSchema>;
export type RpcEnvelope<T> = { ok: true; data: T } | { ok: false; error: RpcError };
export const RpcEnvelopeSchema = z.union([
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({ ok: z.literal(false), error: RpcErrorSchema }),
]);
