import { EntityManager } from '@mikro-orm/postgresql';
import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { ActivityLogEntry, auditEventOf } from './activity-log-entry.entity';
import { GENESIS_HASH, chainHash } from './audit-chain';

/** How often the chainer looks for entries to link, in milliseconds. */
export const CHAIN_POLL_INTERVAL_MS = 200;
/** Entries linked per transaction. */
export const CHAIN_BATCH_SIZE = 500;
/**
 * How long an entry that could not be linked is held back before the chainer tries it again, in
 * milliseconds (5 minutes).
 */
export const CHAIN_HELD_RETRY_MS = 5 * 60_000;
/**
 * The transaction-level advisory lock that makes one chainer at a time, across every instance of
 * the service, link entries (an arbitrary constant: "AUDITCHN").
 */
export const CHAIN_LOCK_KEY = '4702111234474690638';

/** The last link of an organisation's chain (`seq` 0 and the genesis hash before its first). */
interface ChainHead {
  seq: bigint;
  hash: string;
}

/** An entry this process could not link, and until when it is left out of the batches. */
interface HeldEntry {
  until: number;
}

/** One batch: how many unchained entries were read and how many of them were linked. */
interface BatchOutcome {
  read: number;
  linked: number;
}

/** The update that marks entries chained did not find each of them unchained. */
class EntryAlreadyChainedError extends Error {
  readonly code = 'entry_already_chained';
}

/**
 * Links recorded entries into their organisations' hash chains (`audit-chain.ts`) after they
 * commit, so that recording stays one INSERT with no per-organisation lock in the request's
 * transaction. Every {@link CHAIN_POLL_INTERVAL_MS} (again at once while a full batch was read)
 * one transaction takes the advisory lock {@link CHAIN_LOCK_KEY} (`pg_try_advisory_xact_lock`: an
 * instance that does not get it skips the round, so the chains are written by exactly one chainer
 * at a time), reads up to {@link CHAIN_BATCH_SIZE} unchained entries oldest first, appends one
 * link per entry and organisation (`seq` = the organisation's last + 1, `prev_hash` its hash) and
 * marks the entries chained.
 *
 * An entry is linked at most once: the update that marks it chained must find it unchained, and
 * the `(entry_id, tenant_id)` unique constraint refuses a second link. When a batch cannot be
 * linked because of the data of one of its entries (an integrity or data error: SQLSTATE class 23
 * or 22), the batch is linked entry by entry, each under a savepoint: every entry that can be
 * linked is, and each one that cannot is logged as an error (entry id, organisations, cause),
 * left unchained (listed without a chain position, counted as waiting by `npm run audit:verify`)
 * and held back from this process's batches for {@link CHAIN_HELD_RETRY_MS}, then tried again.
 * Entries of the same organisations recorded later are linked meanwhile, so a held entry that is
 * linked later takes a later position in those chains. Any other failure rolls the round back
 * whole and is retried; such failures are logged once per outage and never stop the service.
 */
@Injectable()
export class ActivityLogChainer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ActivityLogChainer.name);
  private readonly held = new Map<string, HeldEntry>();
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

  /** One round; true when a full batch was read (more may wait). */
  private async round(): Promise<boolean> {
    try {
      const { read } = await this.linkNextBatch();
      if (this.failing) this.logger.log('chaining resumed');
      this.failing = false;
      return read === CHAIN_BATCH_SIZE;
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
   * Entries that cannot be linked are held back and logged (see the class).
   * @returns how many entries were linked; 0 also when another instance holds the lock.
   */
  async chainBatch(): Promise<number> {
    return (await this.linkNextBatch()).linked;
  }

  private async linkNextBatch(): Promise<BatchOutcome> {
    const now = Date.now();
    for (const [id, held] of this.held) if (held.until <= now) this.held.delete(id);
    return this.em.fork().transactional(async (tx) => {
      const [lock] = await tx.execute<{ locked: boolean }[]>(
        `select pg_try_advisory_xact_lock(?::bigint) as "locked"`,
        [CHAIN_LOCK_KEY],
      );
      if (!lock?.locked) return { read: 0, linked: 0 };
      const entries = await tx.find(
        ActivityLogEntry,
        this.held.size > 0
          ? { chained: false, id: { $nin: [...this.held.keys()] } }
          : { chained: false },
        { orderBy: { occurredAt: 'asc', id: 'asc' }, limit: CHAIN_BATCH_SIZE },
      );
      if (entries.length === 0) return { read: 0, linked: 0 };
      const head = await this.heads(tx, entries);
      if (await this.linkUnderSavepoint(tx, entries, head)) {
        return { read: entries.length, linked: entries.length };
      }
      let linked = 0;
      for (const entry of entries) {
        if (await this.linkUnderSavepoint(tx, [entry], head, entry)) linked += 1;
      }
      return { read: entries.length, linked };
    });
  }

  /**
   * The last link of each organisation of `entries`: one backward step of the primary key
   * (`tenant_id`, `seq`) per organisation, whatever the length of its chain (`distinct on` read
   * every link of each organisation, or the whole table).
   */
  private async heads(
    tx: EntityManager,
    entries: ActivityLogEntry[],
  ): Promise<Map<string, ChainHead>> {
    const tenants = [...new Set(entries.flatMap((entry) => entry.tenantIds))];
    // Order by the bigint column, qualified: a bare "seq" would name the text output column, whose
    // order puts seq 9 after seq 10.
    const rows = await tx.execute<{ tenant_id: string; seq: string; hash: string }[]>(
      `select t."id" as "tenant_id", c."seq"::text as "seq", c."hash" from unnest(?::uuid[]) as t("id") cross join lateral (select l."seq", l."hash" from "activity_log_chain" l where l."tenant_id" = t."id" order by l."seq" desc limit 1) c`,
      [`{${tenants.join(',')}}`],
    );
    return new Map(rows.map((row) => [row.tenant_id, { seq: BigInt(row.seq), hash: row.hash }]));
  }

  /**
   * Link `entries` in order under a savepoint; `head` moves on only when they all were. An
   * integrity or data error rolls back to the savepoint and answers false (logged and held when
   * `single` is the one entry); any other error propagates and fails the round.
   */
  private async linkUnderSavepoint(
    tx: EntityManager,
    entries: ActivityLogEntry[],
    head: Map<string, ChainHead>,
    single?: ActivityLogEntry,
  ): Promise<boolean> {
    await tx.execute(`savepoint "chain_link"`);
    try {
      const moved = await this.link(tx, entries, head);
      await tx.execute(`release savepoint "chain_link"`);
      for (const [tenantId, last] of moved) head.set(tenantId, last);
      return true;
    } catch (error) {
      if (!isDataError(error)) throw error;
      await tx.execute(`rollback to savepoint "chain_link"`);
      if (single) this.hold(single, error);
      return false;
    }
  }

  /** Insert the links of `entries` and mark them chained; the heads after them. */
  private async link(
    tx: EntityManager,
    entries: ActivityLogEntry[],
    head: ReadonlyMap<string, ChainHead>,
  ): Promise<Map<string, ChainHead>> {
    const moved = new Map<string, ChainHead>();
    const links = { tenantId: [] as string[], seq: [] as string[], entryId: [] as string[] };
    const hashes = { prev: [] as string[], own: [] as string[] };
    for (const entry of entries) {
      const event = auditEventOf(entry);
      for (const tenantId of new Set(entry.tenantIds)) {
        const previous = moved.get(tenantId) ?? head.get(tenantId) ?? GENESIS;
        const next = { seq: previous.seq + 1n, hash: chainHash(previous.hash, event) };
        links.tenantId.push(tenantId);
        links.seq.push(String(next.seq));
        links.entryId.push(entry.id);
        hashes.prev.push(previous.hash);
        hashes.own.push(next.hash);
        moved.set(tenantId, next);
      }
    }
    await tx.execute(
      `insert into "activity_log_chain" ("tenant_id", "seq", "entry_id", "prev_hash", "hash") select * from unnest(?::uuid[], ?::bigint[], ?::uuid[], ?::text[], ?::text[])`,
      [links.tenantId, links.seq, links.entryId, hashes.prev, hashes.own].map(pgArray),
    );
    const ids = entries.map((entry) => entry.id);
    const marked = await tx.execute<{ id: string }[]>(
      `update "activity_log_entry" set "chained" = true where "id" = any(?::uuid[]) and not "chained" returning "id"`,
      [pgArray(ids)],
    );
    if (marked.length !== ids.length) {
      throw new EntryAlreadyChainedError(
        `${ids.length - marked.length} of the entries were chained meanwhile; not linked twice`,
      );
    }
    return moved;
  }

  private hold(entry: ActivityLogEntry, error: unknown): void {
    this.held.set(entry.id, { until: Date.now() + CHAIN_HELD_RETRY_MS });
    this.logger.error(
      `entry ${entry.id} (organisations ${[...new Set(entry.tenantIds)].join(', ')}) cannot be linked into its hash chains and stays unchained; held back for ${CHAIN_HELD_RETRY_MS / 1000} s, then tried again; the other entries go on being linked. Cause: ${causeOf(error)}`,
    );
  }
}

const GENESIS: ChainHead = { seq: 0n, hash: GENESIS_HASH };

/** A PostgreSQL array literal of values that need no quoting (uuids, integers, hex). */
function pgArray(values: string[]): string {
  return `{${values.join(',')}}`;
}

/**
 * Whether `error` is about the data of the entries being linked: a PostgreSQL integrity
 * constraint violation (SQLSTATE class 23) or data exception (class 22), or an entry found
 * chained already. Such an error holds an entry back; any other fails the round.
 */
function isDataError(error: unknown): boolean {
  if (error instanceof EntryAlreadyChainedError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('23') || code.startsWith('22'));
}

/** The driver's message without the statement MikroORM prefixes it with, and its detail. */
function causeOf(error: unknown): string {
  const { message, code, detail } = error as { message?: string; code?: unknown; detail?: unknown };
  const text = String(message ?? error);
  const cause = text.includes(' - ') ? text.slice(text.lastIndexOf(' - ') + 3) : text;
  return [
    typeof code === 'string' ? `[${code}]` : '',
    cause,
    typeof detail === 'string' ? `(${detail})` : '',
  ]
    .filter(Boolean)
    .join(' ');
}
