import type { PortalRoute } from '../app/portal-route';
import { PartnersPage } from './partners-page';
import { SubscriptionsPage } from './subscriptions-page';

/** The pages of `src/customer-admin/` (see src/app/portal-route.ts): a customer's own admin. */
export const routes: PortalRoute[] = [
  {
    path: 'customer/partners',
    element: <PartnersPage />,
    nav: { labelKey: 'customerAdmin:nav.partners', audience: ['customer'] },
  },
  {
    path: 'customer/subscriptions',
    element: <SubscriptionsPage />,
    nav: { labelKey: 'customerAdmin:nav.subscriptions', audience: ['customer'] },
  },
];
