import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

export type AdminAccessStatus = 'active' | 'withdrawn';

/**
 * Administrator access of an indirect provider to an indirect reseller's organisation, granted
 * when the reseller authorizes the provider (seed 004 step 3 note) and withdrawable by the reseller
 * later without ending the partnership. One row per (provider, reseller).
 */
@Entity({ tableName: 'admin_access_grant' })
export class AdminAccessGrant {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  providerTenantId!: string;

  @Property({ type: 'uuid' })
  resellerTenantId!: string;

  /** The partnership whose authorization granted the access. */
  @Property({ type: 'uuid' })
  partnershipId!: string;

  @Property({ type: 'text' })
  status!: AdminAccessStatus;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  grantedAt!: Date;

  @Property({ type: 'uuid' })
  grantedBy!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  withdrawnAt: Date | null = null;

  @Property({ type: 'uuid', nullable: true })
  withdrawnBy: string | null = null;
}
