import { EntityManager } from '@mikro-orm/postgresql';
import { CreateRequestContext } from '@mikro-orm/core';
import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { PATTERNS } from '@app/contracts';
import { handleRpc } from '@app/platform';
import { OrganizationMembersService } from './organization-members.service';

/**
 * The membership question other services ask (payload validated with the contract schema by
 * `handleRpc`; a bad payload answers 400 `message.invalid`).
 */
@Controller()
export class OrganizationMembersMessageController {
  constructor(
    private readonly em: EntityManager,
    private readonly members: OrganizationMembersService,
  ) {}

  /** `identity.organizations.has-user` `{ tenantId, email }` → `{ member }`. */
  @MessagePattern(PATTERNS.organizationHasUser)
  @CreateRequestContext()
  hasUser(@Payload() payload: unknown) {
    return handleRpc(PATTERNS.organizationHasUser, payload, (req) => this.members.hasUser(req));
  }

  /** `identity.organizations.addresses` `{ tenantId }` → `{ emails }`. */
  @MessagePattern(PATTERNS.organizationAddresses)
  @CreateRequestContext()
  addresses(@Payload() payload: unknown) {
    return handleRpc(PATTERNS.organizationAddresses, payload, (req) => this.members.addresses(req));
  }

  /** `identity.organizations.admins` `{ tenantId }` → `{ admins }`. */
  @MessagePattern(PATTERNS.organizationAdmins)
  @CreateRequestContext()
  admins(@Payload() payload: unknown) {
    return handleRpc(PATTERNS.organizationAdmins, payload, (req) => this.members.admins(req));
  }
}
