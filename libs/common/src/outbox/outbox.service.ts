import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import {
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
import { sealLink } from '../link-seal';
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
}

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
    const contract = JOB_CONTRACTS[name];
    const payload = contract.schema.parse(data) as Record<string, unknown>;
    const row = em.create(OutboxMessage, {
      id,
      queue: contract.queue,
      name,
      payload,
      createdAt: new Date(),
      relayedAt: null,
    });
    em.persist(row);
    return id;
  }

  /**
   * Queue an email: the template data is validated, the link sealed, and the outbox row id becomes
   * the delivery's idempotency key (and so its Message-ID). Returns the row id.
   */
  enqueueEmail<T extends TemplateId>(em: EntityManager, email: OutgoingEmail<T>): string {
    const id = randomUUID();
    const data = TEMPLATE_DATA[email.template].parse(email.data) as Record<string, unknown>;
    return this.enqueue(
      em,
      JOBS.sendEmail,
      {
        template: email.template,
        to: email.to,
        locale: email.locale,
        data,
        ...(email.link ? { sealedLink: sealLink(email.link, this.options.linkSealingKey) } : {}),
        idempotencyKey: id,
      },
      id,
    );
  }
}
