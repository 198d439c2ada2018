import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type { Cloud } from '@app/contracts';
import type { StoredBillingProfile } from './dto/customer-profiles.dto';

/**
 * A customer organisation as relationships knows it: a snapshot of the customer's tenant in
 * identity (id, company name, default domain, country, cloud), refreshed whenever a relationship
 * with it is established, and the Customer Agreement acceptance recorded by this service. The id is
 * the customer's tenant id. Which partner sees it is decided by its reseller relationships, never
 * by this row.
 */
@Entity({ tableName: 'customer' })
export class Customer {
  /** The customer's tenant id in identity. */
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  companyName!: string;

  /** Default domain, e.g. `adatum.onmicrosoft.example`. */
  @Property({ type: 'text' })
  domain!: string;

  /** ISO 3166-1 alpha-2. */
  @Property({ type: 'text' })
  country!: string;

  @Property({ type: 'text' })
  cloud!: Cloud;

  /**
   * When the customer accepted the Customer Agreement through a reseller relationship request
   * accepted here (seed 001 step 5 note), written in that acceptance's transaction; identity
   * records it on the tenant from the `customer-agreement.accepted` event that transaction queues.
   * Null when no acceptance here carried it (identity's tenant may still have it).
   */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  customerAgreementAcceptedAt: Date | null = null;

  /**
   * Partner Center's CustomerBillingProfile of the customer (issue 11 "Customers"): written when a
   * partner creates the customer and by `PUT /v1/customers/{id}/profiles/billing`; null for a
   * customer that joined through a relationship request until a partner sets it. One per customer,
   * shared by its partners (as in Partner Center); `billingProfileVersion` makes its etag.
   */
  @Property({ type: 'json', nullable: true })
  billingProfile: StoredBillingProfile | null = null;

  @Property({ type: 'integer', default: 0 })
  billingProfileVersion: number = 0;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  updatedAt: Date = new Date();
}
