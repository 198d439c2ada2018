import { TEMPLATES_WITH_LINK, TemplateId } from '@app/contracts';
import { DeliveryStatus, SkipReason } from '../../delivery-store/delivery.store';
import { Delivery } from '../delivery.entity';

/**
 * One email delivery as the operator sees it: what was sent to whom, where it stands, and whether
 * it can be replayed. Never the job's data or its sealed link.
 */
export interface DeliveryResponse {
  idempotencyKey: string;
  /** `<idempotencyKey@MESSAGE_ID_DOMAIN>` (the header of every copy of the email). */
  messageId: string;
  status: DeliveryStatus;
  /** Nothing more happens without an operator (sent, skipped, failed for good). */
  settled: boolean;
  /** A failure no retry can fix (a 5xx reply, an unopenable link, a render failure). */
  permanent: boolean;
  skipReason: SkipReason | null;
  /** The SMTP server's last reply, or the error that stopped the delivery. */
  lastResponse: string | null;
  template: string | null;
  recipient: string | null;
  locale: string | null;
  subject: string | null;
  attempts: number;
  replays: number;
  /** A settled failure whose job data was kept: `POST …/replay` re-enqueues it. */
  replayable: boolean;
  expiresAt: string | null;
  sentAt: string | null;
  createdAt: string;
  updatedAt: string;
  attributes: { objectType: 'Delivery' };
}

/** Answer of a replay (202): the delivery, and the BullMQ job that will send it again. */
export interface DeliveryReplayResponse {
  delivery: DeliveryResponse;
  jobId: string;
}

/** Whether the row still holds what its job needs to be sent again. */
export function isReplayable(delivery: Delivery): boolean {
  if (delivery.status !== 'failed' || !delivery.settled) return false;
  if (!delivery.template || !delivery.recipient || !delivery.locale || !delivery.data) return false;
  return !TEMPLATES_WITH_LINK.has(delivery.template as TemplateId) || delivery.sealedLink !== null;
}

export function toDeliveryResponse(delivery: Delivery): DeliveryResponse {
  return {
    idempotencyKey: delivery.idempotencyKey,
    messageId: delivery.messageId,
    status: delivery.status,
    settled: delivery.settled,
    permanent: delivery.permanent,
    skipReason: delivery.skipReason,
    lastResponse: delivery.smtpResponse,
    template: delivery.template,
    recipient: delivery.recipient,
    locale: delivery.locale,
    subject: delivery.subject,
    attempts: delivery.attempts,
    replays: delivery.replays,
    replayable: isReplayable(delivery),
    expiresAt: delivery.expiresAt?.toISOString() ?? null,
    sentAt: delivery.sentAt?.toISOString() ?? null,
    createdAt: delivery.createdAt.toISOString(),
    updatedAt: delivery.updatedAt.toISOString(),
    attributes: { objectType: 'Delivery' },
  };
}
