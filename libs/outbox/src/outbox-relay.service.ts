import type { EventSubscriber, FlushEventArgs, TransactionEventArgs } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleInit,
} from '@nestjs/common';
import { PATTERNS } from '@app/contracts';
import { Queue } from 'bullmq';
import Redis, { RedisOptions } from 'ioredis';
import { RetentionPurge, RetentionRule, RpcClient } from '@app/platform';
import { redisOptionsFromUrl } from '@app/platform';
import {
  DeliveryAnswer,
  JobPresence,
  UnsettledRow,
  confirmedByDeliveryRecord,
  decideConfirmation,
  deliveryKeyOf,
  jobOptionsOf,
} from './outbox-confirmation';
import { OutboxListener } from './outbox-listener';
import { outboxRelayedAgainTotal, outboxRelayedTotal, outboxSettledTotal } from './outbox-metrics';
import { OUTBOX_NOTIFY_CHANNEL, OutboxMessage, OutboxSettlement } from './outbox-message.entity';
import { OUTBOX_OPTIONS, OutboxOptions } from './outbox.options';

/**
 * The outbox's retention rule: settled rows whose settlement is older than `retentionSeconds` are
 * deleted. Settled rows are read by nothing but an operator; `cancelEmail` treats a row that is
 * gone as settled.
 */
export function outboxRetentionRule(retentionSeconds: number): RetentionRule {
  return {
    name: 'outbox_message',
    sql: `delete from "outbox_message" where "ctid" in (
            select "ctid" from "outbox_message"
             where "settled_at" < now() - make_interval(secs => ?) limit ?)`,
    retentionSeconds,
  };
}

/** Longest a Redis call of the relay may take before the round is abandoned (and retried). */
const REDIS_CALL_TIMEOUT_MS = 10_000;
/** Rows asked about per `PATTERNS.deliveryStatus` call (the contract's maximum). */
const MAX_CONFIRM_BATCH = 1000;
const DEFAULT_CONFIRM_INTERVAL_MS = 2000;
const DEFAULT_CONFIRM_AFTER_MS = 5000;

/** What one confirmation round did. */
export interface ConfirmationRound {
  checked: number;
  settled: number;
  relayedAgain: number;
  waiting: number;
}

/**
 * Relays committed outbox rows to BullMQ and confirms that their consumers finished them.
 *
 * Relaying: claims a batch of unrelayed rows with `FOR UPDATE SKIP LOCKED` (several relay
 * instances never relay the same row at once), adds the jobs with `addBulk` and `jobId` = row id
 * (BullMQ ignores an add whose job still exists), and marks the rows relayed in the same
 * transaction; a failure rolls the batch back and it is relayed on the next tick. It runs as soon
 * as a transaction of this process that wrote outbox rows commits (a MikroORM event subscriber),
 * when PostgreSQL notifies `outbox_message` (an insert trigger; any process), and every
 * `pollIntervalMs` as a fallback (the LISTEN connection reconnects with backoff when dropped).
 *
 * Confirming: every `confirmIntervalMs` it claims (again `FOR UPDATE SKIP LOCKED`, at most 1000,
 * `checked_at` = now, so that a backlog larger than one round is checked in turn) the relayed,
 * unsettled rows relayed or checked more than `confirmAfterMs` ago; then, with no transaction
 * open, reads where their jobs are in Redis and asks the notifications worker what it recorded
 * for the emails (`PATTERNS.deliveryStatus`); then per row (`decideConfirmation`) settles it
 * (`settled_at`, `settlement`; an email's sealed link is removed from the payload), relays it
 * again with the same `jobId` when its job is missing (`relay_count` + 1), or lets it wait. An RPC
 * that times out leaves the emails for a later round.
 *
 * Redis and PostgreSQL outages never crash the process: the failure is logged once and the round
 * is retried on the next tick. `beforeApplicationShutdown` stops both loops, waits for a round in
 * progress, and closes its connections.
 */
@Injectable()
export class OutboxRelay
  implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown, EventSubscriber
{
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly queues = new Map<string, Queue>();
  /** Entity managers whose open transaction has flushed outbox rows. */
  private readonly pendingCommits = new WeakSet<object>();
  private readonly problems = new ProblemLog(this.logger);
  private readonly relayLoop = new Loop(() => this.relayTick(), KICK_GATHER_MS);
  private readonly confirmLoop = new Loop(() => this.confirmTick());
  private readonly listener: OutboxListener | undefined;
  private readonly rpc: RpcClient | undefined;
  private readonly purge: RetentionPurge | undefined;
  private redis: Redis | undefined;

  constructor(
    private readonly em: EntityManager,
    @Inject(OUTBOX_OPTIONS) private readonly options: OutboxOptions,
  ) {
    if (options.databaseUrl) {
      this.listener = new OutboxListener({
        connectionString: options.databaseUrl,
        channel: OUTBOX_NOTIFY_CHANNEL,
        onNotify: () => this.kick(),
      });
    }
    if (options.rpc) {
      this.rpc = new RpcClient({ ...options.rpc, name: 'outbox-relay' });
    }
    if (options.rowRetention) {
      this.purge = new RetentionPurge(
        em,
        [outboxRetentionRule(options.rowRetention.retentionSeconds)],
        options.rowRetention.purgeIntervalMs,
      );
    }
  }

  onModuleInit(): void {
    this.em.getEventManager().registerSubscriber(this);
  }

  onApplicationBootstrap(): void {
    this.redisClient();
    this.relayLoop.start();
    this.confirmLoop.start(this.confirmIntervalMs);
    this.listener?.start();
    this.purge?.start();
  }

  /** MikroORM hook: remember that this transaction writes outbox rows. */
  onFlush(args: FlushEventArgs): void {
    if (args.uow.getChangeSets().some((cs) => cs.entity instanceof OutboxMessage)) {
      this.pendingCommits.add(args.em);
    }
  }

  /** MikroORM hook: the rows are committed, relay them now. */
  afterTransactionCommit(args: TransactionEventArgs): void {
    if (this.pendingCommits.delete(args.em)) this.kick();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([
      this.relayLoop.stop(),
      this.confirmLoop.stop(),
      this.listener?.stop(),
      this.purge?.stop(),
    ]);
    await Promise.all([
      ...[...this.queues.values()].map((q) => q.close().catch(() => undefined)),
      this.rpc?.onApplicationShutdown().catch(() => undefined),
      this.redis?.quit().catch(() => undefined),
    ]);
  }

  /** Relay now instead of waiting for the next poll (after a batch in progress, if any). */
  kick(): void {
    this.relayLoop.kick();
  }

  private get confirmIntervalMs(): number {
    return this.options.confirmIntervalMs ?? DEFAULT_CONFIRM_INTERVAL_MS;
  }

  private async relayTick(): Promise<number> {
    try {
      const relayed = await this.relayBatch();
      this.problems.resolved('relay', 'outbox relay recovered');
      return relayed >= this.options.batchSize ? 0 : this.options.pollIntervalMs;
    } catch (error) {
      this.problems.report('relay', `outbox relay failed, will retry: ${messageOf(error)}`);
      return this.options.pollIntervalMs;
    }
  }

  private async confirmTick(): Promise<number> {
    try {
      const round = await this.confirmBatch();
      this.problems.resolved('confirm', 'outbox confirmation recovered');
      return round.checked >= this.confirmBatchSize ? 0 : this.confirmIntervalMs;
    } catch (error) {
      this.problems.report(
        'confirm',
        `outbox confirmation failed, will retry: ${messageOf(error)}`,
      );
      return this.confirmIntervalMs;
    }
  }

  private get confirmBatchSize(): number {
    return Math.min(this.options.confirmBatchSize ?? MAX_CONFIRM_BATCH, MAX_CONFIRM_BATCH);
  }

  /** Relay one batch of unrelayed rows; returns how many rows it relayed. */
  async relayBatch(): Promise<number> {
    const relayed = await this.em.fork().transactional(async (tx) => {
      const rows: UnsettledRow[] = await tx.execute(
        `select "id", "queue", "name", "payload" from "outbox_message"
          where "relayed_at" is null and "settled_at" is null
          order by "created_at" limit ? for update skip locked`,
        [this.options.batchSize],
      );
      if (rows.length === 0) return 0;
      await this.addJobs(rows);
      await tx.execute(
        `update "outbox_message" set "relayed_at" = now(), "last_relayed_at" = now(),
            "checked_at" = now(), "relay_count" = "relay_count" + 1
          where "id" in (?)`,
        [rows.map((r) => r.id)],
      );
      return rows.length;
    });
    // Counted once committed: a batch rolled back is relayed (and counted) on a later tick.
    if (relayed > 0) outboxRelayedTotal.inc(relayed);
    return relayed;
  }

  /**
   * Run one confirmation round (see the class comment) in three steps, so that no transaction is
   * open while Redis and the notifications worker are asked (DESIGN.md: no service-to-service call
   * inside a database transaction; a worker that is down would otherwise hold the rows' locks and a
   * pooled connection for a whole RPC timeout): claim the due rows (`checked_at` = now in a short
   * transaction, so that another relay instance does not claim them again before `confirmAfterMs`),
   * then read their jobs' state and ask the worker, outside any transaction, then apply the
   * decisions in a second short transaction, to the rows that are still unsettled.
   */
  async confirmBatch(): Promise<ConfirmationRound> {
    const rows = await this.claimForConfirmation();
    const round: ConfirmationRound = {
      checked: rows.length,
      settled: 0,
      relayedAgain: 0,
      waiting: 0,
    };
    if (rows.length === 0) return round;
    // Where the jobs are first, then what the worker recorded: a job that completes in between
    // is then either answered settled or (at worst) relayed again and found done by the worker.
    const presence = await this.jobPresence(rows);
    const deliveries = await this.deliveryAnswers(rows.filter(confirmedByDeliveryRecord));
    const settle = new Map<OutboxSettlement, string[]>();
    const relay: UnsettledRow[] = [];
    for (const row of rows) {
      const decision = decideConfirmation(
        row,
        presence.get(row.id) ?? 'queued',
        deliveries === undefined ? undefined : (deliveries.get(deliveryKeyOf(row)) ?? null),
      );
      switch (decision.action) {
        case 'settle':
          settle.set(decision.settlement, [...(settle.get(decision.settlement) ?? []), row.id]);
          break;
        case 'relay':
          relay.push(row);
          break;
        case 'wait':
          // Its `checked_at` was set when it was claimed.
          round.waiting += 1;
          break;
      }
    }
    if (settle.size === 0 && relay.length === 0) return round;
    const settledBy = new Map<OutboxSettlement, number>();
    await this.em.fork().transactional(async (tx) => {
      for (const [settlement, ids] of settle) {
        const settled: { id: string }[] = await tx.execute(
          `update "outbox_message" set "settled_at" = now(), "settlement" = ?,
              "payload" = "payload" - 'sealedLink'
            where "id" in (?) and "settled_at" is null
            returning "id"`,
          [settlement, ids],
        );
        round.settled += settled.length;
        settledBy.set(settlement, settled.length);
      }
      if (relay.length === 0) return;
      // Only rows still unsettled (a cancellation may have settled one meanwhile), locked until
      // their jobs are added and the count is written.
      const due: { id: string }[] = await tx.execute(
        `select "id" from "outbox_message" where "id" in (?) and "settled_at" is null
          for update skip locked`,
        [relay.map((r) => r.id)],
      );
      const dueIds = new Set(due.map((r) => r.id));
      const again = relay.filter((r) => dueIds.has(r.id));
      if (again.length === 0) return;
      await this.addJobs(again);
      await tx.execute(
        `update "outbox_message" set "last_relayed_at" = now(), "checked_at" = now(),
            "relay_count" = "relay_count" + 1
          where "id" in (?)`,
        [again.map((r) => r.id)],
      );
      round.relayedAgain = again.length;
      this.logger.warn(
        `relayed again ${again.length} outbox row(s) whose jobs were missing from Redis: ${again
          .slice(0, 5)
          .map((r) => `${r.name} ${r.id}`)
          .join(', ')}${again.length > 5 ? ', …' : ''}`,
      );
    });
    // Counted once committed.
    for (const [settlement, count] of settledBy) {
      if (count > 0) outboxSettledTotal.inc({ settlement }, count);
    }
    if (round.relayedAgain > 0) outboxRelayedAgainTotal.inc(round.relayedAgain);
    return round;
  }

  /**
   * Claim the relayed, unsettled rows due for a check (at most `confirmBatchSize`, `FOR UPDATE
   * SKIP LOCKED`): their `checked_at` becomes now, and the transaction commits at once.
   */
  private claimForConfirmation(): Promise<UnsettledRow[]> {
    return this.em.fork().transactional(async (tx) => {
      const rows: UnsettledRow[] = await tx.execute(
        `select "id", "queue", "name", "payload" from "outbox_message"
          where "relayed_at" is not null and "settled_at" is null
            and "checked_at" <= now() - (? * interval '1 millisecond')
          order by "checked_at" limit ? for update skip locked`,
        [this.options.confirmAfterMs ?? DEFAULT_CONFIRM_AFTER_MS, this.confirmBatchSize],
      );
      if (rows.length > 0) {
        await tx.execute(`update "outbox_message" set "checked_at" = now() where "id" in (?)`, [
          rows.map((r) => r.id),
        ]);
      }
      return rows;
    });
  }

  /** Add the rows' jobs to their queues (`jobId` = row id; an existing job is left as it is). */
  private async addJobs(rows: UnsettledRow[]): Promise<void> {
    const byQueue = new Map<string, UnsettledRow[]>();
    for (const row of rows) byQueue.set(row.queue, [...(byQueue.get(row.queue) ?? []), row]);
    for (const [queueName, queued] of byQueue) {
      await withTimeout(
        this.queue(queueName).addBulk(
          queued.map((row) => ({
            name: row.name,
            data: row.payload,
            opts: jobOptionsOf(row, this.options.jobRetention),
          })),
        ),
        `adding ${queued.length} job(s) to ${queueName}`,
      );
    }
  }

  /**
   * Where each row's job is, read with O(1) commands per job (the job hash, and its score in the
   * queue's `completed` and `failed` sets), never by scanning the wait list: cheap even with
   * thousands of jobs waiting.
   */
  private async jobPresence(rows: UnsettledRow[]): Promise<Map<string, JobPresence>> {
    const redis = this.redisClient();
    // Commands are not queued while disconnected: the round fails at once and is retried.
    if (redis.status !== 'ready') throw new Error(`Redis is not connected (${redis.status})`);
    const pipeline = redis.pipeline();
    for (const row of rows) {
      const queue = this.queue(row.queue);
      pipeline.exists(queue.toKey(row.id));
      pipeline.zscore(queue.keys.completed, row.id);
      pipeline.zscore(queue.keys.failed, row.id);
    }
    const results = await withTimeout(pipeline.exec(), `reading ${rows.length} job state(s)`);
    if (!results) throw new Error('Redis answered no job states');
    const presence = new Map<string, JobPresence>();
    rows.forEach((row, i) => {
      const [exists, completed, failed] = results.slice(i * 3, i * 3 + 3).map(([error, value]) => {
        if (error) throw error;
        return value;
      });
      presence.set(
        row.id,
        failed !== null
          ? 'failed'
          : completed !== null
            ? 'completed'
            : exists === 1
              ? 'queued'
              : 'missing',
      );
    });
    return presence;
  }

  /**
   * The worker's records for the rows' idempotency keys (`null` entries: no record), or
   * `undefined` when it could not be asked this round (no RPC configured, timeout, no worker).
   */
  private async deliveryAnswers(
    rows: UnsettledRow[],
  ): Promise<Map<string, DeliveryAnswer> | undefined> {
    if (rows.length === 0) return new Map();
    if (!this.rpc) return undefined;
    const keys = [...new Set(rows.map(deliveryKeyOf))];
    try {
      const answer = await this.rpc.send(PATTERNS.deliveryStatus, { idempotencyKeys: keys });
      this.problems.resolved('delivery-status', 'the notifications worker answers again');
      return new Map(
        answer.deliveries.map((d) => [d.idempotencyKey, { status: d.status, settled: d.settled }]),
      );
    } catch (error) {
      this.problems.report(
        'delivery-status',
        `cannot ask the notifications worker about its deliveries, will ask again: ${messageOf(error)}`,
      );
      return undefined;
    }
  }

  private connectionOptions(): RedisOptions {
    return {
      ...redisOptionsFromUrl(this.options.redisUrl),
      // Fail fast while Redis is away (the round is retried) instead of queueing commands inside
      // an open database transaction; reconnect within two seconds once it is back.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy: (times: number) => Math.min(times * 200, 2000),
    };
  }

  private redisClient(): Redis {
    if (!this.redis) {
      this.redis = new Redis(this.connectionOptions());
      this.redis.on('error', (error: Error) =>
        this.problems.report('redis', `outbox relay Redis connection: ${error.message}`),
      );
      this.redis.on('ready', () => this.problems.resolved('redis', 'outbox relay Redis is back'));
    }
    return this.redis;
  }

  private queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, {
        connection: this.connectionOptions(),
        prefix: this.options.prefix,
      });
      queue.on('error', (error) =>
        this.problems.report(`queue ${name}`, `queue ${name}: ${error.message}`),
      );
      this.queues.set(name, queue);
    }
    return queue;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `promise`, or a rejection naming `what` after `REDIS_CALL_TIMEOUT_MS`. */
async function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`Redis did not answer in ${REDIS_CALL_TIMEOUT_MS} ms (${what})`)),
          REDIS_CALL_TIMEOUT_MS,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Logs a recurring failure once when it starts (or changes) and once when it is over, instead of
 * on every tick of an outage.
 */
class ProblemLog {
  private readonly current = new Map<string, string>();

  constructor(private readonly logger: Logger) {}

  report(key: string, message: string): void {
    if (this.current.get(key) === message) return;
    this.current.set(key, message);
    this.logger.warn(message);
  }

  resolved(key: string, message: string): void {
    if (this.current.delete(key)) this.logger.log(message);
  }
}

/**
 * How long a kicked relay waits for company before it runs: the rows committed meanwhile (under
 * load, one per request) go out in the same batch, one transaction and one Redis round trip for
 * all of them instead of one each. A few milliseconds on the way to the inbox.
 */
export const KICK_GATHER_MS = 5;

/**
 * A task that runs again after the delay its run returns, can be kicked to run soon (`gatherMs`
 * after the kick, or after a run in progress; kicks meanwhile join that run), and stops cleanly
 * (waiting for a run in progress).
 */
export class Loop {
  private timer: NodeJS.Timeout | undefined;
  /** When the pending timer fires (epoch ms). */
  private dueAt = 0;
  private running: Promise<void> | undefined;
  private kickRequested = false;
  private stopped = false;

  constructor(
    private readonly run: () => Promise<number>,
    private readonly gatherMs = 0,
  ) {}

  start(delay = 0): void {
    this.schedule(delay);
  }

  kick(): void {
    if (this.stopped) return;
    if (this.running) this.kickRequested = true;
    // A run already due within the gathering window takes this kick's rows too.
    else if (!this.timer || this.dueAt > Date.now() + this.gatherMs) this.schedule(this.gatherMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.dueAt = Date.now() + delay;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.kickRequested = false;
      this.running = this.run().then(
        (next) => {
          this.running = undefined;
          this.schedule(this.kickRequested ? Math.min(this.gatherMs, next) : next);
        },
        () => {
          // The runs above catch their own failures; this only keeps the loop alive regardless.
          this.running = undefined;
          this.schedule(1000);
        },
      );
    }, delay);
  }
}
