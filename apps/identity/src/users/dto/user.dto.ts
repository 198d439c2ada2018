import { Email, Locale, Role, SingleLine } from '@app/contracts';
import { z } from 'zod';
import type { DelegationKind } from '../delegation';
import { User } from '../user.entity';
import { Timestamp, collectionSchema, objectAttributes } from '@app/platform';

/**
 * The first Global admin of a new organisation (partner enrollment, customer sign-up): chooses
 * their own password, checked against the password policy by the service.
 */
export const FirstGlobalAdminSchema = z.strictObject({
  firstName: SingleLine(100),
  lastName: SingleLine(100),
  email: Email,
  password: z.string().min(1).max(1000),
});

/**
 * `POST /v1/users` (and `/v1/organizations/{tenantId}/users`, `/v1/customers/{customerTenantId}/users`):
 * name, unique email, roles of the organisation's kind, optional locale (default: the
 * organisation's).
 */
export const CreateUserSchema = z.strictObject({
  firstName: SingleLine(100),
  lastName: SingleLine(100),
  email: Email,
  roles: z.array(z.string().max(64)).max(10),
  locale: Locale.optional(),
});
export type CreateUserInput = z.infer<typeof CreateUserSchema>;

/** `PATCH /v1/users/{id}`. */
export const UpdateUserRolesSchema = z.strictObject({ roles: z.array(z.string().max(64)).max(10) });

/**
 * A user's status: `disabled` (cannot sign in), `password_change_required` (holds a temporary
 * password: added or reset, not signed in and changed yet), else `active`.
 */
export type UserStatus = 'active' | 'password_change_required' | 'disabled';

/** A user as the API shows it (never the password hash). */
export const UserViewSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  userPrincipalName: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  roles: z.array(Role),
  locale: Locale,
  passwordTemporary: z.boolean(),
  disabled: z.boolean(),
  status: z.enum(['active', 'password_change_required', 'disabled']),
  createdAt: Timestamp,
  delegation: z
    .object({
      kind: z.enum(['admin_access', 'delegated_admin', 'gdap'] satisfies DelegationKind[]),
      partnerTenantId: z.uuid(),
      grantId: z.uuid(),
    })
    .nullable(),
  attributes: objectAttributes('User'),
});
export type UserView = z.infer<typeof UserViewSchema>;

/** A page of users. */
export const UserCollectionSchema = collectionSchema(UserViewSchema);

/** A new user or a reset password: the user and its one-time temporary password. */
export const UserWithTemporaryPasswordSchema = z.object({
  user: UserViewSchema,
  temporaryPassword: z.string(),
});

/**
 * The API view of `user`. `viewerTenantId`: the partner looking at another organisation's users
 * through a delegation; it sees the delegation of the users it added only.
 */
export function toUserView(user: User, viewerTenantId?: string): UserView {
  return {
    id: user.id,
    email: user.email,
    userPrincipalName: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    roles: user.roles,
    locale: user.locale,
    passwordTemporary: user.passwordTemporary,
    disabled: user.disabled,
    status: user.disabled
      ? 'disabled'
      : user.passwordTemporary
        ? 'password_change_required'
        : 'active',
    createdAt: user.createdAt.toISOString(),
    delegation:
      user.delegationKind &&
      user.delegatedByTenantId &&
      user.delegationGrantId &&
      (viewerTenantId === undefined || viewerTenantId === user.delegatedByTenantId)
        ? {
            kind: user.delegationKind,
            partnerTenantId: user.delegatedByTenantId,
            grantId: user.delegationGrantId,
          }
        : null,
    attributes: { objectType: 'User' },
  };
}
