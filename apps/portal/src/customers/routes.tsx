import { lazyPages } from '../app/lazy-pages';
import type { PortalRoute } from '../app/portal-route';

/** This area's pages, loaded with its chunk on first use. */
const page = lazyPages(() => import('./pages'));

const PARTNERS = ['indirect_provider', 'indirect_reseller'] as const;

/** The pages of `src/customers/` (see src/app/portal-route.ts). */
export const routes: PortalRoute[] = [
  {
    path: 'customers',
    element: page('CustomersPage'),
    nav: { labelKey: 'customers:nav.customers', audience: [...PARTNERS] },
  },
  { path: 'customers/request', element: page('RequestRelationshipPage') },
  {
    path: 'customers/invitations',
    element: page('InvitationsPage'),
    nav: { labelKey: 'customers:nav.invitations', audience: [...PARTNERS] },
  },
  { path: 'customers/new', element: page('NewCustomerPage') },
  { path: 'customers/:customerId', element: page('CustomerPage') },
  { path: 'customers/:customerId/subscriptions/new', element: page('AddSubscriptionPage') },
  {
    path: 'delegated-admin-relationships',
    element: page('DelegatedAdminRelationshipsPage'),
    nav: { labelKey: 'customers:nav.gdap', audience: [...PARTNERS] },
  },
  {
    path: 'delegated-admin-relationships/:relationshipId',
    element: page('DelegatedAdminRelationshipPage'),
  },
];
