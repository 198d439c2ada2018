import type { Role } from '@app/contracts';

/** Microsoft Entra built-in role template ids GDAP relationships carry (relationships' `GDAP_ROLES`). */
export const ENTRA_ROLES = {
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  userAdministrator: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  helpdeskAdministrator: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  directoryReaders: '88d8e3e3-8f55-4a1e-953a-9b9898b8876b',
} as const;

/** An operation a partner user performs in a customer's organisation with its own identity. */
export type DelegatedOperation =
  'users.read' | 'users.create' | 'users.delete' | 'users.password_reset' | 'roles.manage';

/**
 * The delegated routes (method and Fastify route pattern) and the operation each performs. A
 * route not listed here is never allowed through GDAP (only through DAP).
 */
export const DELEGATED_ROUTES: Record<string, DelegatedOperation> = {
  'GET /v1/customers/:customerTenantId/users': 'users.read',
  'POST /v1/customers/:customerTenantId/users': 'users.create',
  'GET /v1/customers/:customerTenantId/users/:userId': 'users.read',
  'GET /v1/customers/:customerTenantId/users/:userId/directoryroles': 'users.read',
  'GET /v1/customers/:customerTenantId/directoryroles': 'users.read',
  'GET /v1/customers/:customerTenantId/directoryroles/:roleId/usermembers': 'users.read',
  'DELETE /v1/customers/:customerTenantId/users/:userId': 'users.delete',
  'PATCH /v1/customers/:customerTenantId/users/:userId': 'users.delete',
  'POST /v1/customers/:customerTenantId/users/:userId/password-reset': 'users.password_reset',
  'POST /v1/customers/:customerTenantId/directoryroles/:roleId/usermembers': 'roles.manage',
  'DELETE /v1/customers/:customerTenantId/directoryroles/:roleId/usermembers/:userId':
    'roles.manage',
};

/**
 * Which Entra roles allow each operation (Microsoft's "Microsoft Entra built-in roles": Directory
 * Readers read users and roles; User Administrator creates, deletes and restores users and resets
 * passwords; Helpdesk
 * Administrator reads users and resets the passwords of non-administrators; Global Administrator
 * does everything). One role of the caller's access assignments must be among them.
 */
export const OPERATION_ROLES: Record<DelegatedOperation, readonly string[]> = {
  'users.read': [
    ENTRA_ROLES.globalAdministrator,
    ENTRA_ROLES.userAdministrator,
    ENTRA_ROLES.helpdeskAdministrator,
    ENTRA_ROLES.directoryReaders,
  ],
  'users.create': [ENTRA_ROLES.globalAdministrator, ENTRA_ROLES.userAdministrator],
  // Deleting and restoring users: User Administrator's (Entra: "delete and restore users").
  'users.delete': [ENTRA_ROLES.globalAdministrator, ENTRA_ROLES.userAdministrator],
  // Assigning directory roles: Global Administrator's (User Administrator assigns none of ours).
  'roles.manage': [ENTRA_ROLES.globalAdministrator],
  'users.password_reset': [
    ENTRA_ROLES.globalAdministrator,
    ENTRA_ROLES.userAdministrator,
    ENTRA_ROLES.helpdeskAdministrator,
  ],
};

/**
 * The reach of a GDAP caller over the customer's users, beyond the delegated manager's own limit
 * (never a Global admin or User management admin; grants Billing admin only): with Global
 * Administrator or User Administrator that limit alone (`undefined`); with Helpdesk Administrator
 * alone, only users who hold no role (`[]`: every customer role is an administrator role), so a
 * password reset never hands the partner the password of a user at or above its access.
 */
export function reachOf(roles: readonly string[]): readonly Role[] | undefined {
  return roles.includes(ENTRA_ROLES.globalAdministrator) ||
    roles.includes(ENTRA_ROLES.userAdministrator)
    ? undefined
    : [];
}

/** The partner roles that act through delegated admin privileges (DAP, seeds 000/004). */
export const DAP_ROLES: readonly Role[] = ['GlobalAdmin', 'AdminAgent'];
