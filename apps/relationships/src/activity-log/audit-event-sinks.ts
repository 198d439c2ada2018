import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { AuditEvent } from '@app/contracts';
import type { SqlParams } from '@app/platform';

/**
 * Work that must happen with every audit event, in the transaction that records it: `em` is that
 * transaction's EntityManager (write outbox rows there, never call out), `event` the event as the
 * trail stores it. A sink that throws rolls the change back with its event.
 */
export type AuditEventSink = (em: EntityManager, event: AuditEvent) => Promise<void>;

/**
 * The same work as an `AuditEventSink`, written by the statement that records the event (issue 13:
 * no round trip of its own): data-modifying CTEs (`"name" as (…)`, names unique within one
 * statement, values added to `params`) that do exactly what the sink would do in the transaction.
 */
export type AuditEventStatementSink = (event: AuditEvent, params: SqlParams) => string[];

/**
 * The extension point of the audit trail: features that react to every event (webhooks) register
 * a sink at start-up instead of being imported by the activity log, so that no feature folder
 * cycle appears. `ActivityLogService.record` (and the append of identity's events, only for an
 * event not stored before) awaits each registered sink, in registration order, with the
 * transactional EntityManager, after persisting the entry.
 */
@Injectable()
export class AuditEventSinks {
  private readonly sinks: { sink: AuditEventSink; inStatement?: AuditEventStatementSink }[] = [];

  /**
   * Add `sink`, and optionally its statement form `inStatement` (used by `deliverInStatement`);
   * returns a function that removes it again.
   */
  register(sink: AuditEventSink, inStatement?: AuditEventStatementSink): () => void {
    const entry = { sink, inStatement };
    this.sinks.push(entry);
    return () => {
      const index = this.sinks.indexOf(entry);
      if (index >= 0) this.sinks.splice(index, 1);
    };
  }

  /** Run every registered sink for `event` in `em`'s transaction, one after the other. */
  async deliver(em: EntityManager, event: AuditEvent): Promise<void> {
    for (const { sink } of [...this.sinks]) await sink(em, event);
  }

  /** True when every registered sink has a statement form (`deliverInStatement` needs no `em`). */
  allInStatement(): boolean {
    return this.sinks.every(({ inStatement }) => inStatement !== undefined);
  }

  /**
   * For an event recorded by a statement of the caller's (`ActivityLogService.recordInStatement`):
   * the CTEs of every sink that has a statement form, to be written in that statement; the other
   * sinks run in `em`'s transaction, in registration order, before it returns.
   */
  async deliverInStatement(
    em: EntityManager,
    event: AuditEvent,
    params: SqlParams,
  ): Promise<string[]> {
    const ctes: string[] = [];
    for (const { sink, inStatement } of [...this.sinks]) {
      if (inStatement) ctes.push(...inStatement(event, params));
      else await sink(em, event);
    }
    return ctes;
  }
}
