import type { EventSubscriber, FlushEventArgs, TransactionEventArgs } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { JOB_RETRY } from '@app/contracts';
import { Queue } from 'bullmq';
import { redisOptionsFromUrl } from '../rpc/namespaced-redis.transport';
import { OutboxMessage } from './outbox-message.entity';
import { OUTBOX_OPTIONS, OutboxOptions } from './outbox.options';

interface PendingRow {
  id: string;
  queue: string;
  name: string;
  payload: Record<string, unknown>;
}

/**
 * Relays committed outbox rows to BullMQ: claims a batch with `FOR UPDATE SKIP LOCKED` (several
 * relay instances never relay the same row at once), adds the jobs with `jobId` = row id (BullMQ
 * ignores a second add of the same id), and marks the rows relayed in the same transaction. A
 * failure rolls the batch back and it is retried on the next tick.
 *
 * It relays as soon as a transaction that wrote outbox rows commits in this process (a MikroORM
 * event subscriber notices the rows at flush and the commit after it), and polls every
 * `pollIntervalMs` for rows committed elsewhere or left over after a failure.
 */
@Injectable()
export class OutboxRelay
  implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown, EventSubscriber
{
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly queues = new Map<string, Queue>();
  /** Entity managers whose open transaction has flushed outbox rows. */
  private readonly pendingCommits = new WeakSet<object>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private kickRequested = false;
  private stopped = false;

  constructor(
    private readonly em: EntityManager,
    @Inject(OUTBOX_OPTIONS) private readonly options: OutboxOptions,
  ) {}

  onModuleInit(): void {
    this.em.getEventManager().registerSubscriber(this);
  }

  onApplicationBootstrap(): void {
    this.schedule(0);
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

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }

  /** Relay now instead of waiting for the next poll (after a batch in progress, if any). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) this.kickRequested = true;
    else this.schedule(0);
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.kickRequested = false;
      this.running = this.tick().finally(() => {
        this.running = undefined;
        if (this.kickRequested) this.kick();
      });
    }, delay);
  }

  private async tick(): Promise<void> {
    let relayed = 0;
    try {
      relayed = await this.relayBatch();
    } catch (error) {
      this.logger.warn(`outbox relay failed, will retry: ${(error as Error).message}`);
    }
    this.schedule(relayed >= this.options.batchSize ? 0 : this.options.pollIntervalMs);
  }

  /** Relay one batch; returns how many rows it relayed. */
  async relayBatch(): Promise<number> {
    const em = this.em.fork();
    return em.transactional(async (tx) => {
      const rows: PendingRow[] = await tx.execute(
        `select "id", "queue", "name", "payload" from "outbox_message"
          where "relayed_at" is null order by "created_at" limit ? for update skip locked`,
        [this.options.batchSize],
      );
      if (rows.length === 0) return 0;
      const byQueue = new Map<string, PendingRow[]>();
      for (const row of rows) byQueue.set(row.queue, [...(byQueue.get(row.queue) ?? []), row]);
      for (const [queueName, queued] of byQueue) {
        await this.queue(queueName).addBulk(
          queued.map((row) => ({
            name: row.name,
            data: row.payload,
            opts: {
              jobId: row.id,
              attempts: JOB_RETRY.attempts,
              backoff: { ...JOB_RETRY.backoff },
              removeOnComplete: { age: 24 * 3600 },
              removeOnFail: false,
            },
          })),
        );
      }
      await tx.execute(`update "outbox_message" set "relayed_at" = now() where "id" in (?)`, [
        rows.map((r) => r.id),
      ]);
      return rows.length;
    });
  }

  private queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, {
        connection: { ...redisOptionsFromUrl(this.options.redisUrl), maxRetriesPerRequest: null },
        prefix: this.options.prefix,
      });
      queue.on('error', (error) => this.logger.warn(`queue ${name}: ${error.message}`));
      this.queues.set(name, queue);
    }
    return queue;
  }
}
