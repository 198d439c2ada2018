import { TEMPLATES_WITH_LINK, TemplateId } from '@app/contracts';
import { DeliveryStatus, SkipReason } from '../../delivery-store/delivery.store';
import { Delivery } from '../delivery.entity';
import { Timestamp, collectionSchema, objectAttributes } from '@app/platform';
import { z } from 'zod';

/**
 * One email delivery as the operator sees it: what was sent to whom, where it stands, and whether
 * it can be replayed. Never the job's data or its sealed link.
 */
export const DeliveryResponseSchema = z.object({
  idempotencyKey: z.string(),
  /** `<idempotencyKey@MESSAGE_ID_DOMAIN>` (the header of every copy of the email). */
  messageId: z.string(),
  status: z.enum(['pending', 'failed', 'sent', 'skipped'] satisfies DeliveryStatus[]),
  /** Nothing more happens without an operator (sent, skipped, failed for good). */
  settled: z.boolean(),
  /** A failure no retry can fix (a 5xx reply, an unopenable link, a render failure). */
  permanent: z.boolean(),
  skipReason: z.enum(['revoked', 'expired', 'superseded'] satisfies SkipReason[]).nullable(),
  /** The SMTP server's last reply, or the error that stopped the delivery. */
  lastResponse: z.string().nullable(),
  template: z.string().nullable(),
  recipient: z.string().nullable(),
  locale: z.string().nullable(),
  subject: z.string().nullable(),
  attempts: z.number().int(),
  replays: z.number().int(),
  /** A settled failure whose job data was kept: `POST …/replay` re-enqueues it. */
  replayable: z.boolean(),
  expiresAt: Timestamp.nullable(),
  sentAt: Timestamp.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  attributes: objectAttributes('Delivery'),
});
export type DeliveryResponse = z.infer<typeof DeliveryResponseSchema>;

/** A page of deliveries. */
export const DeliveryCollectionSchema = collectionSchema(DeliveryResponseSchema);

/** Answer of a replay (202): the delivery, and the BullMQ job that will send it again. */
export const DeliveryReplayResponseSchema = z.object({
  delivery: DeliveryResponseSchema,
  jobId: z.string(),
});
export type DeliveryReplayResponse = z.infer<typeof DeliveryReplayResponseSchema>;

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
