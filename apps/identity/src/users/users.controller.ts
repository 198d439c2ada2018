import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { Caller, CurrentUser, PERMISSIONS, RequirePermission } from '@app/auth';
import { Audited, Idempotent, PageQuerySchema, ZodPipe, ApiResponse } from '@app/platform';
import { Uuid } from '@app/contracts';
import { z } from 'zod';
import {
  CreateUserInput,
  CreateUserSchema,
  UpdateUserRolesSchema,
  UserCollectionSchema,
  UserViewSchema,
  UserWithTemporaryPasswordSchema,
} from './dto/user.dto';
import { UserActor, UsersService } from './users.service';

const member = (caller: Caller): UserActor => ({ kind: 'member', userId: caller.userId });

/**
 * User management of the caller's own organisation (seed 004 "Add a new user", "Assign user
 * permissions"; Global admin and User management admin). Roles must be valid for the tenant kind
 * (400 `user.invalid_role`); the caller may grant, revoke and change only what the role-grant table
 * lets its current roles reach (403 `user.role_not_grantable`: a User management admin neither
 * grants Global admin nor changes a Global admin); the last enabled Global admin can be neither
 * demoted, disabled nor removed (409 `user.last_global_admin`); another tenant's user is 404
 * `user.not_found`.
 */
@Controller('v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  /**
   * `GET /v1/users?size&seek`: collection of `{ id, email, firstName, lastName, roles, locale,
   * passwordTemporary, disabled, status, createdAt }`, `status` one of `active`,
   * `password_change_required`, `disabled`.
   */
  @Get()
  @ApiResponse(200, UserCollectionSchema, "A page of the organisation's users.")
  @RequirePermission(PERMISSIONS.usersManage)
  list(
    @CurrentUser() caller: Caller,
    @Query(new ZodPipe(PageQuerySchema, 'query')) page: z.infer<typeof PageQuerySchema>,
  ) {
    return this.users.list(caller.tenantId, page, '/v1/users');
  }

  /**
   * `POST /v1/users` `{ firstName, lastName, email, roles, locale? }` → 201
   * `{ user, temporaryPassword }`. The temporary password is shown this once and must be changed at
   * first sign-in. 409 `user.email_taken` only when a user of the caller's organisation has the
   * address: an address used in another organisation answers like a fresh one (sign-in names are
   * per organisation, issue 9 point 9). 403 `user.role_not_grantable`.
   */
  @Post()
  @Idempotent()
  @ApiResponse(
    201,
    UserWithTemporaryPasswordSchema,
    'The new user and its one-time temporary password.',
  )
  @RequirePermission(PERMISSIONS.usersManage)
  @Audited('user.created')
  create(
    @CurrentUser() caller: Caller,
    @Body(new ZodPipe(CreateUserSchema, 'body')) body: CreateUserInput,
  ) {
    return this.users.create(caller.tenantId, member(caller), body);
  }

  /** `PATCH /v1/users/{id}` `{ roles }` → the user. */
  @Patch(':id')
  @ApiResponse(200, UserViewSchema, 'The user with its new roles.')
  @RequirePermission(PERMISSIONS.usersManage)
  @Audited('user.role_granted', 'user.role_revoked', 'user.roles_changed')
  updateRoles(
    @CurrentUser() caller: Caller,
    @Param('id', new ZodPipe(Uuid, 'user id')) id: string,
    @Body(new ZodPipe(UpdateUserRolesSchema, 'body')) body: z.infer<typeof UpdateUserRolesSchema>,
  ) {
    return this.users.updateRoles(caller.tenantId, member(caller), id, body.roles);
  }

  /**
   * `POST /v1/users/{id}/password-reset` → 200 `{ user, temporaryPassword }`: a new temporary
   * password, shown this once, to be changed at the next sign-in; the user's earlier sessions are
   * revoked. 409 `user.own_account` for the caller's own account (use `POST /v1/auth/password`).
   */
  @Post(':id/password-reset')
  @ApiResponse(
    200,
    UserWithTemporaryPasswordSchema,
    'The user and its new one-time temporary password.',
  )
  @HttpCode(200)
  @RequirePermission(PERMISSIONS.usersManage)
  @Audited('user.password_reset')
  resetPassword(
    @CurrentUser() caller: Caller,
    @Param('id', new ZodPipe(Uuid, 'user id')) id: string,
  ) {
    return this.users.resetPassword(caller.tenantId, member(caller), id);
  }

  /**
   * `POST /v1/users/{id}/disable` → 200 the user (`disabled: true`): it cannot sign in and its
   * sessions are revoked. Idempotent. 409 `user.own_account` (yourself), 409
   * `user.last_global_admin`.
   */
  @Post(':id/disable')
  @ApiResponse(200, UserViewSchema, 'The disabled user.')
  @HttpCode(200)
  @RequirePermission(PERMISSIONS.usersManage)
  @Audited('user.disabled')
  disable(@CurrentUser() caller: Caller, @Param('id', new ZodPipe(Uuid, 'user id')) id: string) {
    return this.users.setDisabled(caller.tenantId, member(caller), id, true);
  }

  /** `POST /v1/users/{id}/enable` → 200 the user (`disabled: false`). Idempotent. */
  @Post(':id/enable')
  @ApiResponse(200, UserViewSchema, 'The enabled user.')
  @HttpCode(200)
  @RequirePermission(PERMISSIONS.usersManage)
  @Audited('user.enabled')
  enable(@CurrentUser() caller: Caller, @Param('id', new ZodPipe(Uuid, 'user id')) id: string) {
    return this.users.setDisabled(caller.tenantId, member(caller), id, false);
  }

  /** `DELETE /v1/users/{id}` → 204. */
  @Delete(':id')
  @ApiResponse(204, undefined, 'The user is deleted.')
  @HttpCode(204)
  @RequirePermission(PERMISSIONS.usersManage)
  @Audited('user.deleted')
  async remove(
    @CurrentUser() caller: Caller,
    @Param('id', new ZodPipe(Uuid, 'user id')) id: string,
  ): Promise<void> {
    await this.users.remove(caller.tenantId, member(caller), id);
  }
}
