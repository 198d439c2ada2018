import { z } from 'zod';
import { AUTO_EXTEND_DURATIONS, parseGdapDuration } from '../gdap-duration';
import { GDAP_ROLE_IDS } from '../gdap-roles';
import { REQUEST_ACTIONS, RELATIONSHIP_STATUSES } from '../delegated-admin-relationship.entity';

/**
 * The bodies and answers of `/v1/tenantRelationships/delegatedAdminRelationships` in Microsoft
 * Graph's shape (../shared/reference/partner-center-api.md §12.1, §12.2). Inputs are strict:
 * unknown fields are refused with 400.
 */

const Duration = z.string().refine((text) => parseGdapDuration(text) !== null, {
  message: 'must be an ISO 8601 duration of days, weeks, months or years from P1D to P2Y',
});

const AccessDetails = z.strictObject({
  unifiedRoles: z
    .array(
      z.strictObject({
        /** A role template id; which ones are supported is checked after the customer (`GDAP_ROLES`). */
        roleDefinitionId: z.uuid(),
      }),
    )
    .min(1)
    .max(GDAP_ROLE_IDS.length)
    .refine((roles) => new Set(roles.map((r) => r.roleDefinitionId)).size === roles.length, {
      message: 'must not name a role twice',
    }),
});

const Fields = {
  displayName: z.string().trim().min(1).max(50),
  duration: Duration,
  customer: z.strictObject({ tenantId: z.uuid() }),
  accessDetails: AccessDetails,
  autoExtendDuration: z.enum(AUTO_EXTEND_DURATIONS),
};

/** `POST` body: `{ displayName, duration, customer?: { tenantId }, accessDetails, autoExtendDuration? }`. */
export const CreateRelationshipSchema = z.strictObject({
  displayName: Fields.displayName,
  duration: Fields.duration,
  customer: Fields.customer.optional(),
  accessDetails: Fields.accessDetails,
  autoExtendDuration: Fields.autoExtendDuration.optional(),
});
export type CreateRelationshipDto = z.infer<typeof CreateRelationshipSchema>;

/** `PATCH` body: a non-empty subset of the create fields. */
export const UpdateRelationshipSchema = z
  .strictObject({
    displayName: Fields.displayName.optional(),
    duration: Fields.duration.optional(),
    customer: Fields.customer.optional(),
    accessDetails: Fields.accessDetails.optional(),
    autoExtendDuration: Fields.autoExtendDuration.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'must change at least one field' });
export type UpdateRelationshipDto = z.infer<typeof UpdateRelationshipSchema>;

/** The fields `$orderby` takes. */
export const ORDERABLE = {
  displayName: 'display_name',
  status: 'status',
  createdDateTime: 'created_at',
  lastModifiedDateTime: 'updated_at',
  activatedDateTime: 'activated_at',
  endDateTime: 'end_at',
} as const;
export type OrderableField = keyof typeof ORDERABLE;

const ORDER_BY = new RegExp(`^(${Object.keys(ORDERABLE).join('|')})( (asc|desc))?$`);
const FILTER = new RegExp(`^status eq '(${RELATIONSHIP_STATUSES.join('|')})'$`);

/**
 * List query (Graph OData subset): `$top` 1..300 (default 100), `$filter=status eq '<status>'`,
 * `$orderby=<field> [asc|desc]` (default `createdDateTime desc`), `$skipToken` (from
 * `@odata.nextLink`). Other `$` options and parameters are refused with 400.
 */
export const ListRelationshipsQuerySchema = z.strictObject({
  $top: z.coerce.number().int().min(1).max(300).optional(),
  $filter: z
    .string()
    .regex(FILTER, "only status eq '<status>' is supported")
    .transform((f) => FILTER.exec(f)![1])
    .optional(),
  $orderby: z
    .string()
    .regex(ORDER_BY, `must be one of ${Object.keys(ORDERABLE).join(', ')} [asc|desc]`)
    .transform((o) => {
      const [field, direction] = o.split(' ');
      return { field: field as OrderableField, desc: direction === 'desc' };
    })
    .optional(),
  $skipToken: z
    .string()
    .regex(/^[0-9]{1,9}$/)
    .transform(Number)
    .optional(),
});
export type ListRelationshipsQuery = z.infer<typeof ListRelationshipsQuerySchema>;

export const RelationshipIdParamSchema = z.strictObject({ id: z.uuid() });
export const RequestIdParamSchema = z.strictObject({ id: z.uuid(), requestId: z.uuid() });

/** `POST …/{id}/requests` body: `{ action }`. */
export const CreateRequestSchema = z.strictObject({ action: z.enum(REQUEST_ACTIONS) });
export type CreateRequestDto = z.infer<typeof CreateRequestSchema>;

const DateTime = z.string();

/** One relationship as answered (Graph `delegatedAdminRelationship`). */
export const RelationshipSchema = z.object({
  '@odata.etag': z.string(),
  id: z.string(),
  displayName: z.string(),
  duration: z.string(),
  customer: z.object({ tenantId: z.string(), displayName: z.string() }).nullable(),
  accessDetails: z.object({
    unifiedRoles: z.array(z.object({ roleDefinitionId: z.string() })),
  }),
  status: z.enum(RELATIONSHIP_STATUSES),
  autoExtendDuration: z.string(),
  createdDateTime: DateTime,
  lastModifiedDateTime: DateTime,
  activatedDateTime: DateTime.nullable(),
  endDateTime: DateTime.nullable(),
});
export type RelationshipResponse = z.infer<typeof RelationshipSchema>;

export const RelationshipListSchema = z.object({
  '@odata.context': z.string(),
  value: z.array(RelationshipSchema),
  '@odata.nextLink': z.string().optional(),
});
export type RelationshipList = z.infer<typeof RelationshipListSchema>;

/** One request as answered (Graph `delegatedAdminRelationshipRequest`). */
export const RelationshipRequestSchema = z.object({
  id: z.string(),
  action: z.enum(REQUEST_ACTIONS),
  status: z.enum(['created', 'pending', 'succeeded', 'failed']),
  createdDateTime: DateTime,
  lastModifiedDateTime: DateTime,
});
export type RelationshipRequestResponse = z.infer<typeof RelationshipRequestSchema>;

export const RelationshipRequestListSchema = z.object({
  '@odata.context': z.string(),
  value: z.array(RelationshipRequestSchema),
});
export type RelationshipRequestList = z.infer<typeof RelationshipRequestListSchema>;
