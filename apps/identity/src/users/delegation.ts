/**
 * How a partner acts in another organisation (issue 9 point 3):
 * - `admin_access`: an indirect provider in an indirect reseller that authorized it (seed 004 step
 *   3 note), through `admin_access_grant` (identity's own);
 * - `delegated_admin`: a partner in a customer for which it holds delegated admin privileges
 *   (seeds 000/004), a grant relationships owns and names.
 */
export type DelegationKind = 'admin_access' | 'delegated_admin';

/** The delegation behind a change: who acts, how, and under which grant. */
export interface Delegation {
  kind: DelegationKind;
  /** The acting partner's tenant. */
  byTenantId: string;
  /** The grant: `admin_access_grant.id`, or the delegated admin grant id from relationships. */
  grantId: string;
}
