import { lazyPages } from '../app/lazy-pages';
import type { PortalRoute } from '../app/portal-route';

/** This area's pages, loaded with its chunk on first use. */
const page = lazyPages(() => import('./pages'));

/** The pages of `src/customer-admin/` (see src/app/portal-route.ts): a customer's own admin. */
export const routes: PortalRoute[] = [
  {
    path: 'customer/partners',
    element: page('PartnersPage'),
    nav: { labelKey: 'customerAdmin:nav.partners', audience: ['customer'] },
  },
  {
    path: 'customer/subscriptions',
    element: page('SubscriptionsPage'),
    nav: { labelKey: 'customerAdmin:nav.subscriptions', audience: ['customer'] },
  },
];
