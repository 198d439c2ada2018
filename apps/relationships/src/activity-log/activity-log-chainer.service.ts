import { EntityManager } from '@mikro-orm/postgresql';
import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { ActivityLogChainLink } from './activity-log-chain-link.entity';
import { ActivityLogEntry, auditEventOf } from './activity-log-entry.entity';
import { GENESIS_HASH, chainHash } from './audit-chain';

/** How often the chainer looks for entries to link, in milliseconds. */
export const CHAIN_POLL_INTERVAL_MS = 200;
/** Entries linked per transaction. */
export const CHAIN_BATCH_SIZE = 500;
/**
 * The transaction-level advisory lock that makes one chainer at a time, across every instance of
 * the service, link entries (an arbitrary constant: "AUDITCHN").
 */
export const CHAIN_LOCK_KEY = '4702111234474690638';

/**
 * Links recorded entries into their organisations' hash chains (`audit-chain.ts`) after they
 * commit, so that recording stays one INSERT with no per-organisation lock in the request's
 * transaction. Every {@link CHAIN_POLL_INTERVAL_MS} (again at once while a full batch was linked)
 * one transaction takes the advisory lock {@link CHAIN_LOCK_KEY} (`pg_try_advisory_xact_lock`: an
 * instance that does not get it skips the round, so the chains are written by exactly one chainer
 * at a time), reads up to {@link CHAIN_BATCH_SIZE} unchained entries oldest first, appends one
 * link per entry and organisation (`seq` = the organisation's last + 1, `prev_hash` its hash) and
 * marks the entries chained. A failed round rolls back whole and is retried; failures are logged
 * once per outage and never stop the service.
 */
@Injectable()
export class ActivityLogChainer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ActivityLogChainer.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private failing = false;

  constructor(private readonly em: EntityManager) {}

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.round().then((again) =>
        this.schedule(again ? 0 : CHAIN_POLL_INTERVAL_MS),
      );
    }, delayMs);
  }

  /** One round; true when a full batch was linked (more may wait). */
  private async round(): Promise<boolean> {
    try {
      const linked = await this.chainBatch();
      if (this.failing) this.logger.log('chaining resumed');
      this.failing = false;
      return linked === CHAIN_BATCH_SIZE;
    } catch (error) {
      if (!this.failing) {
        this.logger.warn(`chaining failed, retrying: ${(error as Error).message}`);
      }
      this.failing = true;
      return false;
    }
  }

  /**
   * Link the next batch of unchained entries (exported for tests and the verify script's docs).
   * @returns how many entries were linked; 0 also when another instance holds the lock.
   */
  async chainBatch(): Promise<number> {
    return this.em.fork().transactional(async (tx) => {
      const [lock] = await tx.execute<{ locked: boolean }[]>(
        `select pg_try_advisory_xact_lock(?::bigint) as "locked"`,
        [CHAIN_LOCK_KEY],
      );
      if (!lock?.locked) return 0;
      const entries = await tx.find(
        ActivityLogEntry,
        { chained: false },
        { orderBy: { occurredAt: 'asc', id: 'asc' }, limit: CHAIN_BATCH_SIZE },
      );
      if (entries.length === 0) return 0;
      const tenants = [...new Set(entries.flatMap((entry) => entry.tenantIds))];
      const heads = await tx.execute<{ tenant_id: string; seq: string; hash: string }[]>(
        // Ordered by the bigint column (`c."seq"`), not by the text output column of the same
        // name, which ORDER BY would otherwise pick: as text, seq 9 sorts after 10, and the head of
        // a chain of ten links or more was read as its ninth (duplicate key, chaining stuck).
        `select distinct on (c."tenant_id") c."tenant_id", c."seq"::text as "seq", c."hash" from "activity_log_chain" c where c."tenant_id" = any(?::uuid[]) order by c."tenant_id", c."seq" desc`,
        [`{${tenants.join(',')}}`],
      );
      const head = new Map(
        heads.map((row) => [row.tenant_id, { seq: BigInt(row.seq), hash: row.hash }]),
      );
      for (const entry of entries) {
        const event = auditEventOf(entry);
        for (const tenantId of new Set(entry.tenantIds)) {
          const previous = head.get(tenantId) ?? { seq: 0n, hash: GENESIS_HASH };
          const link = Object.assign(new ActivityLogChainLink(), {
            tenantId,
            seq: String(previous.seq + 1n),
            entryId: entry.id,
            prevHash: previous.hash,
            hash: chainHash(previous.hash, event),
          });
          tx.persist(link);
          head.set(tenantId, { seq: previous.seq + 1n, hash: link.hash });
        }
        entry.chained = true;
      }
      return entries.length;
    });
  }
}
