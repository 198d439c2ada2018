import { z } from 'zod';
import { ASSIGNMENT_STATUSES } from '../access-assignment.entity';

/**
 * Bodies and answers of `…/delegatedAdminRelationships/{id}/accessAssignments` and
 * `…/{id}/operations` in Microsoft Graph's shape (../shared/reference/partner-center-api.md §12.3,
 * §12.4). Inputs are strict: unknown fields are refused with 400.
 */

const UnifiedRoles = z
  .array(z.strictObject({ roleDefinitionId: z.uuid() }))
  .min(1)
  .max(20)
  .refine((roles) => new Set(roles.map((r) => r.roleDefinitionId)).size === roles.length, {
    message: 'must not name a role twice',
  });

const AccessDetails = z.strictObject({ unifiedRoles: UnifiedRoles });

/** `POST …/accessAssignments` body (Graph: one security group per call). */
export const CreateAssignmentSchema = z.strictObject({
  accessContainer: z.strictObject({
    accessContainerId: z.uuid(),
    accessContainerType: z.literal('securityGroup'),
  }),
  accessDetails: AccessDetails,
});
export type CreateAssignmentDto = z.infer<typeof CreateAssignmentSchema>;

/** `PATCH …/accessAssignments/{id}` body: the new roles. */
export const UpdateAssignmentSchema = z.strictObject({ accessDetails: AccessDetails });
export type UpdateAssignmentDto = z.infer<typeof UpdateAssignmentSchema>;

const FILTER = new RegExp(`^status eq '(${ASSIGNMENT_STATUSES.join('|')})'$`);

/**
 * List query: `$top` 1..300 (default 100), `$filter=status eq '<status>'`, `$skipToken` (from
 * `@odata.nextLink`); oldest first. Other options and parameters are refused with 400.
 */
export const ListAssignmentsQuerySchema = z.strictObject({
  $top: z.coerce.number().int().min(1).max(300).optional(),
  $filter: z
    .string()
    .regex(FILTER, "only status eq '<status>' is supported")
    .transform((f) => FILTER.exec(f)![1] as (typeof ASSIGNMENT_STATUSES)[number])
    .optional(),
  $skipToken: z
    .string()
    .regex(/^[0-9]{1,9}$/)
    .transform(Number)
    .optional(),
});
export type ListAssignmentsQuery = z.infer<typeof ListAssignmentsQuerySchema>;

export const AssignmentIdParamSchema = z.strictObject({ id: z.uuid(), assignmentId: z.uuid() });
export const OperationIdParamSchema = z.strictObject({ id: z.uuid(), operationId: z.uuid() });

/** One access assignment as answered (Graph `delegatedAdminAccessAssignment`). */
export const AssignmentSchema = z.object({
  '@odata.etag': z.string(),
  id: z.string(),
  status: z.enum(ASSIGNMENT_STATUSES),
  createdDateTime: z.string(),
  lastModifiedDateTime: z.string(),
  accessContainer: z.object({
    accessContainerId: z.string(),
    accessContainerType: z.literal('securityGroup'),
  }),
  accessDetails: z.object({ unifiedRoles: z.array(z.object({ roleDefinitionId: z.string() })) }),
});
export type AssignmentResponse = z.infer<typeof AssignmentSchema>;

export const AssignmentListSchema = z.object({
  '@odata.context': z.string(),
  value: z.array(AssignmentSchema),
  '@odata.nextLink': z.string().optional(),
});
export type AssignmentList = z.infer<typeof AssignmentListSchema>;

/** One operation as answered (Graph `delegatedAdminRelationshipOperation`). */
export const OperationSchema = z.object({
  id: z.string(),
  operationType: z.literal('delegatedAdminAccessAssignmentUpdate'),
  data: z.string(),
  status: z.enum(['notStarted', 'running', 'succeeded', 'failed']),
  createdDateTime: z.string(),
  lastModifiedDateTime: z.string(),
});
export type OperationResponse = z.infer<typeof OperationSchema>;

export const OperationListSchema = z.object({
  '@odata.context': z.string(),
  value: z.array(OperationSchema),
});
export type OperationList = z.infer<typeof OperationListSchema>;
