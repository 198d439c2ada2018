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

  /**
   * Run `work` holding the exclusive claim on `idempotencyKey`, so that two jobs with the same key
   * (a duplicated job, or a retry racing the original) never check-then-send at the same time:
   * the second waits, then finds the first one's record. `work` reads and records through the
   * store it is given. This default claims nothing (a store used by one caller at a time).
   */
  exclusive<T>(idempotencyKey: string, work: (store: DeliveryStore) => Promise<T>): Promise<T> {
    return work(this);
  }
}

function toRecord(row: Delivery): DeliveryRecord {
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

/** The `delivery` table inside one transaction (the one that holds a key's claim). */
class TransactionalDeliveryStore extends DeliveryStore {
  constructor(private readonly tx: EntityManager) {
    super();
  }

  async find(idempotencyKey: string): Promise<DeliveryRecord | null> {
    const row = await this.tx.findOne(Delivery, { idempotencyKey }, { refresh: true });
    return row ? toRecord(row) : null;
  }

  async save(record: DeliveryRecord): Promise<void> {
    await this.tx.upsert(Delivery, { ...record, updatedAt: new Date() });
  }
}

/** The `delivery` table, each call in its own forked EntityManager (never the global one). */
@Injectable()
export class MikroOrmDeliveryStore extends DeliveryStore {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async find(idempotencyKey: string): Promise<DeliveryRecord | null> {
    const row = await this.em.fork().findOne(Delivery, { idempotencyKey });
    return row ? toRecord(row) : null;
  }

  async save(record: DeliveryRecord): Promise<void> {
    await this.em.fork().upsert(Delivery, { ...record, updatedAt: new Date() });
  }

  /**
   * The claim is a PostgreSQL transaction-scoped advisory lock on the key, so it holds across
   * worker instances; `work` runs in that transaction, and what it records commits with it.
   */
  override exclusive<T>(
    idempotencyKey: string,
    work: (store: DeliveryStore) => Promise<T>,
  ): Promise<T> {
    return this.em.fork().transactional(async (tx) => {
      await tx.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [
        `delivery:${idempotencyKey}`,
      ]);
      return work(new TransactionalDeliveryStore(tx));
    });
  }
}
