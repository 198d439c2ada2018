import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { AuditEvent } from '@app/contracts';

/** A consumer of every recorded audit event, called inside the transaction that records it. */
export type AuditEventSink = (em: EntityManager, event: AuditEvent) => Promise<void>;

/**
 * The features that act on every audit event the trail records (webhooks fan each event out to
 * the endpoints subscribed to it): each registers a sink at start-up (`onModuleInit`), and the
 * trail calls `dispatch` with the transactional EntityManager for every event it records (its own
 * and identity's, consumed from the `audit-events` queue), so that what a sink writes commits if and
 * only if the event does. A feature that registers imports the activity log, never the other way.
 */
@Injectable()
export class AuditEventSinks {
  private readonly sinks: AuditEventSink[] = [];

  /** Add `sink`; sinks run in the order they were registered. */
  register(sink: AuditEventSink): void {
    this.sinks.push(sink);
  }

  /** Run every sink on `event`, one after the other, in the caller's transaction `em`. */
  async dispatch(em: EntityManager, event: AuditEvent): Promise<void> {
    for (const sink of this.sinks) await sink(em, event);
  }
}
