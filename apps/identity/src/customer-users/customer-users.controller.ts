import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { Caller, CurrentUser, PERMISSIONS, RequirePermission } from '@app/auth';
import { Audited, Idempotent, PageQuerySchema, ZodPipe } from '@app/platform';
import { Uuid } from '@app/contracts';
import { z } from 'zod';
import { CreateUserInput, CreateUserSchema } from '../users/dto/user.dto';
import { UsersService } from '../users/users.service';
import { DelegatedAdminService } from './delegated-admin.service';

/**
 * A partner's Admin agents (and Global admins) manage a customer's users while the partner holds
 * an active reseller relationship with delegated admin privileges for that customer (seeds 000/004:
 * "manage the customer's account, services, users, and licenses"). Before every call identity asks
 * relationships: no such privileges, or an unknown customer → 404 `customer.not_found`, the same
 * body either way (issue 9 point 16: a partner cannot tell another partner's customer from an id
 * that exists nowhere); relationships silent → 503 `dependency.unavailable`. The partner acts as a
 * delegated manager: it grants Billing admin only, never Global admin or User management admin,
 * and does not reset the password of a user holding them (403 `user.role_not_grantable`), so the
 * customer's own admins, who alone accept relationships and revoke delegated admin privileges, stay
 * in control. Every user it creates records the grant and is disabled when the privileges end
 * (issue 9 point 3). Same shapes as `/v1/users`.
 */
@Controller('v1/customers/:customerTenantId/users')
export class CustomerUsersController {
  constructor(
    private readonly delegation: DelegatedAdminService,
    private readonly users: UsersService,
  ) {}

  /** `GET /v1/customers/{customerTenantId}/users?size&seek` → collection of the customer's users. */
  @Get()
  @RequirePermission(PERMISSIONS.customerUsersManage)
  async list(
    @CurrentUser() caller: Caller,
    @Param('customerTenantId', new ZodPipe(Uuid, 'customer tenant id')) customerTenantId: string,
    @Query(new ZodPipe(PageQuerySchema, 'query')) page: z.infer<typeof PageQuerySchema>,
  ) {
    await this.delegation.assertDelegatedAdmin(caller.tenantId, customerTenantId);
    return this.users.list(
      customerTenantId,
      page,
      `/v1/customers/${customerTenantId}/users`,
      caller.tenantId,
    );
  }

  /**
   * `POST /v1/customers/{customerTenantId}/users` `{ firstName, lastName, email, roles, locale? }`
   * → 201 `{ user, temporaryPassword }` (shown once; the user changes it at first sign-in;
   * `user.delegation` names the grant). 400 `user.invalid_role`, 403 `user.role_not_grantable`
   * (Global admin, User management admin), 404 `customer.not_found`, 409 `user.email_taken` (a
   * user of this customer has the address; an address of another organisation is no conflict).
   */
  @Post()
  @Idempotent()
  @RequirePermission(PERMISSIONS.customerUsersManage)
  @Audited('user.created')
  async create(
    @CurrentUser() caller: Caller,
    @Param('customerTenantId', new ZodPipe(Uuid, 'customer tenant id')) customerTenantId: string,
    @Body(new ZodPipe(CreateUserSchema, 'body')) body: CreateUserInput,
  ) {
    const delegation = await this.delegation.assertDelegatedAdmin(
      caller.tenantId,
      customerTenantId,
    );
    return this.users.create(customerTenantId, { kind: 'delegated', delegation }, body);
  }

  /**
   * `POST /v1/customers/{customerTenantId}/users/{userId}/password-reset` → 200 `{ user,
   * temporaryPassword }` (shown once; earlier sessions of the user are revoked). 404
   * `customer.not_found`, 404 `user.not_found`, 403 `user.role_not_grantable` (a Global admin or
   * User management admin).
   */
  @Post(':userId/password-reset')
  @HttpCode(200)
  @RequirePermission(PERMISSIONS.customerUsersManage)
  @Audited('user.password_reset')
  async resetPassword(
    @CurrentUser() caller: Caller,
    @Param('customerTenantId', new ZodPipe(Uuid, 'customer tenant id')) customerTenantId: string,
    @Param('userId', new ZodPipe(Uuid, 'user id')) userId: string,
  ) {
    const delegation = await this.delegation.assertDelegatedAdmin(
      caller.tenantId,
      customerTenantId,
    );
    return this.users.resetPassword(customerTenantId, { kind: 'delegated', delegation }, userId);
  }
}
