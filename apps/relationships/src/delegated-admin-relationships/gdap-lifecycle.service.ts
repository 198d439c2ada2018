import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { OutboxService } from '@app/outbox';
import { ActivityLogService } from '../activity-log/activity-log.service';
import {
  DelegatedAdminRelationship,
  DelegatedAdminRelationshipRequest,
} from './delegated-admin-relationship.entity';
import {
  DelegatedAdminRelationshipsService,
  Recipient,
  snapshot,
  tenantsOf,
} from './delegated-admin-relationships.service';
import { deleteLiveAssignments } from './access-assignments.service';
import { AUTO_EXTEND_DAYS } from './gdap-duration';
import { GLOBAL_ADMINISTRATOR } from './gdap-roles';

/** How often each instance looks for due relationships, in milliseconds. */
export const GDAP_LIFECYCLE_INTERVAL_MS = 1000;
/** Due relationships handled per round. */
const BATCH = 50;
const DAY_MS = 86_400_000;

/** What is due for a relationship. */
export type DueStep = 'expiring' | 'notice7' | 'notice1' | 'expired' | 'extend' | 'approvalExpired';

/**
 * The due relationships, one step each (the SQL twin of {@link isDue}): an active relationship
 * without auto-extension 30 days from its end moves to `expiring`; an expiring one gets its 7-day
 * and 1-day notices (a notice that a later one already covers is skipped) and expires at its end;
 * a P180D relationship without Global Administrator rolls forward at its end; an approval not
 * given within 90 days expires.
 */
const DUE_SQL = `
  select "id", case
    when "status" = 'approvalPending' then 'approvalExpired'
    when "status" = 'active' and "auto_extend_duration" = 'P180D' and not "roles" @> jsonb_build_array(?::text) then 'extend'
    when "status" = 'active' then 'expiring'
    when "end_at" <= now() then 'expired'
    when "end_at" <= now() + interval '1 day' then 'notice1'
    else 'notice7' end as "step"
  from "delegated_admin_relationship"
  where ("status" = 'approvalPending' and "approval_expires_at" <= now())
     or ("status" = 'active' and "auto_extend_duration" = 'P180D' and not "roles" @> jsonb_build_array(?::text) and "end_at" <= now())
     or ("status" = 'active' and not ("auto_extend_duration" = 'P180D' and not "roles" @> jsonb_build_array(?::text)) and "end_at" <= now() + interval '30 days')
     or ("status" = 'expiring' and "end_at" <= now())
     or ("status" = 'expiring' and "notice1_sent_at" is null and "end_at" <= now() + interval '1 day')
     or ("status" = 'expiring' and "notice7_sent_at" is null and "end_at" > now() + interval '1 day' and "end_at" <= now() + interval '7 days')
  order by "end_at" nulls first, "id"
  limit ${BATCH}`;

/** Whether `step` is still due for `row` at `now` (checked again under the row lock). */
export function isDue(row: DelegatedAdminRelationship, step: DueStep, now: Date): boolean {
  const end = row.endAt?.getTime() ?? Infinity;
  const t = now.getTime();
  const extends180 =
    row.autoExtendDuration === 'P180D' && !row.roles.includes(GLOBAL_ADMINISTRATOR);
  switch (step) {
    case 'approvalExpired':
      return (
        row.status === 'approvalPending' &&
        !!row.approvalExpiresAt &&
        row.approvalExpiresAt.getTime() <= t
      );
    case 'extend':
      return row.status === 'active' && extends180 && end <= t;
    case 'expiring':
      return row.status === 'active' && !extends180 && end <= t + 30 * DAY_MS;
    case 'expired':
      return row.status === 'expiring' && end <= t;
    case 'notice1':
      return row.status === 'expiring' && !row.notice1SentAt && end > t && end <= t + DAY_MS;
    case 'notice7':
      return (
        row.status === 'expiring' && !row.notice7SentAt && end > t + DAY_MS && end <= t + 7 * DAY_MS
      );
  }
}

/**
 * The lifecycle work of delegated admin relationships that runs by itself (issue 10): expiry
 * (`expiring` 30 days ahead with the 30-day notice, 7- and 1-day notices, `expired` at the end),
 * the 180-day roll-forward of `P180D` relationships, and the 90-day expiry of approval requests.
 *
 * Every instance polls every {@link GDAP_LIFECYCLE_INTERVAL_MS}; each step runs exactly once across
 * instances: the recipients are read from identity outside any transaction, then one transaction
 * per relationship takes the relationship's transaction-level advisory lock
 * (`pg_try_advisory_xact_lock`, as the activity-log chainer and key rotation do: an instance that
 * does not get it leaves the relationship to the one that did), locks the row and checks again
 * that the step is still due ({@link isDue}) before it writes the change, its activity-log entry
 * and its emails (outbox). The second instance finds the step done and writes nothing.
 */
@Injectable()
export class GdapLifecycleService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(GdapLifecycleService.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private failing = false;

  constructor(
    private readonly em: EntityManager,
    private readonly relationships: DelegatedAdminRelationshipsService,
    private readonly activityLog: ActivityLogService,
    private readonly outbox: OutboxService,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.round().then(() => this.schedule());
    }, GDAP_LIFECYCLE_INTERVAL_MS);
  }

  private async round(): Promise<void> {
    try {
      await this.runDue();
      if (this.failing) this.logger.log('GDAP lifecycle resumed');
      this.failing = false;
    } catch (error) {
      if (!this.failing) {
        this.logger.warn(`GDAP lifecycle round failed, retrying: ${(error as Error).message}`);
      }
      this.failing = true;
    }
  }

  /** One round: every due step of up to 50 relationships. @returns how many steps this instance wrote. */
  async runDue(): Promise<number> {
    const due = await this.em
      .fork()
      .execute<{ id: string; step: DueStep }[]>(DUE_SQL, [
        GLOBAL_ADMINISTRATOR,
        GLOBAL_ADMINISTRATOR,
        GLOBAL_ADMINISTRATOR,
      ]);
    let done = 0;
    for (const { id, step } of due) {
      if (this.stopped) break;
      if (await this.runStep(id, step)) done += 1;
    }
    return done;
  }

  private async recipientsOf(row: DelegatedAdminRelationship): Promise<Recipient[]> {
    const [agents, admins] = await Promise.all([
      this.relationships.recipients(row.partnerTenantId, 'AdminAgent'),
      row.customerTenantId
        ? this.relationships.recipients(row.customerTenantId, 'GlobalAdmin')
        : [],
    ]);
    return [...agents, ...admins];
  }

  private async runStep(id: string, step: DueStep): Promise<boolean> {
    const peek = await this.em.fork().findOne(DelegatedAdminRelationship, { id });
    if (!peek || !isDue(peek, step, new Date())) return false;
    const emails = step === 'expiring' || step === 'notice7' || step === 'notice1';
    const recipients = emails ? await this.recipientsOf(peek) : [];
    return this.em.fork().transactional(async (tx) => {
      const [lock] = await tx.execute<{ locked: boolean }[]>(
        `select pg_try_advisory_xact_lock(hashtextextended(?, 0)) as "locked"`,
        [`gdap-lifecycle:${id}`],
      );
      if (!lock?.locked) return false;
      const row = await tx.findOne(
        DelegatedAdminRelationship,
        { id },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      const now = new Date();
      if (!row || !isDue(row, step, now)) return false;
      const before = snapshot(row);
      let type:
        | 'delegated_admin_relationship.expiring'
        | 'delegated_admin_relationship.expiry_notice'
        | 'delegated_admin_relationship.expired'
        | 'delegated_admin_relationship.extended';
      let daysAhead: 30 | 7 | 1 | null = null;
      let extra: Record<string, unknown> = {};
      switch (step) {
        case 'expiring':
          row.status = 'expiring';
          type = 'delegated_admin_relationship.expiring';
          // The 30-day notice, unless a later notice already covers the time left.
          daysAhead = row.endAt!.getTime() > now.getTime() + 7 * DAY_MS ? 30 : null;
          break;
        case 'notice7':
          row.notice7SentAt = now;
          type = 'delegated_admin_relationship.expiry_notice';
          daysAhead = 7;
          break;
        case 'notice1':
          row.notice1SentAt = now;
          type = 'delegated_admin_relationship.expiry_notice';
          daysAhead = 1;
          break;
        case 'expired':
          row.status = 'expired';
          type = 'delegated_admin_relationship.expired';
          extra = {
            reason: 'endDateTime',
            assignmentsDeleted: await deleteLiveAssignments(tx, row.id, now),
          };
          break;
        case 'extend':
          row.endAt = new Date(row.endAt!.getTime() + AUTO_EXTEND_DAYS * DAY_MS);
          type = 'delegated_admin_relationship.extended';
          break;
        case 'approvalExpired':
          row.status = 'expired';
          row.approvalTokenHash = null;
          type = 'delegated_admin_relationship.expired';
          extra = {
            reason: 'approvalNotGiven',
            assignmentsDeleted: await deleteLiveAssignments(tx, row.id, now),
          };
          await tx.nativeUpdate(
            DelegatedAdminRelationshipRequest,
            { relationshipId: row.id, action: 'lockForApproval' },
            { status: 'failed', updatedAt: now },
          );
          break;
      }
      if (step !== 'notice7' && step !== 'notice1') {
        row.version += 1;
        row.updatedAt = now;
      }
      if (daysAhead !== null) {
        for (const to of recipients) {
          this.outbox.enqueueEmail(tx, {
            template: 'gdap-expiry-notice',
            to: to.email,
            locale: to.locale,
            data: {
              partnerName: row.partnerName,
              customerName: row.customerName ?? '',
              relationshipName: row.displayName,
              endDateTime: row.endAt!.toISOString(),
              daysAhead,
            },
          });
        }
      }
      await this.activityLog.record(tx, {
        type,
        tenantIds: tenantsOf(row),
        customerId: row.customerTenantId,
        resource: { type: 'delegated_admin_relationship', id: row.id },
        before,
        after: { ...snapshot(row), ...extra, ...(daysAhead ? { daysAhead } : {}) },
        actor: { kind: 'system', userId: null, tenantId: null, onBehalfOfTenantId: null },
      });
      return true;
    });
  }
}
