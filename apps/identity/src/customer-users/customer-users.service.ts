import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Role } from '@app/contracts';
import {
  Collection,
  cursorCollection,
  decodeCursor,
  DomainError,
  parseKeysetCursor,
  timestampCursorAfter,
  toCollection,
} from '@app/platform';
import { APP_CONFIG, IdentityConfig } from '../config/identity.config';
import { Tenant } from '../organizations/tenant.entity';
import { Delegation } from '../users/delegation';
import { toUserView } from '../users/dto/user.dto';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { parseCustomerUserFilter } from './customer-user-filter';
import { DIRECTORY_ROLES, directoryRolesOf, roleOfDirectoryRole } from './directory-roles';
import {
  CustomerUser,
  CustomerUserListQuery,
  DirectoryRole,
  UserMember,
  toCustomerUser,
} from './dto/customer-user.dto';

/** Partner Center's DirectoryRole of one of our roles. */
function toDirectoryRole(role: Exclude<Role, 'Operator'>): DirectoryRole {
  const { id, name } = DIRECTORY_ROLES[role];
  return { id, name, attributes: { objectType: 'DirectoryRole' } };
}

/** Partner Center's UserMember of `user` in the directory role `roleId`. */
function toUserMember(
  user: { id: string; firstName: string; lastName: string; email: string },
  roleId: string,
): UserMember {
  return {
    id: user.id,
    displayName: `${user.firstName} ${user.lastName}`,
    userPrincipalName: user.email,
    roleId,
    attributes: { objectType: 'UserMember' },
  };
}

const userNotFound = () => new DomainError('user.not_found', 404, 'The user was not found.');

/**
 * A customer's users and directory roles as Partner Center serves them (user-resources.md,
 * delete/restore/view-a-deleted-user, get/set-user-roles, remove-customer-user-from-a-role), for a
 * partner whose delegated admin privileges the controller has checked (`DelegatedAdminService`).
 * Changes go through `UsersService`, so the role-grant table (`role-grants.ts`: a delegated partner
 * grants neither Global admin, User management admin nor Admin agent, 403) and the last Global
 * admin rule (409) hold here as everywhere.
 */
@Injectable()
export class CustomerUsersService {
  constructor(
    private readonly em: EntityManager,
    private readonly users: UsersService,
    @Inject(APP_CONFIG)
    private readonly config: Pick<IdentityConfig, 'CUSTOMER_USER_RETENTION_DAYS'>,
  ) {}

  /**
   * The customer's users in the state the filter names (`active` without one, `inactive`: the
   * deleted ones awaiting restoration or purge), oldest first, keyset paginated on (createdAt, id).
   * @throws 400 `customer_user.invalid_filter`, 400 `request.invalid_cursor`.
   */
  async list(
    customerTenantId: string,
    viewerTenantId: string,
    query: CustomerUserListQuery,
  ): Promise<Collection<CustomerUser>> {
    const state = parseCustomerUserFilter(query.filter);
    const page = await this.em.findByCursor(
      User,
      {
        tenantId: customerTenantId,
        softDeletedAt: state === 'active' ? null : { $ne: null },
      },
      {
        first: query.size,
        after: timestampCursorAfter(query.seek),
        orderBy: { createdAt: 'asc', id: 'asc' },
        includeCount: false,
      },
    );
    const filter = query.filter ? `&filter=${encodeURIComponent(query.filter)}` : '';
    return cursorCollection(
      page,
      (user) =>
        toCustomerUser(toUserView(user, viewerTenantId), customerTenantId, user.softDeletedAt),
      (seek) => `/v1/customers/${customerTenantId}/users?size=${query.size}&seek=${seek}${filter}`,
    );
  }

  /**
   * One user of the customer (active or deleted).
   * @throws 404 `user.not_found`.
   */
  async get(
    customerTenantId: string,
    viewerTenantId: string,
    userId: string,
  ): Promise<CustomerUser> {
    const user = await this.findUser(customerTenantId, userId, true);
    return toCustomerUser(toUserView(user, viewerTenantId), customerTenantId, user.softDeletedAt);
  }

  /** Soft-delete a user (`UsersService.softDelete`). */
  async delete(customerTenantId: string, delegation: Delegation, userId: string): Promise<void> {
    await this.users.softDelete(customerTenantId, { kind: 'delegated', delegation }, userId);
  }

  /** Restore a soft-deleted user within `CUSTOMER_USER_RETENTION_DAYS` (`UsersService.restore`). */
  async restore(
    customerTenantId: string,
    delegation: Delegation,
    userId: string,
  ): Promise<CustomerUser> {
    const user = await this.users.restore(
      customerTenantId,
      { kind: 'delegated', delegation },
      userId,
      this.config.CUSTOMER_USER_RETENTION_DAYS,
    );
    return toCustomerUser(
      toUserView(user, delegation.byTenantId),
      customerTenantId,
      user.softDeletedAt,
    );
  }

  /** The customer's directory roles: one per role of a customer organisation. */
  async directoryRoles(customerTenantId: string): Promise<Collection<DirectoryRole>> {
    const kind = await this.kindOf(customerTenantId);
    return oneCollection(directoryRolesOf(kind).map(({ role }) => toDirectoryRole(role as never)));
  }

  /**
   * The directory roles a user of the customer holds (a deleted user's too).
   * @throws 404 `user.not_found`.
   */
  async rolesOfUser(customerTenantId: string, userId: string): Promise<Collection<DirectoryRole>> {
    const user = await this.findUser(customerTenantId, userId, true);
    return oneCollection(
      user.roles
        .filter((role): role is Exclude<Role, 'Operator'> => role !== 'Operator')
        .map(toDirectoryRole),
    );
  }

  /**
   * The users holding a directory role (deleted users are not members: they hold no access),
   * oldest first, keyset paginated on (createdAt, id).
   * @throws 404 `directory_role.not_found`; 400 `request.invalid_cursor`.
   */
  async members(
    customerTenantId: string,
    roleId: string,
    page: { size: number; seek?: string },
  ): Promise<Collection<UserMember>> {
    const role = roleOfDirectoryRole(await this.kindOf(customerTenantId), roleId);
    const after = parseKeysetCursor(decodeCursor(page.seek), 'date');
    const rows = await this.em.execute<
      { id: string; first_name: string; last_name: string; email: string; created_at: Date }[]
    >(
      `select "id", "first_name", "last_name", "email", "created_at" from "user_account"
        where "tenant_id" = ? and "soft_deleted_at" is null and "roles" @> ?::jsonb
          ${after ? 'and ("created_at", "id") > (?, ?)' : ''}
        order by "created_at", "id" limit ?`,
      [
        customerTenantId,
        JSON.stringify([role]),
        ...(after ? [after.key, after.id] : []),
        page.size + 1,
      ],
    );
    const templateId = DIRECTORY_ROLES[role as Exclude<Role, 'Operator'>].id;
    return toCollection(
      rows,
      page.size,
      (row) =>
        toUserMember(
          { id: row.id, firstName: row.first_name, lastName: row.last_name, email: row.email },
          templateId,
        ),
      (row) => ({ k: new Date(row.created_at).toISOString(), id: row.id }),
      (seek) =>
        `/v1/customers/${customerTenantId}/directoryroles/${templateId}/usermembers?size=${page.size}&seek=${seek}`,
    );
  }

  /**
   * Add a user to a directory role: grant the role (`UsersService.updateRoles`: the role-grant
   * table applies; `user.role_granted` recorded).
   * @throws 404 `directory_role.not_found`, 404 `user.not_found` (also a deleted user), 403
   *   `user.role_not_grantable`, 409 `directory_role.member_exists` (the user holds it already).
   */
  async addMember(
    customerTenantId: string,
    delegation: Delegation,
    roleId: string,
    userId: string,
  ): Promise<UserMember> {
    const role = roleOfDirectoryRole(await this.kindOf(customerTenantId), roleId);
    const user = await this.findUser(customerTenantId, userId, false);
    if (user.roles.includes(role)) {
      throw new DomainError(
        'directory_role.member_exists',
        409,
        'The user is already a member of this directory role.',
      );
    }
    const view = await this.users.updateRoles(
      customerTenantId,
      { kind: 'delegated', delegation },
      userId,
      [...user.roles, role],
    );
    return toUserMember(
      { id: view.id, firstName: view.firstName, lastName: view.lastName, email: view.email },
      DIRECTORY_ROLES[role as Exclude<Role, 'Operator'>].id,
    );
  }

  /**
   * Remove a user from a directory role: take the role away (`UsersService.updateRoles`:
   * `user.role_revoked` recorded, the user's access tokens revoked). A user keeps at least one
   * role (400 `user.invalid_role`), an organisation its last Global admin (409
   * `user.last_global_admin`).
   * @throws 404 `directory_role.not_found`, 404 `user.not_found`, 404
   *   `directory_role.member_not_found` (the user does not hold it), 403 `user.role_not_grantable`.
   */
  async removeMember(
    customerTenantId: string,
    delegation: Delegation,
    roleId: string,
    userId: string,
  ): Promise<void> {
    const role = roleOfDirectoryRole(await this.kindOf(customerTenantId), roleId);
    const user = await this.findUser(customerTenantId, userId, false);
    if (!user.roles.includes(role)) {
      throw new DomainError(
        'directory_role.member_not_found',
        404,
        'The user is not a member of this directory role.',
      );
    }
    await this.users.updateRoles(
      customerTenantId,
      { kind: 'delegated', delegation },
      userId,
      user.roles.filter((r) => r !== role),
    );
  }

  /** The kind of the customer's organisation (checked to exist by the delegation check). */
  private async kindOf(customerTenantId: string) {
    const tenant = await this.em.findOne(Tenant, { id: customerTenantId }, { fields: ['kind'] });
    if (!tenant) throw new DomainError('customer.not_found', 404, 'The customer was not found.');
    return tenant.kind;
  }

  /** A user of the customer; a deleted one only with `deleted`. @throws 404 `user.not_found`. */
  private async findUser(customerTenantId: string, userId: string, deleted: boolean) {
    const user = await this.em.findOne(User, {
      id: userId,
      tenantId: customerTenantId,
      ...(deleted ? {} : { softDeletedAt: null }),
    });
    if (!user) throw userNotFound();
    return user;
  }
}

/** A collection of one page (directory roles: a handful, never paged). */
function oneCollection<T>(items: T[]): Collection<T> {
  return { totalCount: items.length, items, links: {}, attributes: { objectType: 'Collection' } };
}
