import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import {
  EmailCancelReason,
  JOB_CONTRACTS,
  JOBS,
  JobName,
  JobPayload,
  Locale,
  TEMPLATE_DATA,
  TemplateData,
  TemplateId,
} from '@app/contracts';
import { randomUUID } from 'node:crypto';
import { SqlParams, sealLink } from '@app/platform';
import { OutboxMessage } from './outbox-message.entity';
import { OUTBOX_OPTIONS, OutboxOptions } from './outbox.options';

/** An email to send once the surrounding transaction commits. */
export interface OutgoingEmail<T extends TemplateId> {
  template: T;
  to: string;
  locale: Locale;
  data: TemplateData<T>;
  /** The invitation link (raw token inside): sealed before it is written. */
  link?: string;
  /**
   * When the link stops working (the invitation's expiry): written into the job as ISO
   * `expiresAt`; the worker skips an email it would deliver after it (a dead link).
   */
  expiresAt?: Date;
}

/** An outbox row, validated and ready to be written (see `OutboxService.prepare`). */
export interface OutboxRow {
  id: string;
  queue: string;
  name: string;
  payload: Record<string, unknown>;
}

/**
 * What `OutboxService.cancelEmail` did: `skipped` (the email's row had not been relayed: settled
 * `skipped` at once, no job will ever exist), `cancel-queued` (an `email.cancel` job follows it),
 * `already-settled` (sent, skipped or failed for good before: nothing to do).
 */
export type EmailCancellation = 'skipped' | 'cancel-queued' | 'already-settled';

/**
 * Writes outbox rows inside the caller's transaction (`em` must be the transactional
 * EntityManager): the message exists if and only if the state change committed.
 */
@Injectable()
export class OutboxService {
  constructor(@Inject(OUTBOX_OPTIONS) private readonly options: OutboxOptions) {}

  /** Validate `data` against the job's schema and persist an outbox row. Returns the row id. */
  enqueue<N extends JobName>(
    em: EntityManager,
    name: N,
    data: JobPayload<N>,
    id = randomUUID(),
  ): string {
    return this.persist(em, this.prepare(name, data, id));
  }

  /**
   * Queue an email: the template data is validated, the link sealed, and the outbox row id becomes
   * the delivery's idempotency key (and so its Message-ID). Returns the row id.
   */
  enqueueEmail<T extends TemplateId>(em: EntityManager, email: OutgoingEmail<T>): string {
    return this.persist(em, this.prepareEmail(email));
  }

  /**
   * The row `enqueue` would persist (the payload validated against the job's schema), for a caller
   * that writes it with its own statement (`insertSql`) in its transaction.
   * @throws ZodError when `data` does not match the job's schema.
   */
  prepare<N extends JobName>(name: N, data: JobPayload<N>, id = randomUUID()): OutboxRow {
    const contract = JOB_CONTRACTS[name];
    const payload = contract.schema.parse(data) as Record<string, unknown>;
    return { id, queue: contract.queue, name, payload };
  }

  /** The row `enqueueEmail` would persist (data validated, link sealed); its id is the key. */
  prepareEmail<T extends TemplateId>(email: OutgoingEmail<T>): OutboxRow {
    const id = randomUUID();
    const data = TEMPLATE_DATA[email.template].parse(email.data) as Record<string, unknown>;
    return this.prepare(
      JOBS.sendEmail,
      {
        template: email.template,
        to: email.to,
        locale: email.locale,
        data,
        ...(email.link ? { sealedLink: sealLink(email.link, this.options.linkSealingKey) } : {}),
        idempotencyKey: id,
        ...(email.expiresAt ? { expiresAt: email.expiresAt.toISOString() } : {}),
      },
      id,
    );
  }

  /**
   * A data-modifying statement inserting `rows` (unrelayed, created now: the transaction's start),
   * with its values added to `params`: to be a CTE of the caller's statement, so that the rows
   * are written in the same round trip and transaction as the state change.
   */
  insertSql(rows: OutboxRow[], params: SqlParams): string {
    const tuples = rows.map(
      (row) =>
        `(${params.add(row.id)}::uuid, ${params.add(row.queue)}, ${params.add(row.name)}, ${params.add(JSON.stringify(row.payload))}::jsonb)`,
    );
    return `insert into "outbox_message" ("id", "queue", "name", "payload") values ${tuples.join(', ')}`;
  }

  private persist(em: EntityManager, row: OutboxRow): string {
    em.persist(
      em.create(OutboxMessage, {
        ...row,
        createdAt: new Date(),
        relayedAt: null,
        relayCount: 0,
      }),
    );
    return row.id;
  }

  /**
   * Withdraw the email queued earlier under `idempotencyKey` (the row id `enqueueEmail` returned)
   * because its invitation was revoked or resent with a new link, in the caller's transaction:
   * - its row was never relayed → the row is settled `skipped` now and its sealed link removed;
   *   the relay never adds its job;
   * - it is settled already, or its row was deleted after its retention (settled long ago) →
   *   nothing;
   * - it was relayed (or a relay holds its row at this moment: `FOR UPDATE SKIP LOCKED` never
   *   waits for one) → an `email.cancel { idempotencyKey, reason, occurredAt }` job is queued,
   *   added at the head of the queue (`lifo`); the worker records the delivery as skipped unless
   *   it was already sent.
   */
  async cancelEmail(
    em: EntityManager,
    idempotencyKey: string,
    reason: EmailCancelReason,
    occurredAt: Date = new Date(),
  ): Promise<EmailCancellation> {
    const [row] = await em.execute<{ relayed: boolean; settled: boolean }[]>(
      `select "relayed_at" is not null as "relayed", "settled_at" is not null as "settled"
        from "outbox_message" where "id" = ? for update skip locked`,
      [idempotencyKey],
    );
    if (row?.settled) return 'already-settled';
    if (!row) {
      // Held by a relay at this moment (skipped above), or deleted long after it settled.
      const [exists] = await em.execute<{ found: boolean }[]>(
        `select exists (select 1 from "outbox_message" where "id" = ?) as "found"`,
        [idempotencyKey],
      );
      if (!exists?.found) return 'already-settled';
    }
    if (row && !row.relayed) {
      await em.execute(
        `update "outbox_message" set "settled_at" = now(), "settlement" = 'skipped',
            "payload" = "payload" - 'sealedLink'
          where "id" = ?`,
        [idempotencyKey],
      );
      return 'skipped';
    }
    this.enqueue(em, JOBS.cancelEmail, {
      idempotencyKey,
      reason,
      occurredAt: occurredAt.toISOString(),
    });
    return 'cancel-queued';
  }
}
