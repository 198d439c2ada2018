import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type { DelegationKind } from './delegation';

/**
 * A delegation grant that ended (issue 9 point 3): administrator access withdrawn by the reseller
 * or ended with its partnership, delegated admin privileges revoked by the customer or ended with
 * the reseller relationship. Written once, by the ending that disabled the users created under the
 * grant: a redelivered event finds it and changes nothing, and no user is created under the grant
 * afterwards (`assertDelegationLive`).
 */
@Entity({ tableName: 'ended_delegation' })
export class EndedDelegation {
  @PrimaryKey({ type: 'uuid' })
  grantId!: string;

  @Property({ type: 'text' })
  kind!: DelegationKind;

  /** The organisation the partner acted in. */
  @Property({ type: 'uuid' })
  tenantId!: string;

  /** The partner that acted through the grant. */
  @Property({ type: 'uuid' })
  delegatedByTenantId!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  endedAt!: Date;

  /** The users the ending disabled. */
  @Property({ type: 'integer' })
  disabledUsers: number = 0;
}
