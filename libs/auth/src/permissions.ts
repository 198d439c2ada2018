import { Role, TenantKind } from '@app/contracts';

/**
 * Every permission an endpoint can require (DESIGN.md "Roles"). Each endpoint declares exactly one
 * with `@RequirePermission`; the matrix below says which roles of which tenant kind hold it.
 */
export const PERMISSIONS = {
  /** Any signed-in user: read and change their own account (even on a temporary password). */
  session: 'session',
  /** Manage users of own tenant (seed 004 "Add a new user"). */
  usersManage: 'users.manage',
  /**
   * Partner side: withdraw an indirect provider's administrator access to own organisation (seed
   * 004 step 3 note). Global admin only (issue 9 point 4): the access reaches every user of the
   * organisation, a User management admin does not decide about it.
   */
  adminAccessWithdraw: 'admin-access.withdraw',
  /** Read partnerships, customers, subscriptions. */
  channelRead: 'channel.read',
  /** Request / accept / remove partnerships; request / remove customer relationships. */
  relationshipsManage: 'relationships.manage',
  /** Create customers, order and change subscriptions. */
  customersOrder: 'customers.order',
  /** Update the partner's own business profile. */
  partnerProfileManage: 'partner-profile.manage',
  /**
   * Partner side: add the indirect reseller role to own account by giving its customer support
   * contact (seed 004 "If you are already enrolled in CSP, you may need to provide only customer
   * support contact information"). Global admin only: enrolling in a program is done with Global
   * administrator credentials (seed 004 "Before you begin").
   */
  partnerProgramsEnroll: 'partner-programs.enroll',
  /** Customer side: list the partners (resellers of record) of own organisation. */
  customerPartnersRead: 'customer.partners.read',
  /**
   * Customer side: list every subscription of own organisation, with the partner that ordered it
   * and its designated support contact (read only; the billing side of the organisation).
   */
  customerSubscriptionsRead: 'customer.subscriptions.read',
  /** Customer side: accept a reseller relationship, revoke delegated admin privileges. */
  customerPartnersManage: 'customer.partners.manage',
  /**
   * Partner side: act in another organisation that granted the caller's organisation administrator
   * access (a reseller that authorized its indirect provider, seed 004 step 3): manage its users.
   */
  delegatedUsersManage: 'delegated.users.manage',
  /**
   * Partner side: manage the users of a customer (list, add with a temporary password, reset a
   * password) while the caller's organisation holds an active reseller relationship with delegated
   * admin privileges for it (seeds 000/004: "manage the customer's account, services, users, and
   * licenses"; seed 004 step 9: Admin agents hold administrator permissions). Since GDAP (issue
   * 10 part 2) every partner role holds it: whether a call goes through is decided per call by
   * `DelegatedAccessService` (apps/identity/src/delegated-access/): DAP for Global admins and
   * Admin agents, GDAP for members of a security group with an active access assignment whose
   * roles cover the operation.
   */
  customerUsersManage: 'customer.users.manage',
  /**
   * Partner side: read the organisation's security groups and their members (issue 10 part 2:
   * the access containers of GDAP access assignments; Admin agents read them to assign them).
   */
  securityGroupsRead: 'security-groups.read',
  /**
   * Partner side: create and delete security groups, add and remove their members (issue 10 part
   * 2). Global admin and User management admin: membership decides who acts in customers'
   * organisations through GDAP, as Entra's group management belongs to the user administrators.
   */
  securityGroupsManage: 'security-groups.manage',
  /**
   * Read the activity log (issue 14 "One audit trail"): an organisation's own entries (partner:
   * the roles that read the channel; customer: the roles that read its partners); the platform
   * operator reads every organisation's.
   */
  activityLogRead: 'activity-log.read',
  /**
   * Register, change, rotate and delete the organisation's own webhook endpoints, read their
   * delivery logs and replay deliveries (issue 14 "Signed events"). Global admin only, partner
   * and customer: an endpoint receives every event of the organisation it subscribes to.
   */
  webhooksManage: 'webhooks.manage',
  /**
   * Read the delegated admin relationships (GDAP, issue 10) of own organisation: a partner's own
   * (Graph `DelegatedAdminRelationship.Read.All`; the Admin agent role in Partner Center), or, on
   * the customer side, the partners' relationships with it (the roles that read its partners).
   */
  gdapRead: 'gdap.read',
  /**
   * Partner side: create, change and delete delegated admin relationships (Graph
   * `DelegatedAdminRelationship.ReadWrite.All`; Partner Center: Admin agents create GDAP requests).
   */
  gdapManage: 'gdap.manage',
  /**
   * Act on a delegated admin relationship through its requests: the partner's Admin agents and
   * Global admins lock it for approval and terminate it; the customer's Global admin approves,
   * rejects or terminates it (Partner Center: only a customer Global admin approves GDAP).
   */
  gdapRequest: 'gdap.request',
  /** Platform operator: review enrollments (approve / reject), edit operator-reserved profile fields. */
  platformOperate: 'platform.operate',
} as const;
export type Permission = (typeof PERMISSIONS)[keyof typeof PERMISSIONS];

const P = PERMISSIONS;

/** The role → permission matrix, per tenant kind. The one place that decides who may do what. */
export const PERMISSION_MATRIX: Record<TenantKind, Partial<Record<Role, readonly Permission[]>>> = {
  partner: {
    GlobalAdmin: [
      P.session,
      P.usersManage,
      P.adminAccessWithdraw,
      P.channelRead,
      P.relationshipsManage,
      P.customersOrder,
      P.partnerProfileManage,
      P.partnerProgramsEnroll,
      P.delegatedUsersManage,
      P.customerUsersManage,
      P.activityLogRead,
      P.webhooksManage,
      P.gdapRead,
      P.gdapManage,
      P.gdapRequest,
      P.securityGroupsRead,
      P.securityGroupsManage,
    ],
    UserManagementAdmin: [
      P.session,
      P.usersManage,
      P.channelRead,
      P.activityLogRead,
      P.customerUsersManage,
      P.securityGroupsRead,
      P.securityGroupsManage,
    ],
    AdminAgent: [
      P.session,
      P.channelRead,
      P.relationshipsManage,
      P.customersOrder,
      P.delegatedUsersManage,
      P.customerUsersManage,
      P.activityLogRead,
      P.gdapRead,
      P.gdapManage,
      P.gdapRequest,
      P.securityGroupsRead,
    ],
    SalesAgent: [
      P.session,
      P.channelRead,
      P.customersOrder,
      P.activityLogRead,
      P.customerUsersManage,
    ],
    HelpdeskAgent: [P.session, P.channelRead, P.activityLogRead, P.customerUsersManage],
    BillingAdmin: [P.session, P.customerUsersManage],
  },
  customer: {
    GlobalAdmin: [
      P.session,
      P.usersManage,
      P.customerPartnersRead,
      P.customerPartnersManage,
      P.customerSubscriptionsRead,
      P.activityLogRead,
      P.webhooksManage,
      P.gdapRead,
      P.gdapRequest,
    ],
    UserManagementAdmin: [
      P.session,
      P.usersManage,
      P.customerPartnersRead,
      P.activityLogRead,
      P.gdapRead,
    ],
    BillingAdmin: [
      P.session,
      P.customerPartnersRead,
      P.customerSubscriptionsRead,
      P.activityLogRead,
      P.gdapRead,
    ],
  },
  platform: {
    Operator: [P.session, P.platformOperate, P.activityLogRead],
  },
};

/**
 * True when any of `roles` in a tenant of `kind` holds `permission`. `session` is every signed-in
 * user's, a customer's user holding no administrator role (no directory role) included.
 */
export function hasPermission(
  kind: TenantKind,
  roles: readonly Role[],
  permission: Permission,
): boolean {
  if (permission === PERMISSIONS.session) return true;
  const byRole = PERMISSION_MATRIX[kind];
  return roles.some((role) => byRole[role]?.includes(permission) ?? false);
}

/** The roles of a tenant kind that hold `permission` (for docs and error messages). */
export function rolesWith(kind: TenantKind, permission: Permission): Role[] {
  return (Object.entries(PERMISSION_MATRIX[kind]) as [Role, readonly Permission[]][])
    .filter(([, perms]) => perms.includes(permission))
    .map(([role]) => role);
}
