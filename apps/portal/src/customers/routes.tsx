import type { PortalRoute } from '../app/portal-route';
import { AddSubscriptionPage } from './add-subscription-page';
import { CustomerPage } from './customer-page';
import { CustomersPage } from './customers-page';
import { DelegatedAdminRelationshipPage } from './delegated-admin-relationship-page';
import { DelegatedAdminRelationshipsPage } from './delegated-admin-relationships-page';
import { InvitationsPage } from './invitations-page';
import { NewCustomerPage } from './new-customer-page';
import { RequestRelationshipPage } from './request-relationship-page';

const PARTNERS = ['indirect_provider', 'indirect_reseller'] as const;

/** The pages of `src/customers/` (see src/app/portal-route.ts). */
export const routes: PortalRoute[] = [
  {
    path: 'customers',
    element: <CustomersPage />,
    nav: { labelKey: 'customers:nav.customers', audience: [...PARTNERS] },
  },
  { path: 'customers/request', element: <RequestRelationshipPage /> },
  {
    path: 'customers/invitations',
    element: <InvitationsPage />,
    nav: { labelKey: 'customers:nav.invitations', audience: [...PARTNERS] },
  },
  { path: 'customers/new', element: <NewCustomerPage /> },
  { path: 'customers/:customerId', element: <CustomerPage /> },
  { path: 'customers/:customerId/subscriptions/new', element: <AddSubscriptionPage /> },
  {
    path: 'delegated-admin-relationships',
    element: <DelegatedAdminRelationshipsPage />,
    nav: { labelKey: 'customers:nav.gdap', audience: [...PARTNERS] },
  },
  {
    path: 'delegated-admin-relationships/:relationshipId',
    element: <DelegatedAdminRelationshipPage />,
  },
];
