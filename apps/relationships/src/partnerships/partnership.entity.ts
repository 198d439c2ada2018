import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

export const PARTNERSHIP_STATUSES = ['active', 'removed'] as const;
export type PartnershipStatus = (typeof PARTNERSHIP_STATUSES)[number];

/**
 * A partnership between an indirect provider and an indirect reseller (seeds 002 and 004): the
 * reseller authorized the provider through the provider's partnership request. One row per pair;
 * removing it marks it `removed` and a later acceptance re-activates it. Names, Partner IDs (MPN
 * IDs) and countries are snapshots taken when it was (re-)established, for listing and search.
 */
@Entity({ tableName: 'partnership' })
@Unique({ name: 'partnership_pair_unique', properties: ['providerTenantId', 'resellerTenantId'] })
@Index({
  name: 'partnership_provider_list_idx',
  properties: ['providerTenantId', 'status', 'resellerName', 'id'],
})
@Index({
  name: 'partnership_reseller_list_idx',
  properties: ['resellerTenantId', 'status', 'providerName', 'id'],
})
export class Partnership {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  providerTenantId!: string;

  @Property({ type: 'uuid' })
  resellerTenantId!: string;

  @Property({ type: 'text' })
  providerName!: string;

  @Property({ type: 'text' })
  providerMpnId!: string;

  @Property({ type: 'text' })
  providerCountry!: string;

  @Property({ type: 'text' })
  resellerName!: string;

  @Property({ type: 'text' })
  resellerMpnId!: string;

  @Property({ type: 'text' })
  resellerCountry!: string;

  @Property({ type: 'text' })
  status: PartnershipStatus = 'active';

  /** When the reseller (last) authorized the provider. */
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  establishedAt!: Date;

  /** The reseller's user who authorized the indirect provider (seed 004 step 3). */
  @Property({ type: 'uuid' })
  authorizedByUserId!: string;

  /** The partnership request that established it. */
  @Property({ type: 'uuid', nullable: true })
  invitationId: string | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  removedAt: Date | null = null;

  @Property({ type: 'uuid', nullable: true })
  removedByUserId: string | null = null;

  @Property({ type: 'uuid', nullable: true })
  removedByTenantId: string | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
