import { CUSTOMER_ROLES, PARTNER_ROLES, Role } from '@app/contracts';
import { DomainError } from '@app/platform';
import { RoleManager, assertMayGrant, assertMayManageUser, grantableRoles } from './role-grants';

const member = (...roles: Role[]): RoleManager => ({ kind: 'member', roles });
const delegated: RoleManager = { kind: 'delegated' };

function refusal(fn: () => void): { code: string; status: number; data: unknown } | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { code: error.code, status: error.status, data: error.data };
  }
}

const sorted = (roles: readonly Role[]) => [...roles].sort();

describe('the role-grant table (seed 004 "Assign user permissions")', () => {
  it('lets a Global admin grant every role of its organisation', () => {
    expect(sorted(grantableRoles('partner', member('GlobalAdmin')))).toEqual(sorted(PARTNER_ROLES));
    expect(sorted(grantableRoles('customer', member('GlobalAdmin')))).toEqual(
      sorted(CUSTOMER_ROLES),
    );
  });

  it('lets a User management admin grant every role but Global admin', () => {
    expect(sorted(grantableRoles('partner', member('UserManagementAdmin')))).toEqual(
      sorted(PARTNER_ROLES.filter((r) => r !== 'GlobalAdmin')),
    );
    expect(sorted(grantableRoles('customer', member('UserManagementAdmin')))).toEqual([
      'BillingAdmin',
      'UserManagementAdmin',
    ]);
  });

  it('gives roles without user management nothing to grant', () => {
    for (const role of ['AdminAgent', 'SalesAgent', 'HelpdeskAgent', 'BillingAdmin'] as const) {
      expect(grantableRoles('partner', member(role))).toEqual([]);
    }
    expect(grantableRoles('customer', member('BillingAdmin'))).toEqual([]);
    expect(grantableRoles('platform', member('Operator'))).toEqual([]);
  });

  it('takes the union of several roles', () => {
    expect(sorted(grantableRoles('partner', member('SalesAgent', 'UserManagementAdmin')))).toEqual(
      sorted(PARTNER_ROLES.filter((r) => r !== 'GlobalAdmin')),
    );
  });

  it('lets a delegated partner grant no user-managing or agent role (issue 9 point 3)', () => {
    expect(grantableRoles('customer', delegated)).toEqual(['BillingAdmin']);
    expect(sorted(grantableRoles('partner', delegated))).toEqual([
      'BillingAdmin',
      'HelpdeskAgent',
      'SalesAgent',
    ]);
    for (const role of ['GlobalAdmin', 'UserManagementAdmin', 'AdminAgent'] as const) {
      expect(refusal(() => assertMayGrant('partner', delegated, [role]))).toMatchObject({
        code: 'user.role_not_grantable',
        status: 403,
        data: { roles: [role] },
      });
    }
    expect(refusal(() => assertMayGrant('customer', delegated, ['UserManagementAdmin']))).toEqual({
      code: 'user.role_not_grantable',
      status: 403,
      data: { roles: ['UserManagementAdmin'], grantable: ['BillingAdmin'] },
    });
  });
});

describe('assertMayGrant', () => {
  it('refuses Global admin to a User management admin with 403 naming the role', () => {
    expect(
      refusal(() =>
        assertMayGrant('partner', member('UserManagementAdmin'), ['SalesAgent', 'GlobalAdmin']),
      ),
    ).toEqual({
      code: 'user.role_not_grantable',
      status: 403,
      data: {
        roles: ['GlobalAdmin'],
        grantable: expect.not.arrayContaining(['GlobalAdmin']) as unknown,
      },
    });
  });

  it('refuses Global admin to a delegated partner in a customer', () => {
    expect(refusal(() => assertMayGrant('customer', delegated, ['GlobalAdmin']))?.data).toEqual({
      roles: ['GlobalAdmin'],
      grantable: ['BillingAdmin'],
    });
  });

  it('accepts what the table allows', () => {
    expect(refusal(() => assertMayGrant('partner', member('GlobalAdmin'), ['GlobalAdmin']))).toBe(
      undefined,
    );
    expect(
      refusal(() =>
        assertMayGrant('partner', member('UserManagementAdmin'), [
          'UserManagementAdmin',
          'AdminAgent',
          'BillingAdmin',
        ]),
      ),
    ).toBe(undefined);
    expect(refusal(() => assertMayGrant('customer', delegated, ['BillingAdmin']))).toBe(undefined);
  });
});

describe('assertMayManageUser', () => {
  it('keeps a delegated partner away from a User management admin and an Admin agent', () => {
    expect(
      refusal(() => assertMayManageUser('customer', delegated, ['UserManagementAdmin'])),
    ).toMatchObject({ code: 'user.role_not_grantable', data: { roles: ['UserManagementAdmin'] } });
    expect(
      refusal(() => assertMayManageUser('partner', delegated, ['AdminAgent', 'SalesAgent'])),
    ).toMatchObject({ code: 'user.role_not_grantable', data: { roles: ['AdminAgent'] } });
    expect(refusal(() => assertMayManageUser('partner', delegated, ['SalesAgent']))).toBe(
      undefined,
    );
  });

  it('keeps a Global admin out of reach of a User management admin and of a delegated partner', () => {
    for (const manager of [member('UserManagementAdmin'), delegated]) {
      expect(
        refusal(() => assertMayManageUser('customer', manager, ['GlobalAdmin', 'BillingAdmin'])),
      ).toMatchObject({ code: 'user.role_not_grantable', data: { roles: ['GlobalAdmin'] } });
    }
  });

  it('lets a Global admin change a Global admin, and a User management admin change the others', () => {
    expect(
      refusal(() => assertMayManageUser('partner', member('GlobalAdmin'), ['GlobalAdmin'])),
    ).toBe(undefined);
    expect(
      refusal(() =>
        assertMayManageUser('partner', member('UserManagementAdmin'), [
          'UserManagementAdmin',
          'AdminAgent',
        ]),
      ),
    ).toBe(undefined);
  });
});
