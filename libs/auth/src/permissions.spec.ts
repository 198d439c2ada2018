import { CUSTOMER_ROLES, PARTNER_ROLES } from '@app/contracts';
import { PERMISSIONS, hasPermission, rolesWith } from './permissions';

describe('role → permission matrix (DESIGN.md "Roles")', () => {
  it("gives a customer's user without an administrator role its session only", () => {
    expect(hasPermission('customer', [], PERMISSIONS.session)).toBe(true);
    for (const permission of Object.values(PERMISSIONS).filter((p) => p !== PERMISSIONS.session)) {
      expect(hasPermission('customer', [], permission)).toBe(false);
    }
  });

  it('lets only Global admin and User management admin manage users', () => {
    expect(rolesWith('partner', PERMISSIONS.usersManage).sort()).toEqual(
      ['GlobalAdmin', 'UserManagementAdmin'].sort(),
    );
    expect(rolesWith('customer', PERMISSIONS.usersManage).sort()).toEqual(
      ['GlobalAdmin', 'UserManagementAdmin'].sort(),
    );
  });

  it("reserves withdrawing a provider's administrator access to the partner's Global admin", () => {
    expect(rolesWith('partner', PERMISSIONS.adminAccessWithdraw)).toEqual(['GlobalAdmin']);
    expect(hasPermission('partner', ['UserManagementAdmin'], PERMISSIONS.adminAccessWithdraw)).toBe(
      false,
    );
    for (const role of CUSTOMER_ROLES) {
      expect(hasPermission('customer', [role], PERMISSIONS.adminAccessWithdraw)).toBe(false);
    }
  });

  it("reserves adding the indirect reseller role to the partner's Global admin (seed 004)", () => {
    expect(rolesWith('partner', PERMISSIONS.partnerProgramsEnroll)).toEqual(['GlobalAdmin']);
    expect(rolesWith('customer', PERMISSIONS.partnerProgramsEnroll)).toEqual([]);
    expect(rolesWith('platform', PERMISSIONS.partnerProgramsEnroll)).toEqual([]);
  });

  it('reserves managing webhook endpoints to the Global admins of partners and customers', () => {
    expect(rolesWith('partner', PERMISSIONS.webhooksManage)).toEqual(['GlobalAdmin']);
    expect(rolesWith('customer', PERMISSIONS.webhooksManage)).toEqual(['GlobalAdmin']);
    expect(rolesWith('platform', PERMISSIONS.webhooksManage)).toEqual([]);
  });

  it('lets the five partner roles read the channel, not Billing admin', () => {
    expect(rolesWith('partner', PERMISSIONS.channelRead).sort()).toEqual(
      ['AdminAgent', 'GlobalAdmin', 'HelpdeskAgent', 'SalesAgent', 'UserManagementAdmin'].sort(),
    );
    expect(hasPermission('partner', ['BillingAdmin'], PERMISSIONS.channelRead)).toBe(false);
  });

  it('lets Global admin and Admin agent request, accept and remove relationships', () => {
    expect(rolesWith('partner', PERMISSIONS.relationshipsManage).sort()).toEqual(
      ['AdminAgent', 'GlobalAdmin'].sort(),
    );
  });

  it('lets Global admin, Admin agent and Sales agent create customers and order', () => {
    expect(rolesWith('partner', PERMISSIONS.customersOrder).sort()).toEqual(
      ['AdminAgent', 'GlobalAdmin', 'SalesAgent'].sort(),
    );
  });

  it("reserves accepting a reseller relationship and revoking delegated admin to the customer's Global admin", () => {
    expect(rolesWith('customer', PERMISSIONS.customerPartnersManage)).toEqual(['GlobalAdmin']);
    for (const role of PARTNER_ROLES) {
      expect(hasPermission('partner', [role], PERMISSIONS.customerPartnersManage)).toBe(false);
    }
  });

  it("lets the customer's Global admin and Billing admin read all of its subscriptions, and no partner role", () => {
    expect(rolesWith('customer', PERMISSIONS.customerSubscriptionsRead).sort()).toEqual(
      ['BillingAdmin', 'GlobalAdmin'].sort(),
    );
    for (const role of PARTNER_ROLES) {
      expect(hasPermission('partner', [role], PERMISSIONS.customerSubscriptionsRead)).toBe(false);
    }
  });

  it('lets every partner role call the customer-users routes (DAP or GDAP decided per call), no customer role', () => {
    expect(rolesWith('partner', PERMISSIONS.customerUsersManage).sort()).toEqual(
      [...PARTNER_ROLES].sort(),
    );
    for (const role of CUSTOMER_ROLES) {
      expect(hasPermission('customer', [role], PERMISSIONS.customerUsersManage)).toBe(false);
    }
  });

  it('lets partner Global admins and User management admins manage security groups, Admin agents read them', () => {
    expect(rolesWith('partner', PERMISSIONS.securityGroupsManage).sort()).toEqual(
      ['GlobalAdmin', 'UserManagementAdmin'].sort(),
    );
    expect(rolesWith('partner', PERMISSIONS.securityGroupsRead).sort()).toEqual(
      ['AdminAgent', 'GlobalAdmin', 'UserManagementAdmin'].sort(),
    );
    expect(rolesWith('customer', PERMISSIONS.securityGroupsRead)).toEqual([]);
  });

  it('gives no partner or customer role the operator permission', () => {
    for (const role of PARTNER_ROLES) {
      expect(hasPermission('partner', [role], PERMISSIONS.platformOperate)).toBe(false);
    }
    for (const role of CUSTOMER_ROLES) {
      expect(hasPermission('customer', [role], PERMISSIONS.platformOperate)).toBe(false);
    }
    expect(hasPermission('platform', ['Operator'], PERMISSIONS.platformOperate)).toBe(true);
  });

  it('does not carry a partner role across tenant kinds', () => {
    expect(hasPermission('customer', ['AdminAgent'], PERMISSIONS.channelRead)).toBe(false);
  });
});
