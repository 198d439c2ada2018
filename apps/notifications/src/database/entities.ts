import { Delivery } from '../delivery/delivery.entity';

/** Every entity of the notifications database, listed explicitly (no globs). */
export const ENTITIES = [Delivery];
