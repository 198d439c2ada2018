import { collectionSchema } from '@app/platform';
import { z } from 'zod';
import { Uuid } from '@app/contracts';

/**
 * Bodies and answers of `/v1/security-groups` (issue 10 part 2): Graph-like group shapes
 * (`{ id, displayName, description, members }`). Inputs are strict: unknown fields are 400.
 */

/** `POST /v1/security-groups` body. */
export const CreateSecurityGroupSchema = z.strictObject({
  displayName: z.string().trim().min(1).max(120),
  description: z.string().trim().max(1024).optional(),
});
export type CreateSecurityGroupInput = z.infer<typeof CreateSecurityGroupSchema>;

/** `POST /v1/security-groups/{id}/members` body: one user of the caller's organisation. */
export const AddMemberSchema = z.strictObject({ userId: Uuid });
export type AddMemberInput = z.infer<typeof AddMemberSchema>;

export const GroupIdParamSchema = z.strictObject({ id: Uuid });
export const MemberParamSchema = z.strictObject({ id: Uuid, userId: Uuid });

/** A member as answered. */
export const SecurityGroupMemberSchema = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
});

/** A group as answered (Graph-like). */
export const SecurityGroupSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  description: z.string().nullable(),
  securityEnabled: z.literal(true),
  createdDateTime: z.string(),
  members: z.array(SecurityGroupMemberSchema),
});
export type SecurityGroupView = z.infer<typeof SecurityGroupSchema>;

/** A page of groups in Partner Center's collection shape (`members` omitted: read one group). */
export const SecurityGroupCollectionSchema = collectionSchema(
  SecurityGroupSchema.omit({ members: true }),
);
