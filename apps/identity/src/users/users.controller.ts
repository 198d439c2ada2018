import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { Caller, CurrentUser, PERMISSIONS, RequirePermission } from '@app/auth';
import { PageQuerySchema, ZodPipe } from '@app/common';
import { Uuid } from '@app/contracts';
import { z } from 'zod';
import { CreateUserInput, CreateUserSchema, UpdateUserRolesSchema } from './dto/user.dto';
import { UsersService } from './users.service';

/**
 * User management of the caller's own organisation (seed 004 "Add a new user", "Assign user
 * permissions"; Global admin and User management admin). Roles must be valid for the tenant kind
 * (400 `user.invalid_role`); the last Global admin cannot be removed or demoted (409
 * `user.last_global_admin`); another tenant's user is 404 `user.not_found`.
 */
@Controller('v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  /** `GET /v1/users?size&seek`: collection of `{ id, email, firstName, lastName, roles, ... }`. */
  @Get()
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
   * first sign-in. 409 `user.email_taken`.
   */
  @Post()
  @RequirePermission(PERMISSIONS.usersManage)
  create(
    @CurrentUser() caller: Caller,
    @Body(new ZodPipe(CreateUserSchema, 'body')) body: CreateUserInput,
  ) {
    return this.users.create(caller.tenantId, body);
  }

  /** `PATCH /v1/users/{id}` `{ roles }` → the user. */
  @Patch(':id')
  @RequirePermission(PERMISSIONS.usersManage)
  updateRoles(
    @CurrentUser() caller: Caller,
    @Param('id', new ZodPipe(Uuid, 'user id')) id: string,
    @Body(new ZodPipe(UpdateUserRolesSchema, 'body')) body: z.infer<typeof UpdateUserRolesSchema>,
  ) {
    return this.users.updateRoles(caller.tenantId, id, body.roles);
  }

  /** `DELETE /v1/users/{id}` → 204. */
  @Delete(':id')
  @HttpCode(204)
  @RequirePermission(PERMISSIONS.usersManage)
  async remove(
    @CurrentUser() caller: Caller,
    @Param('id', new ZodPipe(Uuid, 'user id')) id: string,
  ): Promise<void> {
    await this.users.remove(caller.tenantId, id);
  }
}
