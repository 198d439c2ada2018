/**
 * The Microsoft Entra built-in roles a delegated admin relationship may carry (README "Granular
 * delegated admin relationships": role template ids), by the i18n key of their plain-words name.
 */
export const GDAP_ROLES = [
  { id: '62e90394-69f5-4237-9190-012177145e10', key: 'globalAdministrator' },
  { id: 'fe930be7-5e62-47db-91af-98c3a49a38b1', key: 'userAdministrator' },
  { id: '729827e3-9c14-49f7-bb1b-9608f156bbb8', key: 'helpdeskAdministrator' },
  { id: '88d8e3e3-8f55-4a1e-953a-9b9898b8876b', key: 'directoryReaders' },
  { id: '4d6ac14f-3453-41d0-bef9-a3e0c569773a', key: 'licenseAdministrator' },
  { id: 'b0f54661-2d74-4c50-afa3-1ec803f12efe', key: 'billingAdministrator' },
] as const;

/** The Global Administrator role (never auto-extended). */
export const GLOBAL_ADMINISTRATOR = GDAP_ROLES[0].id;

/** The i18n key of a role's name, or undefined for a role the portal does not know. */
export function roleKey(roleDefinitionId: string): string | undefined {
  const role = GDAP_ROLES.find((r) => r.id === roleDefinitionId);
  return role ? `gdap.roles.${role.key}` : undefined;
}

/** The durations offered (ISO 8601, `P1D` to `P2Y`). */
export const GDAP_DURATIONS = ['P30D', 'P90D', 'P180D', 'P1Y', 'P2Y'] as const;
