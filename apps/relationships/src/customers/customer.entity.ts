import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type { Cloud } from '@app/contracts';

/**
 * A customer organisation as relationships knows it: a snapshot of the customer's tenant in
 * identity (id, company name, default domain, country, cloud), refreshed whenever a relationship
 * with it is established. The id is the customer's tenant id. Which partner sees it is decided by
 * its reseller relationships, never by this row.
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

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  updatedAt: Date = new Date();
}
