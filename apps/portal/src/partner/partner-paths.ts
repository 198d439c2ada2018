/** The partner area's pages, relative to `/portal` (see routes.tsx). */
export const PARTNER_PATHS = {
  enroll: '/enroll',
  profile: '/partner-profile',
  findProvider: '/find-a-provider',
  partnershipRequests: '/partnership-requests',
  indirectResellers: '/indirect-resellers',
  indirectProviders: '/indirect-providers',
  users: '/user-management',
  activityLog: '/activity-log',
} as const;
