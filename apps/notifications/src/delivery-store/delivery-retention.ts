import { RetentionRule, retentionPurgeProvider } from '@app/platform';
import { APP_CONFIG, NotificationsConfig } from '../config/notifications.config';

/**
 * Settled delivery records (sent, skipped, failed for good) whose last change is older than
 * `DELIVERY_RECORD_RETENTION_HOURS` (default 30 days) are deleted (issue 13 goal 6 "Bounded
 * growth"). A record is the idempotency guard of its email, so it must outlive every job that
 * could still carry its key: the configuration refuses a retention shorter than
 * `FAILED_JOB_RETENTION_HOURS` (how long a failed job stays in Redis to be replayed). Unsettled
 * records (pending, retrying) are never deleted.
 */
export function deliveryRetentionRule(
  config: Pick<NotificationsConfig, 'DELIVERY_RECORD_RETENTION_HOURS'>,
): RetentionRule {
  return {
    name: 'delivery',
    sql: `delete from "delivery" where "ctid" in (
            select "ctid" from "delivery"
             where "settled" and "updated_at" < now() - make_interval(secs => ?) limit ?)`,
    retentionSeconds: Math.round(config.DELIVERY_RECORD_RETENTION_HOURS * 3600),
  };
}

/** The purge of that rule, every `RETENTION_PURGE_INTERVAL_SECONDS`, for the life of the app. */
export const deliveryRetention = retentionPurgeProvider(
  'DeliveryRetention',
  APP_CONFIG,
  (config: NotificationsConfig) => [deliveryRetentionRule(config)],
);
