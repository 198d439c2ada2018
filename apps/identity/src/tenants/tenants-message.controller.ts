import { EntityManager } from '@mikro-orm/postgresql';
import { CreateRequestContext } from '@mikro-orm/core';
import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { PATTERNS } from '@app/contracts';
import { handleRpc } from '@app/platform';
import { CustomersService } from './customers.service';
import { TenantsService } from './tenants.service';

/**
 * Request/response handlers for the other services (payloads validated with the contract schemas
 * by `handleRpc`; errors answered with their code and status).
 */
@Controller()
export class TenantsMessageController {
  constructor(
    private readonly em: EntityManager,
    private readonly tenants: TenantsService,
    private readonly customers: CustomersService,
  ) {}

  /** `identity.tenants.get` `{ tenantIds }` → `{ tenants: TenantSnapshot[] }`. */
  @MessagePattern(PATTERNS.getTenants)
  @CreateRequestContext()
  getTenants(@Payload() payload: unknown) {
    return handleRpc(PATTERNS.getTenants, payload, (req) => this.tenants.getTenants(req));
  }

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

  /** `identity.customer-agreement.accept` → `{ tenant }`; idempotent; 404 `customer.not_found`. */
  @MessagePattern(PATTERNS.acceptCustomerAgreement)
  @CreateRequestContext()
  acceptCustomerAgreement(@Payload() payload: unknown) {
    return handleRpc(PATTERNS.acceptCustomerAgreement, payload, (req) =>
      this.tenants.acceptCustomerAgreement(req),
    );
  }
}
