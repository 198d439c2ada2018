import { RetentionRule, retentionPurgeProvider } from '@app/platform';
import { APP_CONFIG, IdentityConfig } from '../config/identity.config';

/**
 * Processed-request records (`processed_request`) older than `PROCESSED_REQUEST_RETENTION_HOURS`
 * (default 7 days) are deleted (issue 13 goal 6 "Bounded growth"). A record only answers a caller
 * that retries the same request id after a timeout, which happens within seconds; a week is far
 * beyond any retry.
 */
export function processedRequestRetentionRule(
  config: Pick<IdentityConfig, 'PROCESSED_REQUEST_RETENTION_HOURS'>,
): RetentionRule {
  return {
    name: 'processed_request',
    sql: `delete from "processed_request" where "ctid" in (
            select "ctid" from "processed_request"
             where "created_at" < now() - make_interval(secs => ?) limit ?)`,
    retentionSeconds: Math.round(config.PROCESSED_REQUEST_RETENTION_HOURS * 3600),
  };
}

/** The purge of that rule, every `RETENTION_PURGE_INTERVAL_SECONDS`, for the life of the app. */
export const processedRequestRetention = retentionPurgeProvider(
  'ProcessedRequestRetention',
  APP_CONFIG,
  (config: IdentityConfig) => [processedRequestRetentionRule(config)],
);
