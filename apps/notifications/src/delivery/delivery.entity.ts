import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** Outcome of a delivery: `sent` (the SMTP server accepted it) or `failed`. */
export type DeliveryStatus = 'sent' | 'failed';

/**
 * One email delivery, keyed by the job's idempotency key (DESIGN.md "Consumers are idempotent"):
 * the worker checks it before sending, so a retried or duplicated job never sends a second email.
 * `permanent` marks a failure that no retry can fix (a 5xx SMTP reply, a link that cannot be
 * opened, data the template refuses); a temporary failure is recorded and retried by BullMQ.
 */
@Entity({ tableName: 'delivery' })
export class Delivery {
  @PrimaryKey({ type: 'text' })
  idempotencyKey!: string;

  @Property({ type: 'text' })
  template!: string;

  @Property({ type: 'text' })
  recipient!: string;

  @Property({ type: 'text' })
  locale!: string;

  @Property({ type: 'text', nullable: true })
  subject: string | null = null;

  /** `<idempotencyKey@MESSAGE_ID_DOMAIN>`: a duplicate after a crash carries the same id. */
  @Property({ type: 'text' })
  messageId!: string;

  @Property({ type: 'text' })
  status!: DeliveryStatus;

  @Property({ type: 'boolean' })
  permanent: boolean = false;

  /** The SMTP server's last reply (or the error that stopped the delivery). */
  @Property({ type: 'text', nullable: true })
  smtpResponse: string | null = null;

  /** Attempts made so far, this one included. */
  @Property({ type: 'integer' })
  attempts: number = 0;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  sentAt: Date | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  updatedAt: Date = new Date();
}
