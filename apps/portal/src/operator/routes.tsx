import type { PortalRoute } from '../app/portal-route';
import { DeliveriesPage } from './deliveries-page';
import { EnrollmentsPage } from './enrollments-page';

/** The pages of `src/operator/` (see src/app/portal-route.ts): the platform operator's. */
export const routes: PortalRoute[] = [
  {
    path: 'operator/enrollments',
    element: <EnrollmentsPage />,
    nav: { labelKey: 'operator:nav.enrollments', audience: ['operator'] },
  },
  {
    path: 'operator/deliveries',
    element: <DeliveriesPage />,
    nav: { labelKey: 'operator:nav.deliveries', audience: ['operator'] },
  },
];
