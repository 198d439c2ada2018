import { Entity, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { PartnerType } from '@app/contracts';
import { randomUUID } from 'node:crypto';

export type ResellerRelationshipStatus = 'active' | 'removed';
export type DelegatedAdminStatus = 'none' | 'active' | 'revoked';

/**
 * A partner is a reseller of record for a customer (seeds 000/001). One row per (partner,
 * customer), re-activated when the customer accepts a new request. It also carries the partner's
 * delegated admin privileges (DAP) for this customer, which live independently of the
 * relationship: removing the relationship leaves them unchanged (seed 000), and the customer can
 * revoke them while the relationship stays (seed 001).
 *
 * `customerName` repeats the customer's company name so that a partner's customer list is one
 * keyset scan of a partial index on (partner, [indirect reseller,] name, customer id);
 * `customerDomain` its default domain, so that the list filtered by a domain prefix (Partner
 * Center's `Domain` filter) is one too, as the company name prefix is (partial indexes on
 * (partner, lower(name or domain) collate "C", customer id)).
 */
@Entity({ tableName: 'reseller_relationship' })
@Unique({
  name: 'reseller_relationship_partner_customer_uq',
  properties: ['partnerTenantId', 'customerId'],
})
export class ResellerRelationship {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The partner (reseller of record): its tenant id. */
  @Property({ type: 'uuid' })
  partnerTenantId!: string;

  /** The partner's type when the relationship was last established. */
  @Property({ type: 'text' })
  partnerType!: PartnerType;

  /** The customer's tenant id. */
  @Property({ type: 'uuid' })
  customerId!: string;

  @Property({ type: 'text' })
  customerName!: string;

  /** The customer's default domain (kept in step with the customer row, like `customerName`). */
  @Property({ type: 'text', default: '' })
  customerDomain: string = '';

  /**
   * For an indirect provider's relationship: the indirect reseller associated with this customer
   * (joint request or new customer created on the reseller's behalf), else null.
   */
  @Property({ type: 'uuid', nullable: true })
  indirectResellerId: string | null = null;

  @Property({ type: 'text' })
  status: ResellerRelationshipStatus = 'active';

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  establishedAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  removedAt: Date | null = null;

  @Property({ type: 'text' })
  delegatedAdminStatus: DelegatedAdminStatus = 'none';

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  delegatedAdminGrantedAt: Date | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  delegatedAdminRevokedAt: Date | null = null;

  /**
   * This grant of the delegated admin privileges (issue 9 point 3): a new id each time they are
   * granted, or their relationship is re-established while they are active. Identity records it
   * on the users the partner creates in the customer, and disables them when the
   * `delegated-admin.ended` event carrying it arrives. Null while none were ever granted.
   */
  @Property({ type: 'uuid', nullable: true })
  delegatedAdminGrantId: string | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  updatedAt: Date = new Date();
}
