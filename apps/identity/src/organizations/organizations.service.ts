import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { GetTenantsRequestSchema, PATTERNS, RpcResponse } from '@app/contracts';
import { z } from 'zod';
import { toTenantSnapshot } from './tenant-snapshot';
import { Tenant } from './tenant.entity';

/** Organisations (tenants) as the other services look them up. */
@Injectable()
export class OrganizationsService {
  constructor(private readonly em: EntityManager) {}

  /** `identity.tenants.get`: snapshots of the known ids; unknown ids are simply absent. */
  async getTenants(
    req: z.infer<typeof GetTenantsRequestSchema>,
  ): Promise<RpcResponse<typeof PATTERNS.getTenants>> {
    const tenants = await this.em.find(
      Tenant,
      { id: { $in: [...new Set(req.tenantIds)] } },
      { orderBy: { id: 'asc' } },
    );
    return { tenants: tenants.map(toTenantSnapshot) };
  }
}
