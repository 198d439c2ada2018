import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { MetricsRegistry } from '@app/platform';
import { Counter, Gauge } from 'prom-client';

/**
 * What this instance's relay did (module-level, so that the relay keeps its constructor; the
 * process's `OutboxMetrics` registers them). Summed over every instance of a service, each outbox
 * row counts once in `outbox_relayed_total` and once in `outbox_settled_total` however many
 * instances relay and confirm (`FOR UPDATE SKIP LOCKED`, settled only while unsettled): the
 * end-to-end test of several instances reads them.
 * - `outbox_relayed_total`: rows this instance relayed to BullMQ for the first time;
 * - `outbox_relayed_again_total`: rows whose job was missing from Redis, relayed again;
 * - `outbox_settled_total{settlement}`: rows this instance settled (`sent`, `failed`, `skipped`,
 *   `completed`).
 */
export const outboxRelayedTotal = new Counter({
  name: 'outbox_relayed_total',
  help: 'Outbox rows this instance relayed to BullMQ for the first time.',
  registers: [],
});
export const outboxRelayedAgainTotal = new Counter({
  name: 'outbox_relayed_again_total',
  help: 'Outbox rows this instance relayed again because their job was missing from Redis.',
  registers: [],
});
export const outboxSettledTotal = new Counter({
  name: 'outbox_settled_total',
  help: 'Outbox rows this instance settled, by settlement.',
  labelNames: ['settlement'],
  registers: [],
});

/**
 * The outbox's series in the process's Prometheus metrics (issue 13 goal 5), read from the table
 * at each scrape (one query over the partial indexes of unsettled rows):
 * - `outbox_backlog_rows`: committed rows not relayed to BullMQ yet;
 * - `outbox_relay_lag_seconds`: age of the oldest of them (0 when none), i.e. how far the relay
 *   is behind;
 * - `outbox_unsettled_rows`: rows relayed whose consumer has not finished yet.
 * A scrape while the database is away leaves the last values. The relay's counters above are
 * registered here too.
 */
@Injectable()
export class OutboxMetrics {
  constructor(em: EntityManager, metrics: MetricsRegistry) {
    for (const counter of [outboxRelayedTotal, outboxRelayedAgainTotal, outboxSettledTotal]) {
      metrics.registry.registerMetric(counter);
    }
    let reading: Promise<void> | undefined;
    let last = { backlog: 0, lag: 0, unsettled: 0 };
    const read = () => {
      reading ??= em
        .getConnection()
        .execute<{ backlog: number; lag: number; unsettled: number }[]>(
          `select
             (select count(*)::int from "outbox_message" where "relayed_at" is null and "settled_at" is null) as "backlog",
             coalesce((select extract(epoch from now() - min("created_at"))::float8 from "outbox_message"
                        where "relayed_at" is null and "settled_at" is null), 0) as "lag",
             (select count(*)::int from "outbox_message" where "relayed_at" is not null and "settled_at" is null) as "unsettled"`,
        )
        .then(([row]) => {
          if (row) last = { backlog: row.backlog, lag: Number(row.lag), unsettled: row.unsettled };
        })
        .catch(() => undefined)
        .finally(() => (reading = undefined));
      return reading;
    };
    const gauge = (name: string, help: string, pick: (v: typeof last) => number) =>
      new Gauge({
        name,
        help,
        registers: [metrics.registry],
        async collect() {
          await read();
          this.set(pick(last));
        },
      });
    gauge(
      'outbox_backlog_rows',
      'Committed outbox rows not relayed to BullMQ yet.',
      (v) => v.backlog,
    );
    gauge(
      'outbox_relay_lag_seconds',
      'Age of the oldest outbox row not relayed yet, in seconds (0 when none).',
      (v) => v.lag,
    );
    gauge(
      'outbox_unsettled_rows',
      'Outbox rows relayed whose consumer has not finished yet.',
      (v) => v.unsettled,
    );
  }
}
