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
 * active is reused for at most `TENANT_SNAPSHOT_TTL_MS` (default 1 s) in this process: a new name
 * shows here within that time, and an active enrollment has no way back. Such snapshots expire
 * together, at whole multiples of the TTL on the process's clock, and the partners whose snapshots
 * are read again in the same turn of the event loop share one lookup: many partners sending many
 * requests cost identity a lookup or two a second, not one a second per partner (20 partners under
 * `npm run bench` made 20 lookups a second, each about 3 ms of identity's CPU). Every other snapshot
 * (customers, whose Customer Agreement acceptance must show at once; partners still pending or in
 * review, whose activation must) and unknown ids are read from identity every time.
 */
@Injectable()
export class TenantDirectory {
  private readonly cache: LRUCache<string, TenantSnapshot> | null;
  /** Lookups in flight of settled partners whose snapshot expired, by tenant id. */
  private readonly refreshes = new Map<string, Promise<TenantSnapshot | undefined>>();
  /** The refreshes gathered in this turn of the event loop, looked up together in the next. */
  private batch: { ids: Set<string>; found: Promise<Map<string, TenantSnapshot>> } | null = null;

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
   * share that one lookup (a partner sending 50 requests at once costs identity one call, not 50),
   * and so do the other settled partners read again in the same turn of the event loop.
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
    for (const tenant of await this.lookupInBatches(missing)) result.set(tenant.id, tenant);
    for (const [id, refreshed] of refreshing) {
      const tenant = await refreshed;
      if (tenant) result.set(id, tenant);
    }
    return result;
  }

  /** `lookup` of `tenantIds`, at most `BATCH` ids a call, one call after the other. */
  private async lookupInBatches(tenantIds: string[]): Promise<TenantSnapshot[]> {
    const tenants: TenantSnapshot[] = [];
    for (let i = 0; i < tenantIds.length; i += BATCH) {
      tenants.push(...(await this.lookup(tenantIds.slice(i, i + BATCH))));
    }
    return tenants;
  }

  /**
   * Read `tenantIds` from identity, caching the settled partners among them until the next whole
   * multiple of the TTL on lru-cache's own clock: never longer than the TTL, and expiring together
   * with the snapshots read since the last such moment.
   */
  private async lookup(tenantIds: string[]): Promise<TenantSnapshot[]> {
    const { tenants } = await this.rpc.send(PATTERNS.getTenants, { tenantIds });
    if (this.cache) {
      const { ttl, perf } = this.cache;
      const now = perf.now();
      const start = now - (now % ttl);
      for (const tenant of tenants) {
        if (isSettledPartner(tenant)) this.cache.set(tenant.id, tenant, { start });
      }
    }
    return tenants;
  }

  /** The one lookup in flight of a settled partner whose snapshot expired (started when none is). */
  private refresh(id: string): Promise<TenantSnapshot | undefined> {
    let pending = this.refreshes.get(id);
    if (!pending) {
      pending = this.refreshInBatch(id).finally(() => this.refreshes.delete(id));
      this.refreshes.set(id, pending);
    }
    return pending;
  }

  /**
   * `id` read again together with every other refresh asked for in this turn of the event loop:
   * one lookup (`lookupInBatches`) once the turn's ready requests have all asked.
   */
  private refreshInBatch(id: string): Promise<TenantSnapshot | undefined> {
    if (!this.batch) {
      const ids = new Set<string>();
      const found = new Promise<Map<string, TenantSnapshot>>((resolve, reject) => {
        setImmediate(() => {
          this.batch = null;
          this.lookupInBatches([...ids]).then(
            (tenants) => resolve(new Map(tenants.map((tenant) => [tenant.id, tenant]))),
            reject,
          );
        });
      });
      this.batch = { ids, found };
    }
    this.batch.ids.add(id);
    return this.batch.found.then((tenants) => tenants.get(id));
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
