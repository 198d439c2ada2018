import { CreateRequestContext } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { PATTERNS } from '@app/contracts';
import { handleRpc } from '@app/platform';
import { AccessAssignmentsService } from './access-assignments.service';

/** The GDAP access question identity asks on every delegated call (validated by `handleRpc`). */
@Controller()
export class GdapAccessMessageController {
  constructor(
    private readonly em: EntityManager,
    private readonly assignments: AccessAssignmentsService,
  ) {}

  /**
   * `relationships.gdap.access` `{ partnerTenantId, customerTenantId, groupIds }` → `{ related,
   * roles, relationshipId? }`.
   */
  @MessagePattern(PATTERNS.gdapAccess)
  @CreateRequestContext()
  access(@Payload() payload: unknown) {
    return handleRpc(PATTERNS.gdapAccess, payload, (req) => this.assignments.access(req));
  }
}
