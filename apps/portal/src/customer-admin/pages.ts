/** The pages of `src/customer-admin/`, one chunk (see routes.tsx). */
export { PartnersPage } from './partners-page';
export { SubscriptionsPage } from './subscriptions-page';
