import { Role, TenantKind, rolesForKind } from '@app/contracts';
import { DomainError } from '@app/platform';

/** A Microsoft Entra directory role as Partner Center names it (its legacy display name). */
export interface DirectoryRoleDefinition {
  /** The Entra role template id: the same in every directory, our `DirectoryRole.id`. */
  id: string;
  /** Partner Center's `name` (the directory role's legacy display name). */
  name: string;
  /** Entra's current display name (README). */
  entraName: string;
}

/**
 * Our six roles as Microsoft Entra directory roles (Partner Center's `DirectoryRole`, issue 11
 * "Customer users and directory roles"): each role is one directory role, by its role template id
 * (learn.microsoft.com "Microsoft Entra built-in roles"), so `/directoryroles/{roleId}/usermembers`
 * reads and changes the holders of our role. The customer's own roles (Global admin, User
 * management admin, Billing admin) are the administrator roles Partner Center's partners assign in
 * customer directories; the agent roles exist in partner organisations only, each mapped to the
 * directory role nearest its reach.
 */
export const DIRECTORY_ROLES: Record<Exclude<Role, 'Operator'>, DirectoryRoleDefinition> = {
  GlobalAdmin: {
    id: '62e90394-69f5-4237-9190-012177145e10',
    name: 'Company Administrator',
    entraName: 'Global Administrator',
  },
  UserManagementAdmin: {
    id: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
    name: 'User Account Administrator',
    entraName: 'User Administrator',
  },
  BillingAdmin: {
    id: 'b0f54661-2d74-4c50-afa3-1ec803f12efe',
    name: 'Billing Administrator',
    entraName: 'Billing Administrator',
  },
  AdminAgent: {
    id: '9360feb5-f418-4baa-8175-e2a00bac4301',
    name: 'Directory Writers',
    entraName: 'Directory Writers',
  },
  HelpdeskAgent: {
    id: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
    name: 'Helpdesk Administrator',
    entraName: 'Helpdesk Administrator',
  },
  SalesAgent: {
    id: '88d8e3e3-8f55-4a1e-953a-9b9898b8876b',
    name: 'Directory Readers',
    entraName: 'Directory Readers',
  },
};

/** The directory roles of an organisation of `kind`, in the contract's role order. */
export function directoryRolesOf(
  kind: TenantKind,
): { role: Role; definition: DirectoryRoleDefinition }[] {
  return rolesForKind(kind)
    .filter((role): role is Exclude<Role, 'Operator'> => role !== 'Operator')
    .map((role) => ({ role, definition: DIRECTORY_ROLES[role] }));
}

/**
 * Our role behind a directory role id of an organisation of `kind` (template ids compare
 * case-insensitively).
 * @throws 404 `directory_role.not_found` for an id that is no directory role of the organisation.
 */
export function roleOfDirectoryRole(kind: TenantKind, roleId: string): Role {
  const found = directoryRolesOf(kind).find(
    ({ definition }) => definition.id === roleId.toLowerCase(),
  );
  if (!found) {
    throw new DomainError('directory_role.not_found', 404, 'The directory role was not found.');
  }
  return found.role;
}
