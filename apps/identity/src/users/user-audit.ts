import type { Locale, Role } from '@app/contracts';
import type { Delegation, DelegationKind } from './delegation';
import type { User } from './user.entity';

/** A user as its audit events show it (never its password or hash). */
export interface UserAuditView {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  roles: Role[];
  locale: Locale;
  disabled: boolean;
  passwordTemporary: boolean;
  emailVerified: boolean;
  delegation: { kind: DelegationKind; partnerTenantId: string; grantId: string } | null;
}

/** The state of `user` an audit event records (`before` / `after`). */
export function userAuditView(user: User): UserAuditView {
  return {
    id: user.id,
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    roles: [...user.roles],
    locale: user.locale,
    disabled: user.disabled,
    passwordTemporary: user.passwordTemporary,
    emailVerified: user.emailVerifiedAt !== null,
    delegation:
      user.delegationKind && user.delegatedByTenantId && user.delegationGrantId
        ? {
            kind: user.delegationKind,
            partnerTenantId: user.delegatedByTenantId,
            grantId: user.delegationGrantId,
          }
        : null,
  };
}

/**
 * Whose trails a change of a user of `tenantId` joins: the organisation's, and, for a change made
 * through `delegation` (a provider's administrator access, a partner's delegated admin
 * privileges), the acting partner's, which then acts on behalf of `tenantId`.
 */
export function userChangeAudience(
  tenantId: string,
  delegation: Delegation | undefined,
): { tenantIds: string[]; onBehalfOfTenantId: string | null } {
  return delegation
    ? { tenantIds: [tenantId, delegation.byTenantId], onBehalfOfTenantId: tenantId }
    : { tenantIds: [tenantId], onBehalfOfTenantId: null };
}

/**
 * The event type of a role change from `before` to `after`: `user.role_granted` (only added),
 * `user.role_revoked` (only taken away), `user.roles_changed` (both), or null when the roles are
 * the same (nothing changed: no event).
 */
export function roleChangeType(
  before: readonly Role[],
  after: readonly Role[],
): 'user.role_granted' | 'user.role_revoked' | 'user.roles_changed' | null {
  const granted = after.some((role) => !before.includes(role));
  const revoked = before.some((role) => !after.includes(role));
  if (granted && revoked) return 'user.roles_changed';
  if (granted) return 'user.role_granted';
  if (revoked) return 'user.role_revoked';
  return null;
}
