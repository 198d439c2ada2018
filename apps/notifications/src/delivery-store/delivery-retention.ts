import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { RetentionPurge } from '@app/platform';
import { APP_CONFIG, NotificationsConfig } from '../config/notifications.config';

/**
 * Deletes settled delivery records (sent, skipped, failed for good) whose last change is older
 * than `DELIVERY_RECORD_RETENTION_HOURS` (default 30 days), every
 * `RETENTION_PURGE_INTERVAL_SECONDS` (issue 13 goal 6 "Bounded growth"). A record is the
 * idempotency guard of its email, so it must outlive every job that could still carry its key: the
 * configuration refuses a retention shorter than `FAILED_JOB_RETENTION_HOURS` (how long a failed
 * job stays in Redis to be replayed). Unsettled records (pending, retrying) are never deleted.
 */
@Injectable()
export class DeliveryRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly purge: RetentionPurge;

  constructor(em: EntityManager, @Inject(APP_CONFIG) config: NotificationsConfig) {
    this.purge = new RetentionPurge(
      em,
      [
        {
          name: 'delivery',
          sql: `delete from "delivery" where "ctid" in (
                  select "ctid" from "delivery"
                   where "settled" and "updated_at" < now() - make_interval(secs => ?) limit ?)`,
          retentionSeconds: Math.round(config.DELIVERY_RECORD_RETENTION_HOURS * 3600),
        },
      ],
      config.RETENTION_PURGE_INTERVAL_SECONDS * 1000,
    );
  }

  onApplicationBootstrap(): void {
    this.purge.start();
  }

  /** One purge now; answers the rows deleted. */
  purgeOnce(): Promise<Record<string, number>> {
    return this.purge.purgeOnce();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.purge.stop();
  }
}
