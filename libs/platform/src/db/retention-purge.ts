import { EntityManager } from '@mikro-orm/postgresql';
import {
  FactoryProvider,
  InjectionToken,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';

/** Rows one purge statement deletes at most (the purge repeats until a statement deletes fewer). */
export const RETENTION_PURGE_BATCH = 5000;

/** One table's retention rule, as {@link RetentionPurge} runs it. */
export interface RetentionRule {
  /** Names the rule in logs and in the answer of `purgeOnce` (e.g. `outbox_message`). */
  name: string;
  /**
   * A `delete … where ctid in (select ctid … limit ?)` statement (or any delete bounded by a limit)
   * taking two parameters in order: the retention in seconds, and the batch size.
   */
  sql: string;
  /** How long a finished row is kept, in seconds. */
  retentionSeconds: number;
}

/**
 * Deletes finished rows past their retention (issue 13 goal 6 "Bounded growth": settled outbox rows,
 * processed-request records, delivery records), every `intervalMs` in each instance. A rule only
 * deletes rows that nothing will read again, so instances need no coordination: two purges at
 * once delete disjoint or already-deleted rows. A failure is logged and retried at the next tick.
 * Registered as a provider (`useFactory`), it starts when the application has booted and stops at
 * shutdown; an owner that is not a provider (the outbox relay) calls `start` and `stop` itself.
 */
export class RetentionPurge implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RetentionPurge.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly em: EntityManager,
    private readonly rules: RetentionRule[],
    private readonly intervalMs: number,
  ) {}

  /** Start purging every `intervalMs` (the timer does not keep the process alive). */
  start(): void {
    this.timer = setInterval(() => {
      if (!this.running) {
        this.running = this.purgeOnce().finally(() => (this.running = undefined));
      }
    }, this.intervalMs);
    this.timer.unref();
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  /** Stop the timer and wait for a purge in progress. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Run every rule until it has nothing left to delete; answers rows deleted per rule name. */
  async purgeOnce(): Promise<Record<string, number>> {
    const deleted: Record<string, number> = {};
    for (const rule of this.rules) {
      deleted[rule.name] = 0;
      try {
        for (;;) {
          const count = await this.deleteBatch(rule);
          deleted[rule.name] += count;
          if (count < RETENTION_PURGE_BATCH) break;
        }
      } catch (error) {
        this.logger.warn(
          `retention purge of ${rule.name} failed, will retry: ${(error as Error).message}`,
        );
      }
    }
    return deleted;
  }

  private async deleteBatch(rule: RetentionRule): Promise<number> {
    const connection = this.em.getConnection();
    const result = await connection.execute<{ affectedRows?: number }>(
      rule.sql,
      [rule.retentionSeconds, RETENTION_PURGE_BATCH],
      'run',
    );
    return result.affectedRows ?? 0;
  }
}

/**
 * A provider of the purge of one service's rules, every `RETENTION_PURGE_INTERVAL_SECONDS` of its
 * configuration, for the life of the app: `retentionPurgeProvider('DeliveryRetention', APP_CONFIG,
 * (config) => [deliveryRetentionRule(config)])`.
 */
export function retentionPurgeProvider<C extends { RETENTION_PURGE_INTERVAL_SECONDS: number }>(
  provide: string,
  configToken: InjectionToken,
  rules: (config: C) => RetentionRule[],
): FactoryProvider<RetentionPurge> {
  return {
    provide,
    useFactory: (em: EntityManager, config: C) =>
      new RetentionPurge(em, rules(config), config.RETENTION_PURGE_INTERVAL_SECONDS * 1000),
    inject: [EntityManager, configToken],
  };
}
