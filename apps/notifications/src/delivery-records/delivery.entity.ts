import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { DeliveryStatus, SkipReason } from '../delivery-store/delivery.store';

/**
 * One email delivery, keyed by the job's idempotency key (DESIGN.md "Consumers are idempotent"):
 * a worker claims the key before it sends (`claimedBy` until `leaseUntil`), so a retried or
 * duplicated job never sends a second email. `permanent` marks a failure that no retry can fix (a
 * 5xx SMTP reply, a link that cannot be opened, data the template refuses); `settled` says that
 * nothing more will happen without an operator. While the email is not sent the job's data stays
 * here (`data`, the still sealed `sealedLink`, `expiresAt`) so that an operator can replay it; the
 * sealed link is purged once the email is sent or skipped.
 */
@Entity({ tableName: 'delivery' })
export class Delivery {
  @PrimaryKey({ type: 'text' })
  idempotencyKey!: string;

  /** A uuid for keyset pagination (the key itself may be any text). */
  @Property({ type: 'uuid', unique: true })
  id!: string;

  /** Unknown while only an `email.cancel` has been seen for the key. */
  @Property({ type: 'text', nullable: true })
  template: string | null = null;

  @Property({ type: 'text', nullable: true })
  recipient: string | null = null;

  @Property({ type: 'text', nullable: true })
  locale: string | null = null;

  @Property({ type: 'text', nullable: true })
  subject: string | null = null;

  /** `<idempotencyKey@MESSAGE_ID_DOMAIN>`: a duplicate after a crash carries the same id. */
  @Property({ type: 'text' })
  messageId!: string;

  @Property({ type: 'text' })
  status!: DeliveryStatus;

  @Property({ type: 'boolean' })
  settled: boolean = false;

  @Property({ type: 'boolean' })
  permanent: boolean = false;

  @Property({ type: 'text', nullable: true })
  skipReason: SkipReason | null = null;

  /** The SMTP server's last reply (or the error that stopped the delivery). */
  @Property({ type: 'text', nullable: true })
  smtpResponse: string | null = null;

  /** Attempts claimed so far. */
  @Property({ type: 'integer' })
  attempts: number = 0;

  /** How many times an operator replayed the delivery. */
  @Property({ type: 'integer' })
  replays: number = 0;

  /** The template data of the job (kept for a replay). */
  @Property({ type: 'json', nullable: true })
  data: Record<string, unknown> | null = null;

  /** The job's sealed invitation link, until the email is sent or skipped. */
  @Property({ type: 'text', nullable: true })
  sealedLink: string | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  expiresAt: Date | null = null;

  @Property({ type: 'text', nullable: true })
  claimedBy: string | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  leaseUntil: Date | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  sentAt: Date | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  updatedAt: Date = new Date();
}
