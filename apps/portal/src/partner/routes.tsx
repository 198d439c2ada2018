import { lazyPages } from '../app/lazy-pages';
import type { PortalRoute } from '../app/portal-route';
import { PARTNER_PATHS } from './partner-paths';

/** This area's pages, loaded with its chunk on first use. */
const page = lazyPages(() => import('./pages'));

const PARTNERS = ['indirect_provider', 'indirect_reseller'] as const;
const path = (p: string) => p.replace(/^\//, '');

/** The pages of `src/partner/` (see src/app/portal-route.ts). */
export const routes: PortalRoute[] = [
  { path: path(PARTNER_PATHS.enroll), element: page('EnrollmentPage'), public: true },
  {
    path: path(PARTNER_PATHS.profile),
    element: page('PartnerProfilePage'),
    nav: { labelKey: 'partner:nav.profile', audience: [...PARTNERS] },
  },
  {
    path: path(PARTNER_PATHS.indirectResellers),
    element: page('IndirectResellersPage'),
    nav: { labelKey: 'partner:nav.indirectResellers', audience: ['indirect_provider'] },
  },
  {
    path: path(PARTNER_PATHS.indirectProviders),
    element: page('IndirectProvidersPage'),
    nav: { labelKey: 'partner:nav.indirectProviders', audience: ['indirect_reseller'] },
  },
  {
    path: path(PARTNER_PATHS.partnershipRequests),
    element: page('PartnershipRequestsPage'),
    nav: { labelKey: 'partner:nav.partnershipRequests', audience: [...PARTNERS] },
  },
  {
    path: path(PARTNER_PATHS.findProvider),
    element: page('FindProviderPage'),
    public: true,
    nav: { labelKey: 'partner:nav.findProvider', audience: ['indirect_reseller'] },
  },
  {
    path: path(PARTNER_PATHS.users),
    element: page('UsersPage'),
    nav: { labelKey: 'partner:nav.users', audience: [...PARTNERS] },
  },
  {
    path: path(PARTNER_PATHS.activityLog),
    element: page('ActivityLogPage'),
    nav: { labelKey: 'partner:nav.activityLog', audience: [...PARTNERS] },
  },
];
