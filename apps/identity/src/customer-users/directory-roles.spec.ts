import { CUSTOMER_ROLES, PARTNER_ROLES } from '@app/contracts';
import { DomainError } from '@app/platform';
import { DIRECTORY_ROLES, directoryRolesOf, roleOfDirectoryRole } from './directory-roles';

describe('our roles as Microsoft Entra directory roles', () => {
  it('maps each of the six roles to one role template id, none shared', () => {
    const ids = PARTNER_ROLES.map((role) => DIRECTORY_ROLES[role].id);
    expect(new Set(ids).size).toBe(PARTNER_ROLES.length);
    expect(DIRECTORY_ROLES.GlobalAdmin).toMatchObject({
      id: '62e90394-69f5-4237-9190-012177145e10',
      name: 'Company Administrator',
    });
  });

  it("lists a customer's three roles, and finds a role by its template id in any case", () => {
    expect(directoryRolesOf('customer').map(({ role }) => role)).toEqual([...CUSTOMER_ROLES]);
    expect(roleOfDirectoryRole('customer', 'B0F54661-2D74-4C50-AFA3-1EC803F12EFE')).toBe(
      'BillingAdmin',
    );
  });

  it("refuses a partner-only role's id in a customer's directory with 404", () => {
    let error: unknown;
    try {
      roleOfDirectoryRole('customer', DIRECTORY_ROLES.AdminAgent.id);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('directory_role.not_found');
  });
});
