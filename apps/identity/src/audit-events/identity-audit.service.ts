import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { AuditActor, IdentityAuditEventType, JOBS } from '@app/contracts';
import { OutboxService } from '@app/outbox';
import { RequestContext } from '@app/platform';
import { randomUUID } from 'node:crypto';
import { ensurePlatformTenant } from '../organizations/platform-tenant';
import { auditSnapshot } from './audit-snapshot';

/** What an audit event is about: a type of the resource (`user`, `enrollment`…) and its id. */
export interface AuditResource {
  type: string;
  id: string;
}

/** One change to record (see {@link IdentityAudit.record}). */
export interface AuditRecord {
  /** A type of identity's half of the catalogue (`IDENTITY_AUDIT_EVENTS`). */
  type: IdentityAuditEventType;
  /**
   * Every organisation whose trail the event joins (the organisation changed, and the partner
   * acting in it through a delegation, or the other side of a grant). Nulls and repeats are
   * dropped; at least one id must remain.
   */
  tenantIds: readonly (string | null | undefined)[];
  resource: AuditResource;
  /** The changed fields before the change (never a secret: see `auditSnapshot`). */
  before?: unknown;
  /** The changed fields after the change. */
  after?: unknown;
  /** Who caused it; default: from the request being served (see `IdentityAudit.record`). */
  actor?: AuditActor;
  /**
   * The organisation a partner user acted in through a delegation (administrator access of a
   * provider, delegated admin privileges for a customer): written as the default actor's
   * `onBehalfOfTenantId`.
   */
  onBehalfOfTenantId?: string | null;
}

/** A signed-in user of `tenantId` (also a user proving who it is by its password or refresh token). */
export function userActor(userId: string, tenantId: string): AuditActor {
  return { kind: 'user', userId, tenantId, onBehalfOfTenantId: null };
}

/** A caller on a public route (an emailed link's page, sign-up), naming the user a link names. */
export function anonymousActor(userId: string | null = null, tenantId: string | null = null) {
  return { kind: 'anonymous', userId, tenantId, onBehalfOfTenantId: null } satisfies AuditActor;
}

/** Work that runs by itself (expiry, sweeps, key rotation, events from relationships). */
export const SYSTEM_ACTOR: AuditActor = {
  kind: 'system',
  userId: null,
  tenantId: null,
  onBehalfOfTenantId: null,
};

/**
 * Identity's side of the one audit trail (issue 14): every change identity makes is recorded as an
 * `AuditEvent` (`audit.recorded` job, `audit-events` queue) through identity's outbox, in the
 * transaction of the change, so the event exists if and only if the change committed;
 * relationships appends it to the trail once per event id.
 */
@Injectable()
export class IdentityAudit {
  /** The platform tenant's id, read once (it never changes). */
  private platformTenantId: string | undefined;

  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
    private readonly context: RequestContext,
  ) {}

  /**
   * Record `event` in `em` (the transaction of the change; the caller flushes): a new UUID,
   * `occurredAt` now, `source: 'identity'`, the request and correlation ids of the HTTP request
   * being served (`MS-RequestId`, `MS-CorrelationId`; null outside one), `before`/`after` through
   * `auditSnapshot` (no secret). Without `event.actor`, the actor is the request's: its signed-in
   * caller (`operator` when the caller is the platform operator, else `user`, with
   * `event.onBehalfOfTenantId` for a delegated call), `anonymous` on a public route, `system`
   * outside a request (jobs, timers).
   * @returns the event id.
   * @throws Error when no tenant id remains (a bug: every event joins a trail).
   */
  async record(em: EntityManager, event: AuditRecord): Promise<string> {
    const tenantIds = [...new Set(event.tenantIds.filter((id): id is string => !!id))];
    if (tenantIds.length === 0) throw new Error(`audit event ${event.type} names no tenant`);
    const state = this.context.current();
    const actor = event.actor ?? (await this.requestActor(event.onBehalfOfTenantId ?? null));
    const id = randomUUID();
    this.outbox.enqueue(em, JOBS.auditRecorded, {
      id,
      occurredAt: new Date().toISOString(),
      type: event.type,
      actor,
      tenantIds,
      resource: event.resource,
      before: auditSnapshot(event.before),
      after: auditSnapshot(event.after),
      requestId: state.requestId,
      correlationId: state.correlationId,
      source: 'identity',
    });
    return id;
  }

  /**
   * The id of the platform tenant (the trail of platform-wide events: signing keys, the operator's
   * account), created on first use and committed at once on a connection of its own (never in a
   * caller's transaction, whose rollback would leave a remembered id naming nothing); read once.
   */
  async platformTenant(): Promise<string> {
    this.platformTenantId ??= await ensurePlatformTenant(this.em.fork());
    return this.platformTenantId;
  }

  /** The actor of the request being served (see `record`). */
  private async requestActor(onBehalfOfTenantId: string | null): Promise<AuditActor> {
    const { caller, requestId } = this.context.current();
    if (!caller) return requestId === null ? SYSTEM_ACTOR : anonymousActor();
    const operator = caller.tenantId === (await this.platformTenant());
    return {
      kind: operator ? 'operator' : 'user',
      userId: caller.userId,
      tenantId: caller.tenantId,
      onBehalfOfTenantId,
    };
  }
}
