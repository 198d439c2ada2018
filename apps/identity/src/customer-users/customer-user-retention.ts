import { RetentionRule, retentionPurgeProvider } from '@app/platform';
import { APP_CONFIG, IdentityConfig } from '../config/identity.config';

/**
 * Customer users soft-deleted longer ago than `CUSTOMER_USER_RETENTION_DAYS` (default 30, Partner
 * Center's restoration window) are purged: the row and, by cascade, its sessions, links and
 * lockouts. Past the window a restore already answers 404, so the purge only removes what nobody
 * can reach again.
 */
export function customerUserRetentionRule(
  config: Pick<IdentityConfig, 'CUSTOMER_USER_RETENTION_DAYS'>,
): RetentionRule {
  return {
    name: 'soft_deleted_user',
    sql: `delete from "user_account" where "ctid" in (
            select "ctid" from "user_account"
             where "soft_deleted_at" < now() - make_interval(secs => ?) limit ?)`,
    retentionSeconds: Math.round(config.CUSTOMER_USER_RETENTION_DAYS * 86_400),
  };
}

/** The purge of that rule, every `RETENTION_PURGE_INTERVAL_SECONDS`, for the life of the app. */
export const customerUserRetention = retentionPurgeProvider(
  'CustomerUserRetention',
  APP_CONFIG,
  (config: IdentityConfig) => [customerUserRetentionRule(config)],
);
