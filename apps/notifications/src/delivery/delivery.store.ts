import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Delivery, DeliveryStatus } from './delivery.entity';

/** The recorded state of one delivery (a `delivery` row). */
export interface DeliveryRecord {
  idempotencyKey: string;
  template: string;
  recipient: string;
  locale: string;
  subject: string | null;
  messageId: string;
  status: DeliveryStatus;
  permanent: boolean;
  smtpResponse: string | null;
  attempts: number;
  sentAt: Date | null;
}

/** Where the worker records deliveries, by idempotency key. */
export abstract class DeliveryStore {
  /** The delivery recorded under `idempotencyKey`, if any. */
  abstract find(idempotencyKey: string): Promise<DeliveryRecord | null>;
  /** Insert or replace the delivery recorded under `record.idempotencyKey`. */
  abstract save(record: DeliveryRecord): Promise<void>;
}

/** The `delivery` table, each call in its own forked EntityManager (never the global one). */
@Injectable()
export class MikroOrmDeliveryStore extends DeliveryStore {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async find(idempotencyKey: string): Promise<DeliveryRecord | null> {
    const row = await this.em.fork().findOne(Delivery, { idempotencyKey });
    if (!row) return null;
    return {
      idempotencyKey: row.idempotencyKey,
      template: row.template,
      recipient: row.recipient,
      locale: row.locale,
      subject: row.subject,
      messageId: row.messageId,
      status: row.status,
      permanent: row.permanent,
      smtpResponse: row.smtpResponse,
      attempts: row.attempts,
      sentAt: row.sentAt,
    };
  }

  async save(record: DeliveryRecord): Promise<void> {
    await this.em.fork().upsert(Delivery, { ...record, updatedAt: new Date() });
  }
}
