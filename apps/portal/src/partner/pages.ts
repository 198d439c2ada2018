/** The pages of `src/partner/`, one chunk (see routes.tsx). */
export { ActivityLogPage } from './activity-log-page';
export { EnrollmentPage } from './enrollment-page';
export { FindProviderPage } from './find-provider-page';
export { PartnerProfilePage } from './partner-profile-page';
export { PartnershipRequestsPage } from './partnership-requests-page';
export { IndirectProvidersPage, IndirectResellersPage } from './partnerships-page';
export { UsersPage } from './users-page';
