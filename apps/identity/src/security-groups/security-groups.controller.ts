import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { Caller, CurrentUser, PERMISSIONS, RequirePermission } from '@app/auth';
import { ApiResponse, Audited, PageQuerySchema, ZodPipe } from '@app/platform';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import {
  AddMemberInput,
  AddMemberSchema,
  CreateSecurityGroupInput,
  CreateSecurityGroupSchema,
  GroupIdParamSchema,
  MemberParamSchema,
  SecurityGroupCollectionSchema,
  SecurityGroupSchema,
} from './dto/security-group.dto';
import { SecurityGroupsService } from './security-groups.service';

/**
 * A partner's security groups (issue 10 part 2): groups of its own users that GDAP access
 * assignments name. Read: partner Global admin, User management admin, Admin agent
 * (`security-groups.read`); change: Global admin, User management admin (`security-groups.manage`).
 * Another organisation's group answers 404 `security_group.not_found` as one that exists nowhere.
 */
@Controller('v1/security-groups')
export class SecurityGroupsController {
  constructor(private readonly groups: SecurityGroupsService) {}

  /**
   * `POST /v1/security-groups` `{ displayName, description? }` → 201 the group (no members) +
   * `Location`. 403 `security_group.partner_only`.
   */
  @Post()
  @RequirePermission(PERMISSIONS.securityGroupsManage)
  @Audited('security_group.created')
  @ApiResponse(201, SecurityGroupSchema, 'The new security group.', ['Location'])
  async create(
    @CurrentUser() caller: Caller,
    @Body(new ZodPipe(CreateSecurityGroupSchema, 'body')) body: CreateSecurityGroupInput,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const group = await this.groups.create(caller.tenantId, body);
    void reply.header('location', `/v1/security-groups/${group.id}`);
    return group;
  }

  /** `GET /v1/security-groups?size&seek` → collection of groups (without members), oldest first. */
  @Get()
  @RequirePermission(PERMISSIONS.securityGroupsRead)
  @ApiResponse(200, SecurityGroupCollectionSchema, 'A page of security groups.')
  list(
    @CurrentUser() caller: Caller,
    @Query(new ZodPipe(PageQuerySchema, 'query')) page: z.infer<typeof PageQuerySchema>,
  ) {
    return this.groups.list(caller.tenantId, page);
  }

  /** `GET /v1/security-groups/{id}` → the group with `members`. 404 `security_group.not_found`. */
  @Get(':id')
  @RequirePermission(PERMISSIONS.securityGroupsRead)
  @ApiResponse(200, SecurityGroupSchema, 'The security group with its members.')
  get(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(GroupIdParamSchema, 'path')) params: { id: string },
  ) {
    return this.groups.get(caller.tenantId, params.id);
  }

  /** `DELETE /v1/security-groups/{id}` → 204. 404 `security_group.not_found`. */
  @Delete(':id')
  @HttpCode(204)
  @RequirePermission(PERMISSIONS.securityGroupsManage)
  @Audited('security_group.deleted')
  @ApiResponse(204, undefined, 'Deleted, with its memberships.')
  async remove(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(GroupIdParamSchema, 'path')) params: { id: string },
  ): Promise<void> {
    await this.groups.remove(caller.tenantId, params.id);
  }

  /**
   * `POST /v1/security-groups/{id}/members` `{ userId }` → 204 (idempotent). 404
   * `security_group.not_found`, 404 `user.not_found` (not a user of the caller's organisation).
   */
  @Post(':id/members')
  @HttpCode(204)
  @RequirePermission(PERMISSIONS.securityGroupsManage)
  @Audited('security_group.member_added')
  @ApiResponse(204, undefined, 'The user is a member.')
  async addMember(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(GroupIdParamSchema, 'path')) params: { id: string },
    @Body(new ZodPipe(AddMemberSchema, 'body')) body: AddMemberInput,
  ): Promise<void> {
    await this.groups.addMember(caller.tenantId, params.id, body.userId);
  }

  /**
   * `DELETE /v1/security-groups/{id}/members/{userId}` → 204. 404 `security_group.not_found`,
   * 404 `security_group.member_not_found`.
   */
  @Delete(':id/members/:userId')
  @HttpCode(204)
  @RequirePermission(PERMISSIONS.securityGroupsManage)
  @Audited('security_group.member_removed')
  @ApiResponse(204, undefined, 'The user is no longer a member.')
  async removeMember(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(MemberParamSchema, 'path')) params: { id: string; userId: string },
  ): Promise<void> {
    await this.groups.removeMember(caller.tenantId, params.id, params.userId);
  }
}
