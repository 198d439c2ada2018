import { Module } from '@nestjs/common';
import { deliveryRetention } from './delivery-retention';
import { DeliveryStore, PostgresDeliveryStore } from './delivery.store';

/**
 * The worker's record of every delivery by idempotency key (the `delivery` table): claims held by
 * a lease, outcomes and skips, group-committed over the service's PostgreSQL pool (the app's
 * MikroORM EntityManager). One store per process, shared by the worker and the status answer.
 */
@Module({
  providers: [{ provide: DeliveryStore, useClass: PostgresDeliveryStore }, deliveryRetention],
  exports: [DeliveryStore],
})
export class DeliveryStoreModule {}
