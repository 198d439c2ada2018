import { Injectable } from '@nestjs/common';
import { Caller } from '@app/auth';
import { DomainError, RpcClient } from '@app/common';
import { PATTERNS, TenantSnapshot } from '@app/contracts';

/** Largest batch `identity.tenants.get` accepts. */
const BATCH = 100;

/**
 * Tenant snapshots (name, country, cloud, partner type, Partner ID (MPN ID), enrollment status)
 * read from identity over `PATTERNS.getTenants`. Identity owns tenants; this service never stores
 * them except as named snapshots on its own records.
 */
@Injectable()
export class TenantDirectory {
  constructor(private readonly rpc: RpcClient) {}

  /**
   * One tenant.
   * @throws 404 `tenant.not_found` when identity does not know it; 503 when identity does not answer.
   */
  async get(tenantId: string): Promise<TenantSnapshot> {
    const tenant = (await this.getMany([tenantId])).get(tenantId);
    if (!tenant) throw new DomainError('tenant.not_found', 404, 'The tenant was not found.');
    return tenant;
  }

  /** Several tenants by id (unknown ids are simply absent from the map). */
  async getMany(ids: Iterable<string>): Promise<Map<string, TenantSnapshot>> {
    const unique = [...new Set(ids)];
    const result = new Map<string, TenantSnapshot>();
    for (let i = 0; i < unique.length; i += BATCH) {
      const { tenants } = await this.rpc.send(PATTERNS.getTenants, {
        tenantIds: unique.slice(i, i + BATCH),
      });
      for (const tenant of tenants) result.set(tenant.id, tenant);
    }
    return result;
  }

  /**
   * The caller's own tenant, which must be a partner whose enrollment is `active` (seed 004: only
   * active partners transact).
   * @throws 403 `partner.not_active` otherwise.
   */
  async requireActivePartner(caller: Caller): Promise<TenantSnapshot> {
    const tenant = caller.tenantKind === 'partner' ? await this.get(caller.tenantId) : undefined;
    if (tenant?.kind !== 'partner' || tenant.partner?.status !== 'active') {
      throw new DomainError(
        'partner.not_active',
        403,
        'Only partners whose enrollment is active can do this.',
        { status: tenant?.partner?.status ?? null },
      );
    }
    return tenant;
  }
}
