import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { RetentionPurge } from '@app/platform';
import { APP_CONFIG, IdentityConfig } from '../config/identity.config';

/**
 * Deletes processed-request records (`processed_request`) older than
 * `PROCESSED_REQUEST_RETENTION_HOURS` (default 7 days), every `RETENTION_PURGE_INTERVAL_SECONDS`
 * (issue 13 goal 6 "Bounded growth"). A record only answers a caller that retries the same request
 * id after a timeout, which happens within seconds; a week is far beyond any retry.
 */
@Injectable()
export class ProcessedRequestRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly purge: RetentionPurge;

  constructor(em: EntityManager, @Inject(APP_CONFIG) config: IdentityConfig) {
    this.purge = new RetentionPurge(
      em,
      [
        {
          name: 'processed_request',
          sql: `delete from "processed_request" where "ctid" in (
                  select "ctid" from "processed_request"
                   where "created_at" < now() - make_interval(secs => ?) limit ?)`,
          retentionSeconds: Math.round(config.PROCESSED_REQUEST_RETENTION_HOURS * 3600),
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
