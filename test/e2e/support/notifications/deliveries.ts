import { randomUUID } from 'node:crypto';
import { uniqueEmail, uniqueName } from '../data';
import { dbRows } from '../database';
import { harnessSettings } from '../instances';

/** Delivery records of the notifications worker, as the operator routes show them. */

/** A delivery record as `GET /v1/deliveries` and `GET /v1/deliveries/{idempotencyKey}` show it. */
export interface DeliveryView {
  idempotencyKey: string;
  messageId: string;
  status: string;
  settled: boolean;
  permanent: boolean;
  skipReason: string | null;
  lastResponse: string | null;
  template: string | null;
  recipient: string | null;
  attempts: number;
  replays: number;
  replayable: boolean;
}

/**
 * A delivery that failed for good, with its job kept: the row the notifications worker records
 * when the SMTP server refuses an `invitation-accepted` note with a 5xx on the first attempt
 * (status `failed`, settled, permanent, the reply, the rendered subject, the job's data; no link:
 * the template carries none). Written straight into the notifications database: a real refusal
 * needs a refusing SMTP server and a second notifications instance. A replay queues the kept job
 * on the main system, whose worker delivers it to MailDev.
 * @returns its idempotency key.
 */
export async function failedDelivery(): Promise<string> {
  const key = randomUUID();
  const organization = uniqueName('Tailspin Toys');
  const data = {
    inviterName: 'Ivy Inviter',
    invitationKind: 'partnership',
    acceptedByOrganization: organization,
    acceptedAt: new Date().toISOString(),
  };
  await dbRows(
    'notifications',
    `insert into "delivery" ("idempotency_key", "message_id", "template", "recipient", "locale",
       "subject", "status", "settled", "permanent", "smtp_response", "attempts", "data")
     values ($1, $2, 'invitation-accepted', $3, 'en', $4, 'failed', true, true, $5, 1, $6)`,
    [
      key,
      `<${key}@${harnessSettings().messageIdDomain}>`,
      uniqueEmail('bounce', 'tailspin'),
      `${organization} accepted your partnership request`,
      '550 5.1.1 Mailbox unavailable',
      JSON.stringify(data),
    ],
  );
  return key;
}
