import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { Caller, CurrentUser, PERMISSIONS, RequirePermission } from '@app/auth';
import {
  ApiResponse,
  Audited,
  Collection,
  Idempotent,
  PageQuerySchema,
  ZodPipe,
  collectionSchema,
} from '@app/platform';
import { Uuid } from '@app/contracts';
import { z } from 'zod';
import { CreateUserInput, CreateUserSchema } from '../users/dto/user.dto';
import { UsersService } from '../users/users.service';
import { CustomerUsersService } from './customer-users.service';
import { DelegatedAdminService } from './delegated-admin.service';
import {
  AddUserMemberInput,
  AddUserMemberSchema,
  CustomerUser,
  CustomerUserListQuery,
  CustomerUserListQuerySchema,
  CustomerUserSchema,
  CustomerUserWithPasswordSchema,
  DirectoryRole,
  DirectoryRoleId,
  DirectoryRoleSchema,
  RestoreCustomerUserSchema,
  UserMember,
  UserMemberSchema,
  toCustomerUser,
} from './dto/customer-user.dto';

const CustomerTenantId = new ZodPipe(Uuid, 'customer tenant id');
const UserId = new ZodPipe(Uuid, 'user id');

/**
 * A partner's Admin agents (and Global admins) manage a customer's users while the partner holds
 * an active reseller relationship with delegated admin privileges for that customer (seeds 000/004:
 * "manage the customer's account, services, users, and licenses"). Before every call identity asks
 * relationships: no such privileges, or an unknown customer → 404 `customer.not_found`, the same
 * body either way (issue 9 point 16: a partner cannot tell another partner's customer from an id
 * that exists nowhere); relationships silent → 503 `dependency.unavailable`. The partner acts as a
 * delegated manager: it grants Billing admin only, never Global admin or User management admin,
 * and does not reset the password of, delete or restore a user holding them (403
 * `user.role_not_grantable`), so the customer's own admins, who alone accept relationships and
 * revoke delegated admin privileges, stay in control. Every user it creates records the grant and
 * is disabled when the privileges end (issue 9 point 3). Users are Partner Center's CustomerUser
 * (`dto/customer-user.dto.ts`); a delete is soft (state `inactive`, `softDeletionTime`),
 * restorable for `CUSTOMER_USER_RETENTION_DAYS`.
 */
@Controller('v1/customers/:customerTenantId/users')
export class CustomerUsersController {
  constructor(
    private readonly delegation: DelegatedAdminService,
    private readonly users: UsersService,
    private readonly customerUsers: CustomerUsersService,
  ) {}

  /**
   * `GET /v1/customers/{customerTenantId}/users?size&seek&filter` → collection of CustomerUser:
   * the active users, or with `filter={"Field":"UserState","Value":"Inactive","Operator":"equals"}`
   * the deleted ones awaiting restoration. 400 `customer_user.invalid_filter` (unknown field,
   * operator or value, named), 404 `customer.not_found`.
   */
  @Get()
  @RequirePermission(PERMISSIONS.customerUsersManage)
  @ApiResponse(200, collectionSchema(CustomerUserSchema), "The customer's users in that state.")
  async list(
    @CurrentUser() caller: Caller,
    @Param('customerTenantId', CustomerTenantId) customerTenantId: string,
    @Query(new ZodPipe(CustomerUserListQuerySchema, 'query')) query: CustomerUserListQuery,
  ): Promise<Collection<CustomerUser>> {
    await this.delegation.assertDelegatedAdmin(caller.tenantId, customerTenantId);
    return this.customerUsers.list(customerTenantId, caller.tenantId, query);
  }

  /**
   * `POST /v1/customers/{customerTenantId}/users` `{ firstName, lastName, email, roles, locale? }`
   * → 201 `{ user: CustomerUser, temporaryPassword }` (shown once; the user changes it at first
   * sign-in; `user.delegation` names the grant). 400 `user.invalid_role`, 403
   * `user.role_not_grantable` (Global admin, User management admin), 404 `customer.not_found`, 409
   * `user.email_taken` (a user of this customer has the address, a deleted one included; an address
   * of another organisation is no conflict).
   */
  @Post()
  @Idempotent()
  @RequirePermission(PERMISSIONS.customerUsersManage)
  @Audited('user.created')
  @ApiResponse(201, CustomerUserWithPasswordSchema, 'The new user and its temporary password.')
  async create(
    @CurrentUser() caller: Caller,
    @Param('customerTenantId', CustomerTenantId) customerTenantId: string,
    @Body(new ZodPipe(CreateUserSchema, 'body')) body: CreateUserInput,
  ) {
    const delegation = await this.delegation.assertDelegatedAdmin(
      caller.tenantId,
      customerTenantId,
    );
    const created = await this.users.create(
      customerTenantId,
      { kind: 'delegated', delegation },
      body,
    );
    return {
      user: toCustomerUser(created.user, customerTenantId),
      temporaryPassword: created.temporaryPassword,
    };
  }

  /**
   * `GET /v1/customers/{customerTenantId}/users/{userId}` → 200 CustomerUser (a deleted one with
   * state `inactive` and `softDeletionTime`). 404 `customer.not_found`, 404 `user.not_found`.
   */
  @Get(':userId')
  @RequirePermission(PERMISSIONS.customerUsersManage)
  @ApiResponse(200, CustomerUserSchema, 'The user.')
  async get(
    @CurrentUser() caller: Caller,
    @Param('customerTenantId', CustomerTenantId) customerTenantId: string,
    @Param('userId', UserId) userId: string,
  ): Promise<CustomerUser> {
    await this.delegation.assertDelegatedAdmin(caller.tenantId, customerTenantId);
    return this.customerUsers.get(customerTenantId, caller.tenantId, userId);
  }

  /**
   * `DELETE /v1/customers/{customerTenantId}/users/{userId}` → 204: a soft deletion (Partner
   * Center's delete-user-accounts-for-a-customer): state `inactive` with `softDeletionTime`,
   * sign-in refused and sessions revoked at once, restorable for `CUSTOMER_USER_RETENTION_DAYS`,
   * then purged. 404 `customer.not_found`, 404 `user.not_found` (also an already deleted user),
   * 403 `user.role_not_grantable` (a Global admin or User management admin), 409
   * `user.last_global_admin`.
   */
  @Delete(':userId')
  @HttpCode(204)
  @RequirePermission(PERMISSIONS.customerUsersManage)
  @Audited('user.deleted')
  @ApiResponse(204, undefined, 'The user is deleted (restorable).')
  async remove(
    @CurrentUser() caller: Caller,
    @Param('customerTenantId', CustomerTenantId) customerTenantId: string,
    @Param('userId', UserId) userId: string,
  ): Promise<void> {
    const delegation = await this.delegation.assertDelegatedAdmin(
      caller.tenantId,
      customerTenantId,
    );
    await this.customerUsers.delete(customerTenantId, delegation, userId);
  }

  /**
   * `PATCH /v1/customers/{customerTenantId}/users/{userId}` `{ state: 'active' }` (Partner
   * Center's "restore a user") → 200 CustomerUser, state `active`; a user that is not deleted is
   * answered as it is. 400 `request.invalid` (any other change), 404 `customer.not_found`, 404
   * `user.not_found` (also deleted longer ago than the retention), 403 `user.role_not_grantable`.
   */
  @Patch(':userId')
  @RequirePermission(PERMISSIONS.customerUsersManage)
  @Audited('user.restored')
  @ApiResponse(200, CustomerUserSchema, 'The restored user.')
  async restore(
    @CurrentUser() caller: Caller,
    @Param('customerTenantId', CustomerTenantId) customerTenantId: string,
    @Param('userId', UserId) userId: string,
    @Body(new ZodPipe(RestoreCustomerUserSchema, 'body'))
    _body: z.infer<typeof RestoreCustomerUserSchema>,
  ): Promise<CustomerUser> {
    const delegation = await this.delegation.assertDelegatedAdmin(
      caller.tenantId,
      customerTenantId,
    );
    return this.customerUsers.restore(customerTenantId, delegation, userId);
  }

  /**
   * `POST /v1/customers/{customerTenantId}/users/{userId}/password-reset` → 200 `{ user:
   * CustomerUser, temporaryPassword }` (shown once; earlier sessions of the user are revoked).
   * 404 `customer.not_found`, 404 `user.not_found` (also a deleted user), 403
   * `user.role_not_grantable` (a Global admin or User management admin).
   */
  @Post(':userId/password-reset')
  @HttpCode(200)
  @RequirePermission(PERMISSIONS.customerUsersManage)
  @Audited('user.password_reset')
  @ApiResponse(200, CustomerUserWithPasswordSchema, 'The user and its new temporary password.')
  async resetPassword(
    @CurrentUser() caller: Caller,
    @Param('customerTenantId', CustomerTenantId) customerTenantId: string,
    @Param('userId', UserId) userId: string,
  ) {
    const delegation = await this.delegation.assertDelegatedAdmin(
      caller.tenantId,
      customerTenantId,
    );
    const reset = await this.users.resetPassword(
      customerTenantId,
      { kind: 'delegated', delegation },
      userId,
    );
    return {
      user: toCustomerUser(reset.user, customerTenantId),
      temporaryPassword: reset.temporaryPassword,
    };
  }

  /**
   * `GET /v1/customers/{customerTenantId}/users/{userId}/directoryroles` → collection of the
   * DirectoryRole the user holds. 404 `customer.not_found`, 404 `user.not_found`.
   */
  @Get(':userId/directoryroles')
  @RequirePermission(PERMISSIONS.customerUsersManage)
  @ApiResponse(200, collectionSchema(DirectoryRoleSchema), "The user's directory roles.")
  async rolesOfUser(
    @CurrentUser() caller: Caller,
    @Param('customerTenantId', CustomerTenantId) customerTenantId: string,
    @Param('userId', UserId) userId: string,
  ): Promise<Collection<DirectoryRole>> {
    await this.delegation.assertDelegatedAdmin(caller.tenantId, customerTenantId);
    return this.customerUsers.rolesOfUser(customerTenantId, userId);
  }
}

/**
 * A customer's directory roles (Partner Center's get-user-roles / set-user-roles /
 * remove-customer-user-from-a-role): each of our customer roles as a Microsoft Entra directory
 * role by its role template id (`directory-roles.ts`; README "Directory roles"). Same access
 * rule as the customer's users: delegated admin privileges, else 404 `customer.not_found`.
 */
@Controller('v1/customers/:customerTenantId/directoryroles')
export class DirectoryRolesController {
  constructor(
    private readonly delegation: DelegatedAdminService,
    private readonly customerUsers: CustomerUsersService,
  ) {}

  /** `GET /v1/customers/{customerTenantId}/directoryroles` → collection of DirectoryRole. */
  @Get()
  @RequirePermission(PERMISSIONS.customerUsersManage)
  @ApiResponse(200, collectionSchema(DirectoryRoleSchema), "The customer's directory roles.")
  async list(
    @CurrentUser() caller: Caller,
    @Param('customerTenantId', CustomerTenantId) customerTenantId: string,
  ): Promise<Collection<DirectoryRole>> {
    await this.delegation.assertDelegatedAdmin(caller.tenantId, customerTenantId);
    return this.customerUsers.directoryRoles(customerTenantId);
  }

  /**
   * `GET …/directoryroles/{roleId}/usermembers?size&seek` → collection of UserMember (the
   * customer's users holding the role, deleted users excepted). 404 `directory_role.not_found`.
   */
  @Get(':roleId/usermembers')
  @RequirePermission(PERMISSIONS.customerUsersManage)
  @ApiResponse(200, collectionSchema(UserMemberSchema), 'The users holding the role.')
  async members(
    @CurrentUser() caller: Caller,
    @Param('customerTenantId', CustomerTenantId) customerTenantId: string,
    @Param('roleId', new ZodPipe(DirectoryRoleId, 'role id')) roleId: string,
    @Query(new ZodPipe(PageQuerySchema, 'query')) page: z.infer<typeof PageQuerySchema>,
  ): Promise<Collection<UserMember>> {
    await this.delegation.assertDelegatedAdmin(caller.tenantId, customerTenantId);
    return this.customerUsers.members(customerTenantId, roleId, page);
  }

  /**
   * `POST …/directoryroles/{roleId}/usermembers` `{ id, displayName?, userPrincipalName? }` → 201
   * UserMember: the user now holds the role. 403 `user.role_not_grantable` (Global admin — Company
   * Administrator —, User management admin — User Account Administrator: a partner never grants
   * them), 404 `directory_role.not_found`, 404 `user.not_found`, 409
   * `directory_role.member_exists`.
   */
  @Post(':roleId/usermembers')
  @RequirePermission(PERMISSIONS.customerUsersManage)
  @Audited('user.role_granted')
  @ApiResponse(201, UserMemberSchema, 'The user added to the role.')
  async addMember(
    @CurrentUser() caller: Caller,
    @Param('customerTenantId', CustomerTenantId) customerTenantId: string,
    @Param('roleId', new ZodPipe(DirectoryRoleId, 'role id')) roleId: string,
    @Body(new ZodPipe(AddUserMemberSchema, 'body')) body: AddUserMemberInput,
  ): Promise<UserMember> {
    const delegation = await this.delegation.assertDelegatedAdmin(
      caller.tenantId,
      customerTenantId,
    );
    return this.customerUsers.addMember(customerTenantId, delegation, roleId, body.id);
  }

  /**
   * `DELETE …/directoryroles/{roleId}/usermembers/{userId}` → 204: the user no longer holds the
   * role (its access tokens revoked). 400 `user.invalid_role` (its only role), 403
   * `user.role_not_grantable`, 404 `directory_role.not_found` / `user.not_found` /
   * `directory_role.member_not_found`, 409 `user.last_global_admin`.
   */
  @Delete(':roleId/usermembers/:userId')
  @HttpCode(204)
  @RequirePermission(PERMISSIONS.customerUsersManage)
  @Audited('user.role_revoked')
  @ApiResponse(204, undefined, 'The user is removed from the role.')
  async removeMember(
    @CurrentUser() caller: Caller,
    @Param('customerTenantId', CustomerTenantId) customerTenantId: string,
    @Param('roleId', new ZodPipe(DirectoryRoleId, 'role id')) roleId: string,
    @Param('userId', UserId) userId: string,
  ): Promise<void> {
    const delegation = await this.delegation.assertDelegatedAdmin(
      caller.tenantId,
      customerTenantId,
    );
    await this.customerUsers.removeMember(customerTenantId, delegation, roleId, userId);
  }
}
