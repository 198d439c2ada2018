import { OutboxMessage } from '@app/outbox';
import { Delivery } from '../delivery-records/delivery.entity';

/** Every entity of the notifications database, listed explicitly (no globs). */
export const ENTITIES = [Delivery, OutboxMessage];
