import { DELEGATED_GRANTS, grantableRoles } from '../users/role-grants';
import { ENTRA_ROLES, OPERATION_ROLES, reachOf } from './delegated-operations';

describe('GDAP operations → Entra roles (issue 10 part 2)', () => {
  it('lets Directory Readers only list users', () => {
    expect(OPERATION_ROLES['users.read']).toContain(ENTRA_ROLES.directoryReaders);
    expect(OPERATION_ROLES['users.create']).not.toContain(ENTRA_ROLES.directoryReaders);
    expect(OPERATION_ROLES['users.password_reset']).not.toContain(ENTRA_ROLES.directoryReaders);
  });

  it('lets a Helpdesk Administrator reset passwords but not create users', () => {
    expect(OPERATION_ROLES['users.password_reset']).toContain(ENTRA_ROLES.helpdeskAdministrator);
    expect(OPERATION_ROLES['users.create']).not.toContain(ENTRA_ROLES.helpdeskAdministrator);
  });

  it('reaches, with Helpdesk Administrator alone, no customer user (every customer role is an administrator role)', () => {
    const limitRoles = reachOf([ENTRA_ROLES.helpdeskAdministrator, ENTRA_ROLES.directoryReaders]);
    expect(limitRoles).toEqual([]);
    expect(grantableRoles('customer', { kind: 'delegated', limitRoles })).toEqual([]);
  });

  it("reaches, with User Administrator, the delegated manager's roles and never an administrator above it", () => {
    const limitRoles = reachOf([ENTRA_ROLES.userAdministrator]);
    expect(limitRoles).toBeUndefined();
    const reach = grantableRoles('customer', { kind: 'delegated', limitRoles });
    expect(reach).toEqual([...DELEGATED_GRANTS.customer]);
    expect(reach).not.toContain('GlobalAdmin');
    expect(reach).not.toContain('UserManagementAdmin');
  });
});
