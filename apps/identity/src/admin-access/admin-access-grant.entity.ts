import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/**
 * `active`; `withdrawn` by the reseller; `ended` with its partnership (removed by either side), or
 * superseded by a later authorization of the same provider.
 */
export type AdminAccessStatus = 'active' | 'withdrawn' | 'ended';

/**
 * Administrator access of an indirect provider to an indirect reseller's organisation, granted
 * when the reseller authorizes the provider (seed 004 step 3 note) and withdrawable by the reseller
 * later without ending the partnership. One row per authorization (`authorizationId`, the
 * partnership request the reseller accepted; issue 9 point 4): authorizing the provider again after
 * a withdrawal grants access anew, and at most one row of a (provider, reseller) pair is active.
 * Its `id` is the grant the users the provider creates in the reseller record (issue 9 point 3).
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

  /** The authorization (the accepted partnership request) that granted it; unique. */
  @Property({ type: 'uuid' })
  authorizationId!: string;

  @Property({ type: 'text' })
  status!: AdminAccessStatus;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  grantedAt!: Date;

  /** The reseller's user who authorized; null for a removal recorded before its authorization. */
  @Property({ type: 'uuid', nullable: true })
  grantedBy: string | null = null;

  /** When it was withdrawn or ended. */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  withdrawnAt: Date | null = null;

  /** The reseller's user who withdrew it (null when it ended with its partnership). */
  @Property({ type: 'uuid', nullable: true })
  withdrawnBy: string | null = null;
}
