import { Inject, Injectable } from '@nestjs/common';
import { Caller } from '@app/auth';
import { DomainError, RpcClient } from '@app/platform';
import { PartnerType, PATTERNS, TenantSnapshot } from '@app/contracts';
import { LRUCache } from 'lru-cache';
import { APP_CONFIG, RelationshipsConfig } from '../config/relationships.config';

/** Largest batch `identity.tenants.get` accepts. */
const BATCH = 100;

/** Whether a snapshot may be reused: a partner whose enrollment is active (a state with no way back). */
function isSettledPartner(tenant: TenantSnapshot): boolean {
  return tenant.kind === 'partner' && tenant.partner?.status === 'active';
}

/** Snapshots kept at most (a bounded memory cost, whatever the number of tenants). */
const CACHED_SNAPSHOTS = 10_000;

/**
 * Tenant snapshots (name, country, cloud, partner type, Partner ID (MPN ID), enrollment status)
 * read from identity over `PATTERNS.getTenants`. Identity owns tenants; this service never stores
 * them except as named snapshots on its own records. The snapshot of a partner whose enrollment is
 * active is reused for `TENANT_SNAPSHOT_TTL_MS` (default 1 s) in this process, so that a partner
 * sending many requests costs identity one lookup a second, not one per request: a new name shows
 * here within that time, and an active enrollment has no way back. Every other snapshot (customers,
 * whose Customer Agreement acceptance must show at once; partners still pending or in review,
 * whose activation must) and unknown ids are read from identity every time.
 */
@Injectable()
export class TenantDirectory {
  private readonly cache: LRUCache<string, TenantSnapshot> | null;
  /** Lookups in flight of settled partners whose snapshot expired, by tenant id. */
  private readonly refreshes = new Map<string, Promise<TenantSnapshot | undefined>>();

  constructor(
    private readonly rpc: RpcClient,
    @Inject(APP_CONFIG) config: Pick<RelationshipsConfig, 'TENANT_SNAPSHOT_TTL_MS'>,
  ) {
    const ttl = config.TENANT_SNAPSHOT_TTL_MS;
    this.cache = ttl > 0 ? new LRUCache({ max: CACHED_SNAPSHOTS, ttl }) : null;
  }

  /**
   * One tenant.
   * @throws 404 `tenant.not_found` when identity does not know it; 503 when identity does not answer.
   */
  async get(tenantId: string): Promise<TenantSnapshot> {
    const tenant = (await this.getMany([tenantId])).get(tenantId);
    if (!tenant) throw new DomainError('tenant.not_found', 404, 'The tenant was not found.');
    return tenant;
  }

  /**
   * Several tenants by id (unknown ids are simply absent from the map). A settled partner whose
   * snapshot just expired is read again once however many requests want it at that moment: they
   * share that one lookup (a partner sending 50 requests at once costs identity one call, not 50).
   */
  async getMany(ids: Iterable<string>): Promise<Map<string, TenantSnapshot>> {
    const result = new Map<string, TenantSnapshot>();
    const missing: string[] = [];
    const refreshing: [string, Promise<TenantSnapshot | undefined>][] = [];
    for (const id of new Set(ids)) {
      const expired = this.cache?.peek(id, { allowStale: true });
      const cached = this.cache?.get(id);
      if (cached) result.set(id, cached);
      else if (expired || this.refreshes.has(id)) refreshing.push([id, this.refresh(id)]);
      else missing.push(id);
    }
    for (let i = 0; i < missing.length; i += BATCH) {
      for (const tenant of await this.lookup(missing.slice(i, i + BATCH))) {
        result.set(tenant.id, tenant);
      }
    }
    for (const [id, refreshed] of refreshing) {
      const tenant = await refreshed;
      if (tenant) result.set(id, tenant);
    }
    return result;
  }

  /** Read `tenantIds` from identity, caching the settled partners among them. */
  private async lookup(tenantIds: string[]): Promise<TenantSnapshot[]> {
    const { tenants } = await this.rpc.send(PATTERNS.getTenants, { tenantIds });
    for (const tenant of tenants) {
      if (isSettledPartner(tenant)) this.cache?.set(tenant.id, tenant);
    }
    return tenants;
  }

  /** The one lookup in flight of a settled partner whose snapshot expired (started when none is). */
  private refresh(id: string): Promise<TenantSnapshot | undefined> {
    let pending = this.refreshes.get(id);
    if (!pending) {
      pending = this.lookup([id])
        .then((tenants) => tenants.find((tenant) => tenant.id === id))
        .finally(() => this.refreshes.delete(id));
      this.refreshes.set(id, pending);
    }
    return pending;
  }

  /**
   * The caller's own tenant, which must be a partner whose enrollment is `active` (seed 004: only
   * active partners transact). With `expected`, a cached snapshot of another partner type is read
   * again from identity first: a partner's type changes only by its own action or the operator's
   * (`direct` → `indirect_reseller`, seed 004), and the next request must see it. The caller still
   * decides what a wrong type means.
   * @throws 403 `partner.not_active` otherwise.
   */
  async requireActivePartner(caller: Caller, expected?: PartnerType): Promise<TenantSnapshot> {
    let tenant = caller.tenantKind === 'partner' ? await this.get(caller.tenantId) : undefined;
    if (
      tenant &&
      expected &&
      tenant.partner?.partnerType !== expected &&
      this.cache?.has(tenant.id)
    ) {
      // A direct partner that just added the indirect reseller role (seed 004) may still be cached
      // as direct here: read identity once more before the caller's rule refuses it.
      this.cache.delete(tenant.id);
      tenant = await this.get(tenant.id);
    }
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
