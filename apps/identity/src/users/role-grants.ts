import { CUSTOMER_ROLES, PARTNER_ROLES, Role, TenantKind } from '@app/contracts';
import { DomainError } from '@app/platform';

/**
 * Who manages the users of an organisation:
 * - `member`: a user of that organisation, with their current roles;
 * - `delegated`: a partner acting in another organisation through a delegation: an indirect
 *   provider's Admin agent in an indirect reseller that granted administrator access (seed 004
 *   step 3 note), or a partner's Admin agent in a customer for which it holds delegated admin
 *   privileges (seeds 000/004 "manage the customer's account, services, users, and licenses").
 */
export type RoleManager =
  { kind: 'member'; roles: readonly Role[] } | { kind: 'delegated'; limitRoles?: readonly Role[] };

const without = (roles: readonly Role[], excluded: Role): Role[] =>
  roles.filter((r) => r !== excluded);

/**
 * The role-grant table: which roles each role may grant and revoke, per tenant kind.
 *
 * - Global admin manages every role of its organisation (seed 004: the Global admin sets up the
 *   account, "including adding other users").
 * - User management admin manages users and every role except Global admin: it can neither grant
 *   nor remove Global admin, nor change a user who holds it (a User management admin cannot take
 *   over the organisation). The seeds do not restrict it further (it may grant the agent and
 *   billing roles it does not hold itself).
 * - No other role manages users (DESIGN.md "Roles": manage users of own tenant = Global admin,
 *   User management admin).
 */
export const ROLE_GRANTS: Record<TenantKind, Partial<Record<Role, readonly Role[]>>> = {
  partner: {
    GlobalAdmin: PARTNER_ROLES,
    UserManagementAdmin: without(PARTNER_ROLES, 'GlobalAdmin'),
  },
  customer: {
    GlobalAdmin: CUSTOMER_ROLES,
    UserManagementAdmin: without(CUSTOMER_ROLES, 'GlobalAdmin'),
  },
  platform: {},
};

/**
 * Roles a delegated manager never grants, nor changes a holder of (issue 9 point 3): Global admin,
 * User management admin (which manages users itself) and Admin agent (which reaches every customer
 * of a reseller through its delegated admin privileges, and manages their users).
 */
export const NOT_DELEGABLE: readonly Role[] = ['GlobalAdmin', 'UserManagementAdmin', 'AdminAgent'];

/**
 * What a delegated partner may grant in the organisation it acts in: the roles that manage no
 * users and reach no other organisation (partner: Sales agent, Helpdesk agent, Billing admin;
 * customer: Billing admin), and it may not change a user holding any other role. The organisation's
 * own admins stay in control, and a grant that ends takes everything the partner minted with it: a
 * customer's Global admin alone accepts reseller relationships and revokes delegated admin
 * privileges (DESIGN.md "Roles"), a reseller's Global admin alone withdraws its provider's
 * administrator access; an account minted with a user-managing or agent role could mint more and
 * outlive the grant (issue 9 point 3).
 */
export const DELEGATED_GRANTS: Record<TenantKind, readonly Role[]> = {
  partner: PARTNER_ROLES.filter((r) => !NOT_DELEGABLE.includes(r)),
  customer: CUSTOMER_ROLES.filter((r) => !NOT_DELEGABLE.includes(r)),
  platform: [],
};

/** The roles `manager` may grant to, or revoke from, users of a tenant of `kind`. */
export function grantableRoles(kind: TenantKind, manager: RoleManager): Role[] {
  const reachable = new Set<Role>(
    manager.kind === 'delegated'
      ? DELEGATED_GRANTS[kind].filter((r) => !manager.limitRoles || manager.limitRoles.includes(r))
      : manager.roles.flatMap((role) => ROLE_GRANTS[kind][role] ?? []),
  );
  return [...reachable];
}

function notGrantable(description: string, roles: Role[], grantable: Role[]): DomainError {
  return new DomainError('user.role_not_grantable', 403, description, { roles, grantable });
}

/**
 * `manager` may grant every role of `roles` (a new user's roles, or a user's next roles).
 * @throws 403 `user.role_not_grantable` naming the roles it may not grant (`data.roles`) and those
 * it may (`data.grantable`).
 */
export function assertMayGrant(
  kind: TenantKind,
  manager: RoleManager,
  roles: readonly Role[],
): void {
  const grantable = grantableRoles(kind, manager);
  const refused = roles.filter((r) => !grantable.includes(r));
  if (refused.length > 0) {
    throw notGrantable(
      `Your roles do not allow you to grant or remove: ${refused.join(', ')}.`,
      refused,
      grantable,
    );
  }
}

/**
 * `manager` may change (roles, password reset, disable, enable, remove) a user holding
 * `targetRoles`: only when it could grant every role the user holds, so a User management admin
 * or a delegated partner never changes a Global admin.
 * @throws 403 `user.role_not_grantable` naming the roles that put the user out of reach.
 */
export function assertMayManageUser(
  kind: TenantKind,
  manager: RoleManager,
  targetRoles: readonly Role[],
): void {
  const grantable = grantableRoles(kind, manager);
  const refused = targetRoles.filter((r) => !grantable.includes(r));
  if (refused.length > 0) {
    throw notGrantable(
      `Your roles do not allow you to change a user who holds: ${refused.join(', ')}.`,
      refused,
      grantable,
    );
  }
}
