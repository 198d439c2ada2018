import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import {
  CustomerUsersController,
  DirectoryRolesController,
} from '../customer-users/customer-users.controller';
import { DELEGATED_GRANTS, grantableRoles } from '../users/role-grants';
import { DELEGATED_ROUTES, ENTRA_ROLES, OPERATION_ROLES, reachOf } from './delegated-operations';

/** `METHOD path` of every handler of a controller, as Fastify registers it. */
function routeKeys(controller: new (...args: never[]) => unknown): string[] {
  const base = Reflect.getMetadata(PATH_METADATA, controller) as string;
  const proto = controller.prototype as Record<string, unknown>;
  return Object.getOwnPropertyNames(proto)
    .filter((name) => name !== 'constructor' && typeof proto[name] === 'function')
    .filter((name) => Reflect.hasMetadata(METHOD_METADATA, proto[name] as object))
    .map((name) => {
      const handler = proto[name] as object;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string;
      return `${method} /${[base, path].filter((p) => p && p !== '/').join('/')}`;
    });
}

describe('GDAP operations → Entra roles (issue 10 part 2)', () => {
  it('names the operation of every delegated route of a customer (none is left to DAP alone)', () => {
    const routes = [...routeKeys(CustomerUsersController), ...routeKeys(DirectoryRolesController)];
    expect(routes.length).toBeGreaterThanOrEqual(11);
    expect(routes.filter((key) => !(key in DELEGATED_ROUTES))).toEqual([]);
  });

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
