import { EntityManager } from '@mikro-orm/postgresql';
import { Tenant } from './tenant.entity';

/**
 * The id of the platform operator's own tenant (`kind: 'platform'`, one per deployment: a partial
 * unique index), created here on first use: by the operator's bootstrap, or by whatever needs it
 * first at start-up (the audit event of the first signing key joins its trail). Concurrent first
 * uses create one tenant (`on conflict do nothing`, then read).
 */
export async function ensurePlatformTenant(em: EntityManager): Promise<string> {
  const existing = await em.findOne(Tenant, { kind: 'platform' });
  if (existing) return existing.id;
  await em.execute(
    `insert into "tenant" ("id", "kind", "name", "country", "cloud", "locale", "version", "created_at")
     values (gen_random_uuid(), 'platform', 'Platform operator', 'US', 'public', 'en', 1, now())
     on conflict ("kind") where "kind" = 'platform' do nothing`,
  );
  const created = await em.findOneOrFail(Tenant, { kind: 'platform' }, { refresh: true });
  return created.id;
}
