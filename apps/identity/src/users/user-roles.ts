import { Role, TenantKind, rolesForKind } from '@app/contracts';
import { DomainError } from '@app/platform';

/**
 * The roles requested for a user of a tenant of `kind`, de-duplicated in the contract order (none
 * allowed for a customer's user: a user without an administrator role).
 * @throws 400 `user.invalid_role` when a role is unknown or not valid for the tenant kind
 * (DESIGN.md "Roles": customers have no agent roles; the Operator role is the platform's own).
 */
export function validateRoles(kind: TenantKind, requested: readonly string[]): Role[] {
  const allowed = rolesForKind(kind);
  const invalid = requested.filter((r) => !allowed.includes(r as Role));
  if (invalid.length > 0) {
    throw new DomainError(
      'user.invalid_role',
      400,
      `Not a role of a ${kind} organisation: ${invalid.join(', ')}. Valid roles: ${allowed.join(', ')}.`,
      { invalid, allowed },
    );
  }
  // A customer's user may hold no administrator role (Partner Center: most users of a customer's
  // directory hold no directory role); a partner's user needs one.
  if (requested.length === 0 && kind !== 'customer') {
    throw new DomainError('user.invalid_role', 400, 'A user needs at least one role.', { allowed });
  }
  return allowed.filter((r) => requested.includes(r));
}

/**
 * An organisation always keeps an enabled Global admin: demoting, disabling or removing the last
 * one is refused. `nextRoles` is `null` when the user is being disabled or removed.
 * @throws 409 `user.last_global_admin`.
 */
export function assertKeepsGlobalAdmin(
  currentRoles: readonly Role[],
  nextRoles: readonly Role[] | null,
  otherEnabledGlobalAdmins: number,
): void {
  const losesGlobalAdmin =
    currentRoles.includes('GlobalAdmin') && !(nextRoles ?? []).includes('GlobalAdmin');
  if (losesGlobalAdmin && otherEnabledGlobalAdmins === 0) {
    throw new DomainError(
      'user.last_global_admin',
      409,
      'This is the last Global admin of the organisation: it can be neither demoted, disabled nor removed. Assign another Global admin first.',
    );
  }
}
