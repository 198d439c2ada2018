import { MikroORM } from '@mikro-orm/postgresql';
import { REVOCATION_CLOCK_SKEW_SECONDS, TokenRevocations } from '@app/auth';
import { databaseOptions } from '@app/platform';
import type { IdentityConfig } from '../config/identity.config';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/** One account minted under the old administrator access and retired now. */
export interface RetiredAccount {
  /** The reseller's organisation the account lives in. */
  tenantId: string;
  userId: string;
  email: string;
  /** The indirect provider that minted it. */
  delegatedByTenantId: string;
}

/**
 * Retires the accounts an indirect provider minted in an indirect reseller's organisation under the
 * old administrator access (issue 9's `POST /v1/organizations/{id}/users`, `delegation.kind`
 * `admin_access`), now that the provider acts there only through a delegated admin relationship the
 * reseller approves (issue 10). In one transaction: every such account not retired before is
 * recorded in `retired_minted_account`, disabled, its `sessionsRevokedAt` set and its refresh
 * tokens revoked; once committed, its access tokens are refused on every service (the revocation
 * list in Redis, as `SessionRevocationService.revokeUsers` does). Idempotent: an account retired
 * once is never touched again (one its reseller enabled since stays enabled), so a second run
 * retires nothing.
 * @returns the accounts retired by this run, ordered by tenant and email.
 */
export async function retireMintedAccounts(
  config: Pick<
    IdentityConfig,
    'DATABASE_URL' | 'REDIS_URL' | 'BULLMQ_PREFIX' | 'ACCESS_TOKEN_TTL_SECONDS'
  >,
): Promise<RetiredAccount[]> {
  const orm = await MikroORM.init(databaseOptions(config.DATABASE_URL, ENTITIES, MIGRATIONS));
  let retired: RetiredAccount[];
  try {
    retired = await orm.em.fork().transactional(async (tx) => {
      const now = new Date();
      const rows = await tx.execute<
        { tenant_id: string; user_id: string; email: string; delegated_by_tenant_id: string }[]
      >(
        `with minted as (
           select u."id", u."tenant_id", u."email", u."delegated_by_tenant_id"
             from "user_account" u
            where u."delegation_kind" = 'admin_access'
              and not exists (select 1 from "retired_minted_account" r where r."user_id" = u."id")
            for update of u
         ), recorded as (
           insert into "retired_minted_account"
             ("user_id", "tenant_id", "delegated_by_tenant_id", "email", "retired_at")
           select "id", "tenant_id", "delegated_by_tenant_id", "email", ? from minted
           on conflict ("user_id") do nothing
           returning "user_id", "tenant_id", "delegated_by_tenant_id", "email"
         )
         select "tenant_id", "user_id", "email", "delegated_by_tenant_id" from recorded
          order by "tenant_id", "email"`,
        [now],
      );
      const ids = rows.map((row) => row.user_id);
      if (ids.length > 0) {
        await tx.execute(
          `update "user_account" set "disabled" = true, "sessions_revoked_at" = ?
            where "id" = any(?::uuid[])`,
          [now, `{${ids.join(',')}}`],
        );
        await tx.execute(
          `update "refresh_token" set "revoked_at" = ?
            where "user_id" = any(?::uuid[]) and "revoked_at" is null`,
          [now, `{${ids.join(',')}}`],
        );
      }
      return rows.map((row) => ({
        tenantId: row.tenant_id,
        userId: row.user_id,
        email: row.email,
        delegatedByTenantId: row.delegated_by_tenant_id,
      }));
    });
  } finally {
    await orm.close(true);
  }
  if (retired.length > 0) {
    const revocations = new TokenRevocations({
      redisUrl: config.REDIS_URL,
      bullmqPrefix: config.BULLMQ_PREFIX,
    });
    try {
      await revocations.revokeUsers(
        retired.map((account) => account.userId),
        new Date(),
        config.ACCESS_TOKEN_TTL_SECONDS + REVOCATION_CLOCK_SKEW_SECONDS,
      );
    } finally {
      await revocations.onModuleDestroy();
    }
  }
  return retired;
}

/**
 * The `migrate` output of `retireMintedAccounts`: a header with the count, then one line per
 * account retired (`tenant <tenantId> user <userId> <email> minted by <providerTenantId>`); empty
 * when none was (the migrate step then prints nothing more).
 */
export function formatRetired(retired: readonly RetiredAccount[]): string {
  if (retired.length === 0) return '';
  return [
    `minted accounts retired (disabled, sessions revoked): ${retired.length}`,
    ...retired.map(
      (a) =>
        `  tenant ${a.tenantId} user ${a.userId} ${a.email} minted by ${a.delegatedByTenantId}`,
    ),
  ].join('\n');
}
