import type { PortalRoute } from '../app/portal-route';
import { ActivityLogPage } from './activity-log-page';
import { EnrollmentPage } from './enrollment-page';
import { FindProviderPage } from './find-provider-page';
import { PartnerProfilePage } from './partner-profile-page';
import { PARTNER_PATHS } from './partner-paths';
import { PartnershipRequestsPage } from './partnership-requests-page';
import { IndirectProvidersPage, IndirectResellersPage } from './partnerships-page';
import { UsersPage } from './users-page';

const PARTNERS = ['indirect_provider', 'indirect_reseller'] as const;
const path = (p: string) => p.replace(/^\//, '');

/** The pages of `src/partner/` (see src/app/portal-route.ts). */
export const routes: PortalRoute[] = [
  { path: path(PARTNER_PATHS.enroll), element: <EnrollmentPage />, public: true },
  {
    path: path(PARTNER_PATHS.profile),
    element: <PartnerProfilePage />,
    nav: { labelKey: 'partner:nav.profile', audience: [...PARTNERS] },
  },
  {
    path: path(PARTNER_PATHS.indirectResellers),
    element: <IndirectResellersPage />,
    nav: { labelKey: 'partner:nav.indirectResellers', audience: ['indirect_provider'] },
  },
  {
    path: path(PARTNER_PATHS.indirectProviders),
    element: <IndirectProvidersPage />,
    nav: { labelKey: 'partner:nav.indirectProviders', audience: ['indirect_reseller'] },
  },
  {
    path: path(PARTNER_PATHS.partnershipRequests),
    element: <PartnershipRequestsPage />,
    nav: { labelKey: 'partner:nav.partnershipRequests', audience: [...PARTNERS] },
  },
  {
    path: path(PARTNER_PATHS.findProvider),
    element: <FindProviderPage />,
    public: true,
    nav: { labelKey: 'partner:nav.findProvider', audience: ['indirect_reseller'] },
  },
  {
    path: path(PARTNER_PATHS.users),
    element: <UsersPage />,
    nav: { labelKey: 'partner:nav.users', audience: [...PARTNERS] },
  },
  {
    path: path(PARTNER_PATHS.activityLog),
    element: <ActivityLogPage />,
    nav: { labelKey: 'partner:nav.activityLog', audience: [...PARTNERS] },
  },
];
