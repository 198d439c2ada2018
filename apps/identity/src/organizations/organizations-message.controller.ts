import { EntityManager } from '@mikro-orm/postgresql';
import { CreateRequestContext } from '@mikro-orm/core';
import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { PATTERNS } from '@app/contracts';
import { handleRpc } from '@app/platform';
import { OrganizationsService } from './organizations.service';

/**
 * The organisation look-up other services call (payload validated with the contract schema by
 * `handleRpc`; errors answered with their code and status).
 */
@Controller()
export class OrganizationsMessageController {
  constructor(
    private readonly em: EntityManager,
    private readonly organizations: OrganizationsService,
  ) {}

  /** `identity.tenants.get` `{ tenantIds }` → `{ tenants: TenantSnapshot[] }`. */
  @MessagePattern(PATTERNS.getTenants)
  @CreateRequestContext()
  getTenants(@Payload() payload: unknown) {
    return handleRpc(PATTERNS.getTenants, payload, (req) => this.organizations.getTenants(req));
  }
}
