import { lazyPages } from '../app/lazy-pages';
import type { PortalRoute } from '../app/portal-route';

/** This area's pages, loaded with its chunk on first use. */
const page = lazyPages(() => import('./pages'));

/** The pages of `src/operator/` (see src/app/portal-route.ts): the platform operator's. */
export const routes: PortalRoute[] = [
  {
    path: 'operator/enrollments',
    element: page('EnrollmentsPage'),
    nav: { labelKey: 'operator:nav.enrollments', audience: ['operator'] },
  },
  {
    path: 'operator/deliveries',
    element: page('DeliveriesPage'),
    nav: { labelKey: 'operator:nav.deliveries', audience: ['operator'] },
  },
];
