/** The pages of `src/customers/`, one chunk (see routes.tsx). */
export { AddSubscriptionPage } from './add-subscription-page';
export { CustomerPage } from './customer-page';
export { CustomersPage } from './customers-page';
export { DelegatedAdminRelationshipPage } from './delegated-admin-relationship-page';
export { DelegatedAdminRelationshipsPage } from './delegated-admin-relationships-page';
export { InvitationsPage } from './invitations-page';
export { NewCustomerPage } from './new-customer-page';
export { RequestRelationshipPage } from './request-relationship-page';
