import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

export type SubscriptionStatus = 'active' | 'suspended';

/**
 * A customer's subscription to an offer of the catalog (seed 002 "Add new subscriptions to
 * customer accounts"): a quantity of licenses ordered by a partner with an active reseller
 * relationship, an optional associated reseller (by Partner ID (MPN ID): it earns the incentives)
 * and an optional designated support contact (one of the ordering provider's indirect resellers).
 */
@Entity({ tableName: 'subscription' })
@Index({ name: 'subscription_customer_idx', properties: ['customerId', 'createdAt', 'id'] })
export class Subscription {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The customer's tenant id. */
  @Property({ type: 'uuid' })
  customerId!: string;

  /** The ordering partner's tenant id. */
  @Property({ type: 'uuid' })
  partnerTenantId!: string;

  @Property({ type: 'text' })
  offerId!: string;

  /** Number of licenses. */
  @Property({ type: 'integer' })
  quantity!: number;

  /** The name the partner gives the subscription (Partner Center's `friendlyName`); null: none. */
  @Property({ type: 'text', nullable: true })
  friendlyName: string | null = null;

  /**
   * The ordering partner's Partner ID (MPN ID) when it ordered: the reseller of record unless an
   * associated reseller is named (Partner Center's `partnerId`). Null for rows ordered before it
   * was recorded.
   */
  @Property({ type: 'text', nullable: true })
  partnerMpnId: string | null = null;

  /**
   * Raised by one at every change (`SubscriptionsService`): what `attributes.etag` is derived
   * from, so an update with a stale `If-Match` is refused (412).
   */
  @Property({ type: 'integer' })
  version: number = 1;

  @Property({ type: 'text' })
  status: SubscriptionStatus = 'active';

  @Property({ type: 'text', nullable: true })
  associatedResellerMpnId: string | null = null;

  @Property({ type: 'uuid', nullable: true })
  associatedResellerTenantId: string | null = null;

  @Property({ type: 'uuid', nullable: true })
  designatedSupportContactId: string | null = null;

  @Property({ type: 'text', nullable: true })
  designatedSupportContactName: string | null = null;

  @Property({ type: 'text', nullable: true })
  designatedSupportContactMpnId: string | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  updatedAt: Date = new Date();
}
