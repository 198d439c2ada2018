/** The pages of `src/operator/`, one chunk (see routes.tsx). */
export { DeliveriesPage } from './deliveries-page';
export { EnrollmentsPage } from './enrollments-page';
