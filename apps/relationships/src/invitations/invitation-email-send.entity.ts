import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/**
 * One invitation email this service queued (a request or a resend; a draft only is none): what
 * the caps per inviting partner per hour and per recipient per day count
 * (`invitation-email-caps.ts`). Rows older than the longest window are deleted as new ones come
 * (the recipient's all, the partner's two oldest per new send).
 */
@Entity({ tableName: 'invitation_email_send' })
@Unique({
  name: 'invitation_email_send_partner_seq_idx',
  properties: ['partnerTenantId', 'partnerSeq'],
})
@Index({ name: 'invitation_email_send_recipient_idx', properties: ['recipient', 'sentAt'] })
export class InvitationEmailSend {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The inviting partner's tenant id. */
  @Property({ type: 'uuid' })
  partnerTenantId!: string;

  /**
   * The send's rank among its partner's (1, 2, …, in the order of their send times): the
   * `limit`-th newest is the row of rank `newest - (limit - 1)`, one index lookup.
   */
  @Property({ type: 'bigint' })
  partnerSeq!: string;

  /** The recipient's address (lower case). */
  @Property({ type: 'text' })
  recipient!: string;

  @Property({ type: 'uuid' })
  invitationId!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  sentAt!: Date;
}
