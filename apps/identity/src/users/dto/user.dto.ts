import { Email, Locale, Role, SingleLine } from '@app/contracts';
import { z } from 'zod';
import type { DelegationKind } from '../delegation';
import { User } from '../user.entity';

/**
 * The first Global admin of a new organisation (partner enrollment, customer sign-up): chooses
 * their own password, checked against the password policy by the service.
 */
export const FirstGlobalAdminSchema = z.object({
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
export const CreateUserSchema = z.object({
  firstName: SingleLine(100),
  lastName: SingleLine(100),
  email: Email,
  roles: z.array(z.string().max(64)).max(10),
  locale: Locale.optional(),
});
export type CreateUserInput = z.infer<typeof CreateUserSchema>;

/** `PATCH /v1/users/{id}`. */
export const UpdateUserRolesSchema = z.object({ roles: z.array(z.string().max(64)).max(10) });

/**
 * A user's status: `disabled` (cannot sign in), `password_change_required` (holds a temporary
 * password: added or reset, not signed in and changed yet), else `active`.
 */
export type UserStatus = 'active' | 'password_change_required' | 'disabled';

/** A user as the API shows it (never the password hash). */
export interface UserView {
  id: string;
  email: string;
  userPrincipalName: string;
  firstName: string;
  lastName: string;
  roles: Role[];
  locale: Locale;
  passwordTemporary: boolean;
  disabled: boolean;
  status: UserStatus;
  createdAt: string;
  /**
   * The delegation the user was created through (issue 9 point 3): the partner acting in this
   * organisation, how, and the grant (the user is disabled when that grant ends). Null for a user
   * the organisation added itself; and, seen by a partner acting in the organisation through a
   * delegation, for a user another partner added (a customer's competing partners are not named to
   * each other).
   */
  delegation: { kind: DelegationKind; partnerTenantId: string; grantId: string } | null;
  attributes: { objectType: 'User' };
}

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
