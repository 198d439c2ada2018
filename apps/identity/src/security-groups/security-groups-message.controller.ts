import { CreateRequestContext } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { PATTERNS } from '@app/contracts';
import { handleRpc } from '@app/platform';
import { SecurityGroupsService } from './security-groups.service';

/** The security-group question relationships asks (payload validated by `handleRpc`). */
@Controller()
export class SecurityGroupsMessageController {
  constructor(
    private readonly em: EntityManager,
    private readonly groups: SecurityGroupsService,
  ) {}

  /** `identity.security-groups.get` `{ tenantId, groupId }` → `{ exists, displayName? }`. */
  @MessagePattern(PATTERNS.securityGroupGet)
  @CreateRequestContext()
  get(@Payload() payload: unknown) {
    return handleRpc(PATTERNS.securityGroupGet, payload, (req) => this.groups.lookup(req));
  }
}
