import { PageQuerySchema } from '@app/platform';
import { Locale, Role, Uuid } from '@app/contracts';
import { z } from 'zod';
import type { UserView } from '../../users/dto/user.dto';

/** A link of Partner Center's `links` (`{ uri, method, headers }`). */
const LinkSchema = z.object({
  uri: z.string(),
  method: z.string(),
  headers: z.array(z.object({ key: z.string(), value: z.string() })).optional(),
});

/**
 * Partner Center's CustomerUser (user-resources.md): `id`, `userPrincipalName` (the sign-in
 * address), `firstName`, `lastName`, `displayName`, `userDomainType` (`none`: our accounts are
 * neither synchronized nor federated, so `lastDirectorySyncTime` is never given), `state`
 * (`active`, or `inactive` once deleted) and `softDeletionTime` (when it was deleted: the start of
 * its restoration window), `links.self`, `attributes.objectType` `CustomerUser`. Ours beside them,
 * as on `/v1/users`: `email` (the same as `userPrincipalName`), `locale`, `passwordTemporary`,
 * `roles` (each one a directory role: `…/users/{id}/directoryroles`), `disabled` and `status`
 * (`active`, `password_change_required`, `disabled`), `createdAt`, and `delegation` (the grant a
 * partner created the user through: shown to that partner only).
 */
export const CustomerUserSchema = z.object({
  id: z.string(),
  userPrincipalName: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  displayName: z.string(),
  userDomainType: z.literal('none'),
  state: z.enum(['active', 'inactive']),
  softDeletionTime: z.string().optional(),
  email: z.string(),
  locale: Locale,
  passwordTemporary: z.boolean(),
  roles: z.array(Role),
  disabled: z.boolean(),
  status: z.enum(['active', 'password_change_required', 'disabled']),
  createdAt: z.string(),
  delegation: z
    .object({
      kind: z.enum(['admin_access', 'delegated_admin', 'gdap']),
      partnerTenantId: z.string(),
      grantId: z.string(),
    })
    .nullable(),
  links: z.object({ self: LinkSchema }),
  attributes: z.object({ objectType: z.literal('CustomerUser') }),
});
export type CustomerUser = z.infer<typeof CustomerUserSchema>;

/** A customer user and the temporary password just set for it (shown this once). */
export const CustomerUserWithPasswordSchema = z.object({
  user: CustomerUserSchema,
  temporaryPassword: z.string(),
});

/**
 * The CustomerUser of a user view (`UsersService` answers), given the customer and the soft
 * deletion time (null: not deleted).
 */
export function toCustomerUser(
  view: UserView,
  customerTenantId: string,
  softDeletedAt: Date | null = null,
): CustomerUser {
  return {
    id: view.id,
    userPrincipalName: view.userPrincipalName,
    firstName: view.firstName,
    lastName: view.lastName,
    displayName: `${view.firstName} ${view.lastName}`,
    userDomainType: 'none',
    state: softDeletedAt ? 'inactive' : 'active',
    ...(softDeletedAt ? { softDeletionTime: softDeletedAt.toISOString() } : {}),
    email: view.email,
    locale: view.locale,
    passwordTemporary: view.passwordTemporary,
    roles: view.roles,
    disabled: view.disabled,
    // A deleted user is disabled while it waits for restoration or purge.
    status: view.status,
    createdAt: view.createdAt,
    delegation: view.delegation,
    links: {
      self: {
        uri: `/v1/customers/${customerTenantId}/users/${view.id}`,
        method: 'GET',
        headers: [],
      },
    },
    attributes: { objectType: 'CustomerUser' },
  };
}

/**
 * `GET /v1/customers/{id}/users?size&seek&filter`: `filter` is Partner Center's URL-encoded JSON
 * `{"Field":"UserState","Value":"Inactive","Operator":"equals"}` (`customer-user-filter.ts`).
 */
export const CustomerUserListQuerySchema = PageQuerySchema.extend({
  filter: z.string().max(1000).optional(),
});
export type CustomerUserListQuery = z.infer<typeof CustomerUserListQuerySchema>;

/**
 * `PATCH /v1/customers/{id}/users/{userId}`: Partner Center's "restore a user"
 * (`{"State":"active","Attributes":{"ObjectType":"CustomerUser"}}`). Only `state: active` is a
 * change this route makes (case-insensitive, as Partner Center reads enums).
 */
export const RestoreCustomerUserSchema = z.strictObject({
  state: z
    .string()
    .max(20)
    .transform((v) => v.toLowerCase())
    .pipe(z.literal('active')),
  attributes: z.object({ objectType: z.string().max(100).optional() }).optional(),
});

/** Partner Center's DirectoryRole: `{ id (the Entra role template id), name, attributes }`. */
export const DirectoryRoleSchema = z.object({
  id: z.string(),
  name: z.string(),
  attributes: z.object({ objectType: z.literal('DirectoryRole') }),
});
export type DirectoryRole = z.infer<typeof DirectoryRoleSchema>;

/** Partner Center's UserMember of a directory role. */
export const UserMemberSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  userPrincipalName: z.string(),
  roleId: z.string(),
  attributes: z.object({ objectType: z.literal('UserMember') }),
});
export type UserMember = z.infer<typeof UserMemberSchema>;

/**
 * `POST …/directoryroles/{roleId}/usermembers`: Partner Center's UserMember; `id` names the user,
 * the other fields are informative (the user's own are answered).
 */
export const AddUserMemberSchema = z.strictObject({
  id: Uuid,
  displayName: z.string().max(500).optional(),
  userPrincipalName: z.string().max(500).optional(),
  roleId: z.string().max(100).optional(),
  attributes: z.object({ objectType: z.string().max(100).optional() }).optional(),
});
export type AddUserMemberInput = z.infer<typeof AddUserMemberSchema>;

/** A directory role id in a path: a template id (uuid, any case). */
export const DirectoryRoleId = z.string().regex(/^[0-9a-fA-F-]{36}$/, 'must be a role id');
