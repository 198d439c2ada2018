import { CreateRequestContext } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { PATTERNS } from '@app/contracts';
import { handleRpc } from '@app/platform';
import { DelegatedAdminService } from './delegated-admin.service';

/**
 * Request/response handlers about delegated admin privileges for the other services (payloads
 * validated with the contract schema by `handleRpc`; a bad payload answers 400 `message.invalid`).
 */
@Controller()
export class DelegatedAdminMessageController {
  constructor(
    private readonly em: EntityManager,
    private readonly delegatedAdmin: DelegatedAdminService,
  ) {}

  /**
   * `relationships.delegated-admin.status` `{ partnerTenantId, customerTenantId }` →
   * `{ active, relationshipId? }`: identity asks before a partner manages a customer's users.
   */
  @MessagePattern(PATTERNS.delegatedAdminStatus)
  @CreateRequestContext()
  status(@Payload() payload: unknown) {
    return handleRpc(PATTERNS.delegatedAdminStatus, payload, (req) =>
      this.delegatedAdmin.status(req),
    );
  }
}
