import type { Role } from '@app/contracts';

/**
 * How a partner acts in another organisation (issue 9 point 3):
 * - `admin_access`: an indirect provider in an indirect reseller that authorized it (seed 004 step
 *   3 note), through `admin_access_grant` (identity's own);
 * - `delegated_admin`: a partner in a customer for which it holds delegated admin privileges
 *   (seeds 000/004), a grant relationships owns and names;
 * - `gdap`: a partner user in a customer through a granular delegated admin relationship (issue 10
 *   part 2), `grantId` the relationship's id. Users created so belong to the customer: nothing
 *   disables them when the relationship ends.
 */
export type DelegationKind = 'admin_access' | 'delegated_admin' | 'gdap';

/** The delegation behind a change: who acts, how, and under which grant. */
export interface Delegation {
  kind: DelegationKind;
  /** The acting partner's tenant. */
  byTenantId: string;
  /** The grant: `admin_access_grant.id`, or the delegated admin grant id from relationships. */
  grantId: string;
  /**
   * A narrower reach than the delegated manager's (`DELEGATED_GRANTS`), when the delegation's roles
   * allow less (GDAP Helpdesk Administrator alone: `[]`, users who hold no role). Checked inside
   * the transaction of the change, with the target's roles read there.
   */
  limitRoles?: readonly Role[];
}
