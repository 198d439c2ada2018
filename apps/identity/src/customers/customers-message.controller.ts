import { EntityManager } from '@mikro-orm/postgresql';
import { CreateRequestContext } from '@mikro-orm/core';
import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { PATTERNS } from '@app/contracts';
import { handleRpc } from '@app/platform';
import { CustomersService } from './customers.service';

/**
 * Request/response handlers relationships calls for customers (payloads validated with the
 * contract schemas by `handleRpc`; errors answered with their code and status).
 */
@Controller()
export class CustomersMessageController {
  constructor(
    private readonly em: EntityManager,
    private readonly customers: CustomersService,
  ) {}

  /**
   * `identity.customer-tenants.create` → `{ tenant, admin: { userId, userPrincipalName } }`;
   * idempotent by `requestId`; 409 `customer.domain_taken` before anything is written.
   */
  @MessagePattern(PATTERNS.createCustomerTenant)
  @CreateRequestContext()
  createCustomerTenant(@Payload() payload: unknown) {
    return handleRpc(PATTERNS.createCustomerTenant, payload, (req) =>
      this.customers.createFromPartner(req),
    );
  }
}
