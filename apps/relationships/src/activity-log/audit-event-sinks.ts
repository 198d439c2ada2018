import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { AuditEvent } from '@app/contracts';

/**
 * Work that must happen with every audit event, in the transaction that records it: `em` is that
 * transaction's EntityManager (write outbox rows there, never call out), `event` the event as the
 * trail stores it. A sink that throws rolls the change back with its event.
 */
export type AuditEventSink = (em: EntityManager, event: AuditEvent) => Promise<void>;

/**
 * The extension point of the audit trail: features that react to every event (webhooks) register
 * a sink at start-up instead of being imported by the activity log, so that no feature folder
 * cycle appears. `ActivityLogService.record` (and the append of identity's events, only for an
 * event not stored before) awaits each registered sink, in registration order, with the
 * transactional EntityManager, after persisting the entry.
 */
@Injectable()
export class AuditEventSinks {
  private readonly sinks: AuditEventSink[] = [];

  /** Add `sink`; returns a function that removes it again. */
  register(sink: AuditEventSink): () => void {
    this.sinks.push(sink);
    return () => {
      const index = this.sinks.indexOf(sink);
      if (index >= 0) this.sinks.splice(index, 1);
    };
  }

  /** Run every registered sink for `event` in `em`'s transaction, one after the other. */
  async deliver(em: EntityManager, event: AuditEvent): Promise<void> {
    for (const sink of [...this.sinks]) await sink(em, event);
  }
}
